package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabricstitch.agent.AgentConfiguration;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentFactoryTest {
    @Test
    void theAgentHoldsItsPartsOfTheTree_asTheyAre(@TempDir Path staging) {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        cfg.getNetwork().setBeaconSecret("0123456789abcdef0123").setAgentPort(0).setBeaconIntervalMs(250);
        cfg.getAgent().setRealProbesEnabled(false).setCalibrationBudgetMs(0).setHealthIntervalMs(500);
        cfg.getDataPath().setPort(0).setChunkBytes(4096).setStagingDirectory(staging.toString());
        try (DataPaths dataPaths = DataPaths.create(cfg.getDataPath(), cfg.getAgent().getSysfsRoot(), "n1",
            "127.0.0.1", () -> null)) {
            AgentConfiguration agent = AgentFactory.agentConfiguration(cfg, new IgniteConfiguration(),
                UUID.randomUUID(), "n1", dataPaths.configuration());
            assertSame(cfg.getAgent(), agent.settings());
            assertSame(cfg.getNetwork(), agent.network().orElseThrow().settings());
            assertSame(cfg.getDataPath(), agent.dataPath().orElseThrow().settings());
            assertEquals(Duration.ofMillis(500), agent.health().interval());
            assertEquals(Duration.ofMillis(250), agent.network().orElseThrow().beaconInterval());
            assertEquals(4096, agent.dataPath().orElseThrow().chunkBytes());
            assertEquals(staging.resolve("n1").toAbsolutePath().normalize(),
                agent.dataPath().orElseThrow().stagingDirectory());
        }
    }
}
