package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.PriorityClass;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.ignite.Ignition;
import org.junit.jupiter.api.Test;

/** The plugin configuration tree: defaults, overrides and the messages of bad values, named by property path. */
class FabricPluginConfigurationTest {
    /** The message of the validation that refuses {@code setting}. */
    static String refusal(Consumer<FabricPluginConfiguration> setting) {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        setting.accept(cfg);
        return assertThrows(IllegalArgumentException.class, cfg::validate).getMessage();
    }

    @Test
    void defaults_areValid_andEveryPartIsThereToSet() {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        cfg.validate();
        assertEquals(FabricNetworkConfiguration.DFLT_BEACON_PORT, cfg.getNetwork().getBeaconPort());
        assertEquals(FabricDataPathConfiguration.DFLT_PORT, cfg.getDataPath().getPort());
        assertEquals(FabricConsoleConfiguration.DFLT_PORT, cfg.getConsole().getPort());
        assertEquals(FabricOrchestratorConfiguration.DFLT_MAX_ATTEMPTS, cfg.getOrchestrator().getMaxAttempts());
        assertEquals(FabricAgentConfiguration.DFLT_PROBE_TIMEOUT_MS, cfg.getAgent().getProbeTimeoutMs());
    }

    @Test
    void settersChainInIgnitesStyle_onTheRootAndOnEachPart() {
        FabricNetworkConfiguration network = new FabricNetworkConfiguration().setBeaconPort(47401).setBeaconTtl(2);
        FabricPluginConfiguration cfg = new FabricPluginConfiguration().setSite("rack-a").setNetwork(network)
            .setConsole(new FabricConsoleConfiguration().setEnabled(false));
        assertSame(network, cfg.getNetwork());
        assertEquals(47401, cfg.getNetwork().getBeaconPort());
        assertFalse(cfg.getConsole().isEnabled());
        cfg.validate();
    }

    @Test
    void theTreeReadsFromSpringXml_everyPartAsANestedBean() throws Exception {
        FabricPluginConfiguration cfg = Ignition.loadSpringBean(
            FabricPluginConfigurationTest.class.getResource("/plugin-configuration-tree.xml"), "fabric");
        cfg.validate();
        assertEquals("rack-a", cfg.getSite());
        assertFalse(cfg.getAgent().isRealProbesEnabled());
        assertEquals(500, cfg.getAgent().getHealthIntervalMs());
        assertEquals(List.of("declared:gpu-*"), cfg.getAgent().getDeviceAllowList());
        assertEquals(47401, cfg.getNetwork().getBeaconPort());
        assertEquals(List.of("10.2.0.7:47410..47419"), cfg.getNetwork().getBeaconSeeds());
        assertEquals(0, cfg.getDataPath().getPort());
        assertEquals(128 << 10, cfg.getDataPath().getChunkBytes());
        assertEquals("GPU=2.0", cfg.getOrchestrator().getFabricPrices());
        assertEquals(5, cfg.getOrchestrator().getMaxAttempts());
        assertEquals(1500, cfg.getOrchestrator().getSilentDegradedAfterMs());
        assertFalse(cfg.getConsole().isEnabled());
        assertEquals(FabricDataPathConfiguration.DFLT_THRESHOLD_BYTES, cfg.getDataPath().getThresholdBytes(),
            "what the XML leaves out keeps its default");
    }

    @Test
    void aMissingPart_isRefusedByName() {
        assertEquals("network: null (expected: a value)", refusal(c -> c.setNetwork(null)));
        assertEquals("orchestrator: null (expected: a value)", refusal(c -> c.setOrchestrator(null)));
    }

    @Test
    void eachPartValidatesItself_namingThePropertyByItsPath() {
        assertEquals("network.beaconIntervalMs: -1 (expected: 50..60000)",
            assertThrows(IllegalArgumentException.class,
                () -> new FabricNetworkConfiguration().setBeaconIntervalMs(-1).validate()).getMessage());
        assertEquals("dataPath.chunkBytes: 10 (expected: 1024..1048576)",
            assertThrows(IllegalArgumentException.class,
                () -> new FabricDataPathConfiguration().setChunkBytes(10).validate()).getMessage());
        assertEquals("agent.probeTimeoutMs: 0 (expected: 1..600000)",
            assertThrows(IllegalArgumentException.class,
                () -> new FabricAgentConfiguration().setProbeTimeoutMs(0).validate()).getMessage());
    }

