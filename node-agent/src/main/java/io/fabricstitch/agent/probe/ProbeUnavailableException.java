package io.fabricstitch.agent.probe;

/** A probe cannot look at all on this host (tool not installed, sysfs path absent, permission denied). */
public class ProbeUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason what is missing, e.g. {@code nvidia-smi not found on PATH} */
    public ProbeUnavailableException(String reason) {
        super(reason);
    }

    /** @param reason what is missing; {@code cause} the underlying error */
    public ProbeUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
