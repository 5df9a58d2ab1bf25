package io.fabricstitch.agent.probe;

/**
 * Finds accelerators on the local host.
 * <p>
 * A probe reports what it sees and nothing else: a missing tool, file or permission is a
 * {@link ProbeUnavailableException} (the agent logs it once and carries on with no fabric from this probe); a
 * malformed line or file is skipped and reported in {@link ProbeResult#warnings()}. A probe never stops a node.
 * The agent merges what several probes saw of one device (same PCI address) into one fabric.
 */
public interface FabricProbe {
    /** A short name used in logs and in {@link DetectedFabric#source()}, e.g. {@code pci-sysfs}. */
    String name();

    /**
     * When several probes see the same device, the highest precedence wins (its model, resources and identity).
     * The PCI scan has the lowest; tools that know more (nvidia-smi, the FPGA manager) rank higher.
     */
    default int precedence() {
        return 0;
    }

    /**
     * Looks for devices now.
     *
     * @throws ProbeUnavailableException when the tool, file or permission the probe needs is missing
     */
    ProbeResult probe() throws ProbeUnavailableException;
}