    @Test
    void priorityClasses_extendAndRedefineTheDefaults() {
        Map<String, PriorityClass> classes = new FabricOrchestratorConfiguration().setPriorityClasses(List.of(
            "interactive: latencyWeight=2.0, resourceWeight=0.25", "batch: latencyWeight=0.001, resourceWeight=1"))
            .priorityClassMap();
        assertEquals(List.of("balanced", "batch", "interactive", "latency-critical"), List.copyOf(classes.keySet()));
        assertEquals(CostWeights.of(0.001, 1), classes.get("batch").weights());
        assertEquals(CostWeights.of(0.1, 1.0), classes.get("balanced").weights());
    }

    @Test
    void aClassDefinedTwice_isRefused() {
        assertEquals("orchestrator.priorityClasses: 'x' defined twice", refusal(c -> c.getOrchestrator()
            .setPriorityClasses(List.of("x: latencyWeight=1, resourceWeight=1",
                "x: latencyWeight=2, resourceWeight=1"))));
    }

    @Test
    void badRoutingValues_areRefusedByName() {
        assertEquals("orchestrator.maxAttempts: 0 (expected: 1..100)",
            refusal(c -> c.getOrchestrator().setMaxAttempts(0)));
        assertEquals("orchestrator.maxQueuedTasks: -1 (expected: 0..1000000)",
            refusal(c -> c.getOrchestrator().setMaxQueuedTasks(-1)));
        String prices = refusal(c -> c.getOrchestrator().setFabricPrices("GPU=free"));
        assertTrue(prices.startsWith("orchestrator.fabricPrices GPU: 'free'"), prices);
        String spec = refusal(c -> c.getOrchestrator().setPriorityClasses(List.of("fast")));
        assertTrue(spec.startsWith("orchestrator.priorityClasses: priority class 'fast': no ':'"), spec);
    }

    @Test
    void badDataPathLimits_areRefusedByName_withWhatIsAccepted() {
        assertEquals("dataPath.tokenTtlMs: 10 (expected: 1000..3600000)",
            refusal(c -> c.getDataPath().setTokenTtlMs(10)));
        assertEquals("dataPath.stagingCapacityBytes: -1 (expected: 0..9223372036854775807)",
            refusal(c -> c.getDataPath().setStagingCapacityBytes(-1)));
        assertEquals("dataPath.maxConnectionsPerPeer: 100 (expected: 1..10, at most dataPath.maxConnections)",
            refusal(c -> c.getDataPath().setMaxConnections(10).setMaxConnectionsPerPeer(100)));
        assertEquals("dataPath.minRateBytesPerSecond: -5 (expected: 0..9223372036854775807)",
            refusal(c -> c.getDataPath().setMinRateBytesPerSecond(-5)));
        assertEquals("dataPath.openTimeoutMs: 0 (expected: 10..3600000)",
            refusal(c -> c.getDataPath().setOpenTimeoutMs(0)));
    }

    @Test
    void badAdaptiveValues_areRefusedByName_withWhatIsAccepted() {
        assertEquals("network.beaconSecret: 6 bytes (expected: at least 16 bytes, e.g. the output of: openssl rand "
            + "-hex 32)", refusal(c -> c.getNetwork().setBeaconSecret("secret")));
        assertEquals("network.injectedLatency: 'site-b' (expected: site-or-node=ms, e.g. site-b=20)",
            refusal(c -> c.getNetwork().setInjectedLatency("site-b")));
        assertEquals("network.injectedLatency site-b: 'far' (expected: whole milliseconds 0..10000)",
            refusal(c -> c.getNetwork().setInjectedLatency("site-b=far")));
        assertEquals("orchestrator.silentDegradedAfterMs: 500 (expected: 1001..86400000)",
            refusal(c -> c.getOrchestrator().setSilentDegradedAfterMs(500)));
        assertEquals("agent.healthIntervalMs: 5 (expected: 10..3600000)",
            refusal(c -> c.getAgent().setHealthIntervalMs(5)));
        assertEquals("network.beaconTtl: 300 (expected: 0..255)", refusal(c -> c.getNetwork().setBeaconTtl(300)));
        String file = refusal(c -> c.getNetwork().setBeaconSecretFile("/no/such/secret"));
        assertTrue(file.startsWith("network.beaconSecretFile: '/no/such/secret' cannot be read ("), file);
    }

