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
        ConsoleLimits dflt = ConsoleLimits.of(cfg.getConsole());
        assertEquals(Duration.ofSeconds(5), dflt.headerTimeout());
        assertEquals(Duration.ofSeconds(10), dflt.readTimeout());
        assertEquals(64, dflt.maxConnections());
        assertEquals(16, dflt.maxConnectionsPerPeer());
        assertEquals(2, dflt.workerThreads());
        assertEquals(16, dflt.maxQueuedRequests());
        cfg.getConsole().setHeaderTimeoutMs(1_000).setReadTimeoutMs(2_000).setMaxConnections(8)
            .setMaxConnectionsPerPeer(4).setWorkerThreads(3).setMaxQueuedRequests(0);
        ConsoleLimits set = ConsoleLimits.of(cfg.getConsole());
        assertEquals("ConsoleLimits [headerTimeout=1000 ms, readTimeout=2000 ms, maxConnections=8, "
            + "maxConnectionsPerPeer=4, workerThreads=3, maxQueuedRequests=0, maxBody=4096 B]", set.toString());
        assertTrue(cfg.toString().contains("headerTimeoutMs=1000, readTimeoutMs=2000, maxConnections=8, "
            + "maxConnectionsPerPeer=4, workerThreads=3, maxQueuedRequests=0"), cfg::toString);
    }

    @Test
    void badLimits_areRefusedByName_withWhatIsAccepted() {
        assertEquals("console.headerTimeoutMs: 20000 (expected: at most console.readTimeoutMs, 10000: the headers are "
            + "part of the request)", refusal(c -> c.getConsole().setHeaderTimeoutMs(20_000)));
        assertEquals("console.readTimeoutMs: 50 (expected: 100..3600000)",
            refusal(c -> c.getConsole().setReadTimeoutMs(50)));
        assertEquals("console.maxConnectionsPerPeer: 100 (expected: at most console.maxConnections, 64)",
            refusal(c -> c.getConsole().setMaxConnectionsPerPeer(100)));
        assertEquals("console.maxConnections: 0 (expected: 1..100000)",
            refusal(c -> c.getConsole().setMaxConnections(0)));
        assertEquals("console.workerThreads: 0 (expected: 1..64)", refusal(c -> c.getConsole().setWorkerThreads(0)));
        assertEquals("console.maxQueuedRequests: -1 (expected: 0..10000)",
            refusal(c -> c.getConsole().setMaxQueuedRequests(-1)));
    }
}
