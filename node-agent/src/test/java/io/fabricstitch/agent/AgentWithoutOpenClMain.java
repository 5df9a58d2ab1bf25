package io.fabricstitch.agent;

import io.fabricstitch.agent.opencl.OpenClProbe;
import io.fabricstitch.agent.probe.CpuProbe;
import io.fabricstitch.model.FabricEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Starts an agent with this host's CPU and OpenCL probes and prints one line per fabric it reports; run in a JVM of its
 * own by {@link OpenClAbsentTest} with an environment in which OpenCL finds no platform.
 */
public final class AgentWithoutOpenClMain {
    private AgentWithoutOpenClMain() {
    }

    public static void main(String[] args) throws Exception {
        Path claims = Files.createTempDirectory("fabric-claims");
        try (FabricAgent agent = new FabricAgent(AgentConfiguration.builder().agentName("alone")
            .nodeId(UUID.randomUUID()).hostId("host-x").claimDirectory(claims).probe(CpuProbe.ofHost())
            .probe(OpenClProbe.ofHost()).build())) {
            for (FabricEntry f : agent.start())
                System.out.println("fabric " + f.getFabricType() + " " + f.getResourceCount() + " " + f.getRuntime());
            agent.checkHealth();
        }
    }
}
