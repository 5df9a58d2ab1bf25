package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabricstitch.agent.AgentConfiguration;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import java.time.Duration;
import java.util.UUID;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.Test;

class AgentFactoryTest {
    @Test
    void theAgentHoldsItsPartsOfTheTree_asTheyAre() {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        cfg.getNetwork().setBeaconSecret("0123456789abcdef0123").setAgentPort(0).setBeaconIntervalMs(250);
        cfg.getAgent().setRealProbesEnabled(false).setCalibrationBudgetMs(0).setHealthIntervalMs(500);
        AgentConfiguration agent = AgentFactory.agentConfiguration(cfg, new IgniteConfiguration(), UUID.randomUUID(),
            "n1", null);
        assertSame(cfg.getAgent(), agent.settings());
        assertSame(cfg.getNetwork(), agent.network().orElseThrow().settings());
        assertEquals(Duration.ofMillis(500), agent.health().interval());
        assertEquals(Duration.ofMillis(250), agent.network().orElseThrow().beaconInterval());
    }
}