    @Test
    void whatTheAgentsNetworkOnceCheckedAtStart_isRefusedByTheTreesValidation() {
        assertEquals("network.beaconGroup: '10.0.0.1' (expected: an IPv4 multicast address, "
            + "224.0.0.0..239.255.255.255, e.g. 239.255.47.47)",
            refusal(c -> c.getNetwork().setBeaconGroup("10.0.0.1")));
        assertEquals("network.beaconSeeds element: 'no-port' (expected: host:port or host:port..port)",
            refusal(c -> c.getNetwork().setBeaconSeeds(List.of("no-port"))));
        assertEquals("network.agentPortRange: 10 (expected: 1..6 with network.agentPort 65530)",
            refusal(c -> c.getNetwork().setAgentPort(65530)));
    }

    @Test
    void aDataPathPortRangePastTheLastPort_isRefusedByTheTreesValidation() {
        assertEquals("dataPath.portRange: 10 (expected: 1..6 with dataPath.port 65530)",
            refusal(c -> c.getDataPath().setPort(65530)));
    }

    @Test
    void decodeSettings_makeTheNodesBudget_andBadOnesAreRefusedByName() {
        FabricAgentConfiguration shared = new FabricAgentConfiguration().setDecodeWaitMs(250).setMaxDecodePixels(1000);
        assertEquals(DecodeBudget.jvmDefault().capacityBytes(), shared.decodeBudget().capacityBytes(),
            "0: the JVM's shared budget");
        assertEquals(Duration.ofMillis(250), shared.decodeBudget().maxWait());
        assertEquals(1000, shared.decodeBudget().maxPixels());
        assertEquals(64L << 20, new FabricAgentConfiguration().setDecodeBudgetBytes(64L << 20).decodeBudget()
            .capacityBytes());
        assertEquals("agent.decodeBudgetBytes: -1 (expected: 0..2199023254528)",
            refusal(c -> c.getAgent().setDecodeBudgetBytes(-1)));
        assertEquals("agent.decodeWaitMs: 600001 (expected: 0..600000; 0 refuses at once)",
            refusal(c -> c.getAgent().setDecodeWaitMs(600_001)));
        assertEquals("agent.maxDecodePixels: 0 (expected: 1..1000000000)",
            refusal(c -> c.getAgent().setMaxDecodePixels(0)));
    }

    @Test
    void theSecretNeverShowsInToString() {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        cfg.getNetwork().setBeaconSecret("0123456789abcdef0123");
        String text = cfg.toString();
        assertTrue(text.contains("beaconSecret=(hidden)"), text);
        assertFalse(text.contains("0123456789abcdef0123"), text);
    }

    @Test
    void securityWithoutASecret_isRefused_namingWhereTheSecretGoes() {
        String msg = refusal(c -> c.setSecurity(new FabricSecurityConfiguration()));
        assertTrue(System.getenv(FabricNetworkConfiguration.ENV_BEACON_SECRET) != null
            || msg.startsWith("security: on, but no cluster secret (expected: network.beaconSecret, "), msg);
    }

    @Test
    void consoleOffLoopbackWithoutAToken_isRefused_withWhatIsAccepted() {
        assertEquals("console.host: '0.0.0.0' without a console token (expected: a loopback address such as "
            + "127.0.0.1, or console.token, console.tokenFile or the FABRIC_CONSOLE_TOKEN environment variable set)",
            refusal(c -> c.getConsole().setHost("0.0.0.0")));
        new FabricConsoleConfiguration().setHost("0.0.0.0").setEnabled(false).validate();
        new FabricConsoleConfiguration().setHost("10.0.0.5").setToken("0123456789abcdef").validate();
        new FabricConsoleConfiguration().setHost("localhost").validate();
        new FabricConsoleConfiguration().setHost("127.0.1.1").validate();
    }

    @Test
    void badConsoleValues_areRefusedByName() {
        assertEquals("console.token: 5 characters (expected: at least 16 printable ASCII characters without spaces, "
            + "e.g. the output of: openssl rand -hex 16)", refusal(c -> c.getConsole().setToken("short")));
        assertEquals("console.port: 70000 (expected: 0..65535)", refusal(c -> c.getConsole().setPort(70000)));
        String inject = refusal(c -> c.getConsole().setFaultInjection(true));
        assertTrue(inject.startsWith("console.faultInjection: true without a console token"), inject);
        String file = refusal(c -> c.getConsole().setTokenFile("/nonexistent/token"));
        assertTrue(file.startsWith("console.tokenFile: '/nonexistent/token' cannot be read ("), file);
        assertTrue(new FabricConsoleConfiguration().setToken("0123456789abcdef").toString().contains("token=(hidden)"));
    }
}
