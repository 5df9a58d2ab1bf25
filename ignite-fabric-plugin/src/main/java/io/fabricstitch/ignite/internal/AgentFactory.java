package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.AgentConfiguration;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.datapath.DataPathConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.agent.net.NetworkConfiguration;
import io.fabricstitch.agent.DeclaredFabricProbe;
import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.agent.opencl.OpenClProbe;
import io.fabricstitch.agent.probe.CpuProbe;
import io.fabricstitch.agent.probe.FpgaSysfsProbe;
import io.fabricstitch.agent.probe.NvidiaSmiProbe;
import io.fabricstitch.agent.probe.PciSysfsProbe;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.ignite.configuration.IgniteConfiguration;

/** Turns the plugin's configuration into the agent's. Not API. */
public final class AgentFactory {
    private AgentFactory() {
    }

    /**
     * The agent configuration of a node.
     *
     * @throws IllegalArgumentException naming an invalid value
     */
    public static AgentConfiguration agentConfiguration(FabricPluginConfiguration cfg, IgniteConfiguration icfg,
        UUID nodeId) {
        return agentConfiguration(cfg, icfg, nodeId, stableName(icfg), null);
    }

    /**
     * The agent configuration of node {@code nodeName} (its consistent id: the agent's name in beacons, latency rows
     * and logs), whose agent runs data-path servers with {@code dataPath} (null: none).
     *
     * @throws IllegalArgumentException naming an invalid value
     */
    public static AgentConfiguration agentConfiguration(FabricPluginConfiguration cfg, IgniteConfiguration icfg,
        UUID nodeId, String nodeName, DataPathConfiguration dataPath) {
        String host = advertiseHost(cfg, icfg);
        return AgentConfiguration.builder(cfg.getAgent())
            .dataPath(dataPath)
            .agentName(nodeName)
            .stableName(stableName(icfg))
            .nodeId(nodeId)
            .site(cfg.getSite())
            .advertiseHost(host)
            .network(network(cfg.getNetwork(), host))
            .probes(probes(cfg.getAgent()))
            .build();
    }

    /**
     * The beacon and latency-probe settings of a node, or null when beacons are off or no secret is configured (the
     * provider says which in the log).
     */
    static NetworkConfiguration network(FabricNetworkConfiguration net, String host) {
        if (!net.isBeaconsEnabled() || net.effectiveBeaconSecret() == null)
            return null;
        return NetworkConfiguration.of(net, host);
    }

    /** The host other nodes reach this node's agent on: advertiseHost, else Ignite's localHost, else 127.0.0.1. */
    public static String advertiseHost(FabricPluginConfiguration cfg, IgniteConfiguration icfg) {
        return cfg.getAdvertiseHost() != null ? cfg.getAdvertiseHost()
            : icfg.getLocalHost() != null && !icfg.getLocalHost().isBlank() ? icfg.getLocalHost() : "127.0.0.1";
    }

    /**
     * The name a node keeps across restarts, from which its CPU fabric id derives: its configured consistent id, else
     * its instance name, else null (the agent claims a host slot). Not the node's name: that is its consistent id,
     * configured or not (see {@link IgniteInternals#consistentId}).
     */
    public static String stableName(IgniteConfiguration icfg) {
        if (icfg.getConsistentId() != null)
            return icfg.getConsistentId().toString();
        return icfg.getIgniteInstanceName();
    }

    /** The CPU probe, the hardware probes (when enabled; OpenCL among them unless off), then the declared fabrics. */
    static List<FabricProbe> probes(FabricAgentConfiguration agent) {
        List<FabricProbe> probes = new ArrayList<>();
        probes.add(new CpuProbe(Path.of(agent.getProcfsRoot()), Runtime.getRuntime().availableProcessors()));
        if (agent.isRealProbesEnabled()) {
            Path sys = Path.of(agent.getSysfsRoot());
            probes.add(new PciSysfsProbe(sys, PciSysfsProbe.hostPciIds()));
            probes.add(new FpgaSysfsProbe(sys));
            probes.add(new NvidiaSmiProbe(List.of(agent.getNvidiaSmiCommand()),
                Duration.ofMillis(agent.getProbeTimeoutMs())));
            if (agent.isOpenClEnabled())
                probes.add(new OpenClProbe(agent.getOpenClCpuComputeUnits(),
                    Runtime.getRuntime().availableProcessors(), Duration.ofMillis(agent.getProbeTimeoutMs())));
        }
        probes.add(new DeclaredFabricProbe(agent.getDeclaredFabrics()));
        return probes;
    }
}
