package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.PriorityClass;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routing settings of the plugin configuration: defaults, overrides and the messages of bad values. */
class FabricPluginConfigurationTest {
    @Test
    void priorityClasses_extendAndRedefineTheDefaults() {
        Map<String, PriorityClass> classes = new FabricPluginConfiguration().setPriorityClasses(List.of(
            "interactive: latencyWeight=2.0, resourceWeight=0.25", "batch: latencyWeight=0.001, resourceWeight=1"))
            .priorityClassMap();
        assertEquals(List.of("balanced", "batch", "interactive", "latency-critical"), List.copyOf(classes.keySet()));
        assertEquals(CostWeights.of(0.001, 1), classes.get("batch").weights());
        assertEquals(CostWeights.of(0.1, 1.0), classes.get("balanced").weights());
    }

    @Test
    void aClassDefinedTwice_isRefused() {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration().setPriorityClasses(List.of(
            "x: latencyWeight=1, resourceWeight=1", "x: latencyWeight=2, resourceWeight=1"));
        assertEquals("priorityClasses: 'x' defined twice",
            assertThrows(IllegalArgumentException.class, cfg::validate).getMessage());
    }

    @Test
    void badRoutingValues_areRefusedByName() {
        assertEquals("maxAttempts: 0 (expected: 1..100)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setMaxAttempts(0).validate()).getMessage());
        assertEquals("maxQueuedTasks: -1 (expected: 0..1000000)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setMaxQueuedTasks(-1).validate()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setFabricPrices("GPU=free").validate()).getMessage()
            .startsWith("fabricPrices GPU: 'free'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration()
            .setPriorityClasses(List.of("fast")).validate()).getMessage().startsWith("priority class 'fast': no ':'"));
    }

    @Test
    void badDataPathLimits_areRefusedByName_withWhatIsAccepted() {
        assertEquals("dataPathTokenTtlMs: 10 (expected: 1000..3600000)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setDataPathTokenTtlMs(10).validate()).getMessage());
        assertEquals("dataPathStagingCapacityBytes: -1 (expected: 0..9223372036854775807)", assertThrows(
            IllegalArgumentException.class, () -> new FabricPluginConfiguration().setDataPathStagingCapacityBytes(-1)
                .validate()).getMessage());
        assertEquals("dataPathMaxConnectionsPerPeer: 100 (expected: 1..10, at most dataPathMaxConnections)",
            assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration()
                .setDataPathMaxConnections(10).setDataPathMaxConnectionsPerPeer(100).validate()).getMessage());
        assertEquals("dataPathMinRateBytesPerSecond: -5 (expected: 0..9223372036854775807)", assertThrows(
            IllegalArgumentException.class, () -> new FabricPluginConfiguration().setDataPathMinRateBytesPerSecond(-5)
                .validate()).getMessage());
        assertEquals("dataPathOpenTimeoutMs: 0 (expected: 10..3600000)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setDataPathOpenTimeoutMs(0).validate()).getMessage());
    }

    @Test
    void badAdaptiveValues_areRefusedByName_withWhatIsAccepted() {
        assertEquals("beaconSecret: 6 bytes (expected: at least 16 bytes, e.g. the output of: openssl rand -hex 32)",
            assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration().setBeaconSecret("secret")
                .validate()).getMessage());
        assertEquals("injectedLatency: 'site-b' (expected: site-or-node=ms, e.g. site-b=20)",
            assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration()
                .setInjectedLatency("site-b").validate()).getMessage());
        assertEquals("injectedLatency site-b: 'far' (expected: whole milliseconds 0..10000)",
            assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration()
                .setInjectedLatency("site-b=far").validate()).getMessage());
        assertEquals("silentDegradedAfterMs: 500 (expected: 1001..86400000)", assertThrows(
            IllegalArgumentException.class, () -> new FabricPluginConfiguration().setSilentDegradedAfterMs(500)
                .validate()).getMessage());
        assertEquals("healthIntervalMs: 5 (expected: 10..3600000)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setHealthIntervalMs(5).validate()).getMessage());
        assertEquals("beaconTtl: 300 (expected: 0..255)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setBeaconTtl(300).validate()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration()
            .setBeaconSecretFile("/no/such/secret").validate()).getMessage()
            .startsWith("beaconSecretFile: '/no/such/secret' cannot be read ("));
    }

    @Test
    void decodeSettings_makeTheNodesBudget_andBadOnesAreRefusedByName() {
        FabricPluginConfiguration shared = new FabricPluginConfiguration().setDecodeWaitMs(250)
            .setMaxDecodePixels(1000);
        assertEquals(DecodeBudget.jvmDefault().capacityBytes(), shared.decodeBudget().capacityBytes(),
            "0: the JVM's shared budget");
        assertEquals(Duration.ofMillis(250), shared.decodeBudget().maxWait());
        assertEquals(1000, shared.decodeBudget().maxPixels());
        assertEquals(64L << 20, new FabricPluginConfiguration().setDecodeBudgetBytes(64L << 20).decodeBudget()
            .capacityBytes());
        assertEquals("decodeBudgetBytes: -1 (expected: 0..2199023254528)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setDecodeBudgetBytes(-1).validate()).getMessage());
        assertEquals("decodeWaitMs: 600001 (expected: 0..600000; 0 refuses at once)",
            assertThrows(IllegalArgumentException.class,
                () -> new FabricPluginConfiguration().setDecodeWaitMs(600_001).validate()).getMessage());
        assertEquals("maxDecodePixels: 0 (expected: 1..1000000000)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setMaxDecodePixels(0).validate()).getMessage());
    }

    @Test
    void theSecretNeverShowsInToString() {
        String text = new FabricPluginConfiguration().setBeaconSecret("0123456789abcdef0123").toString();
        assertTrue(text.contains("beaconSecret=(hidden)"), text);
        assertTrue(!text.contains("0123456789abcdef0123"), text);
    }

    @Test
    void consoleOffLoopbackWithoutAToken_isRefused_withWhatIsAccepted() {
        assertEquals("consoleHost: '0.0.0.0' without a console token (expected: a loopback address such as 127.0.0.1, "
            + "or consoleToken, consoleTokenFile or the FABRIC_CONSOLE_TOKEN environment variable set)",
            assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration().setConsoleHost("0.0.0.0")
                .validate()).getMessage());
        new FabricPluginConfiguration().setConsoleHost("0.0.0.0").setConsoleEnabled(false).validate();
        new FabricPluginConfiguration().setConsoleHost("10.0.0.5").setConsoleToken("0123456789abcdef").validate();
        new FabricPluginConfiguration().setConsoleHost("localhost").validate();
        new FabricPluginConfiguration().setConsoleHost("127.0.1.1").validate();
    }

    @Test
    void badConsoleValues_areRefusedByName() {
        assertEquals("consoleToken: 5 characters (expected: at least 16 printable ASCII characters without spaces, "
            + "e.g. the output of: openssl rand -hex 16)", assertThrows(IllegalArgumentException.class,
                () -> new FabricPluginConfiguration().setConsoleToken("short").validate()).getMessage());
        assertEquals("consolePort: 70000 (expected: 0..65535)", assertThrows(IllegalArgumentException.class,
            () -> new FabricPluginConfiguration().setConsolePort(70000).validate()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration()
            .setConsoleFaultInjection(true).validate()).getMessage().startsWith("consoleFaultInjection: true without "
                + "a console token"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FabricPluginConfiguration()
            .setConsoleTokenFile("/nonexistent/token").validate()).getMessage().startsWith("consoleTokenFile: "
                + "'/nonexistent/token' cannot be read ("));
        assertTrue(new FabricPluginConfiguration().setConsoleToken("0123456789abcdef").toString()
            .contains("consoleToken=(hidden)"));
    }
}
