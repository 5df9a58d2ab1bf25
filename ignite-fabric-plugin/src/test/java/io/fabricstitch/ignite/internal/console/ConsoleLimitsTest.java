package io.fabricstitch.ignite.internal.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.FabricPluginConfiguration;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The console's timeouts and caps as the plugin configuration sets and checks them. */
class ConsoleLimitsTest {
    static String refusal(Consumer<FabricPluginConfiguration> setting) {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        setting.accept(cfg);
        return assertThrows(IllegalArgumentException.class, cfg::validate).getMessage();
    }

    @Test
    void limitsComeFromTheConfiguration_withTheirDefaults() {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        cfg.validate();
        ConsoleLimits dflt = ConsoleLimits.of(cfg);
        assertEquals(Duration.ofSeconds(5), dflt.headerTimeout());
        assertEquals(Duration.ofSeconds(10), dflt.readTimeout());
        assertEquals(64, dflt.maxConnections());
        assertEquals(16, dflt.maxConnectionsPerPeer());
        assertEquals(2, dflt.workerThreads());
        assertEquals(16, dflt.maxQueuedRequests());
        ConsoleLimits set = ConsoleLimits.of(cfg.setConsoleHeaderTimeoutMs(1_000).setConsoleReadTimeoutMs(2_000)
            .setConsoleMaxConnections(8).setConsoleMaxConnectionsPerPeer(4).setConsoleWorkerThreads(3)
            .setConsoleMaxQueuedRequests(0));
        assertEquals("ConsoleLimits [headerTimeout=1000 ms, readTimeout=2000 ms, maxConnections=8, "
            + "maxConnectionsPerPeer=4, workerThreads=3, maxQueuedRequests=0, maxBody=4096 B]", set.toString());
        assertTrue(cfg.toString().contains("consoleHeaderTimeoutMs=1000, consoleReadTimeoutMs=2000, "
            + "consoleMaxConnections=8, consoleMaxConnectionsPerPeer=4, consoleWorkerThreads=3, "
            + "consoleMaxQueuedRequests=0"), cfg::toString);
    }

    @Test
    void badLimits_areRefusedByName_withWhatIsAccepted() {
        assertEquals("consoleHeaderTimeoutMs: 20000 (expected: at most consoleReadTimeoutMs, 10000: the headers are "
            + "part of the request)", refusal(c -> c.setConsoleHeaderTimeoutMs(20_000)));
        assertEquals("consoleReadTimeoutMs: 50 (expected: 100..3600000)", refusal(c -> c.setConsoleReadTimeoutMs(50)));
        assertEquals("consoleMaxConnectionsPerPeer: 100 (expected: at most consoleMaxConnections, 64)",
            refusal(c -> c.setConsoleMaxConnectionsPerPeer(100)));
        assertEquals("consoleMaxConnections: 0 (expected: 1..100000)", refusal(c -> c.setConsoleMaxConnections(0)));
        assertEquals("consoleWorkerThreads: 0 (expected: 1..64)", refusal(c -> c.setConsoleWorkerThreads(0)));
        assertEquals("consoleMaxQueuedRequests: -1 (expected: 0..10000)",
            refusal(c -> c.setConsoleMaxQueuedRequests(-1)));
    }
}
