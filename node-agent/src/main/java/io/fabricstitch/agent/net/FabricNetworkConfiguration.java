package io.fabricstitch.agent.net;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.internal.ConfigPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network part of the plugin's configuration tree (property {@code network} of
 * {@code io.fabricstitch.ignite.FabricPluginConfiguration}): the beacons by which agents find each other, the cluster
 * secret that signs them (and admits nodes when security is on), the seeds multicast does not reach and the latency
 * probes between agents. Chaining setters in Ignite's style; {@link #validate()} checks every value, naming a refused
 * one by its path ({@code network.beaconIntervalMs}). {@link NetworkConfiguration} holds this bean as it is and reads
 * its settings from it.
 */
public class FabricNetworkConfiguration {
    /** Property path of these settings in {@link FabricPluginConfiguration}, in validation messages. */
    static final String PATH = "network.";

    /** Shortest beacon secret, in bytes. */
    public static final int MIN_SECRET_BYTES = 16;

    /** Longest beacon secret, in bytes. */
    public static final int MAX_SECRET_BYTES = 1024;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** Environment variable holding the beacon secret when neither {@code beaconSecret} nor its file is set. */
    public static final String ENV_BEACON_SECRET = "FABRIC_BEACON_SECRET";

    /** Default multicast group of the beacons. */
    public static final String DFLT_BEACON_GROUP = "239.255.47.47";

    /** Default UDP port of the beacon multicast group. */
    public static final int DFLT_BEACON_PORT = 47400;

    /** Default first UDP port of the agent's unicast endpoint (seeds, replies, latency probes). */
    public static final int DFLT_AGENT_PORT = 47410;

    /** Default number of ports tried from {@link #DFLT_AGENT_PORT} on. */
    public static final int DFLT_AGENT_PORT_RANGE = 10;

    /** Default time between two beacons, ms. */
    public static final long DFLT_BEACON_INTERVAL_MS = 1_000;

    /** Default time between two latency probes of each peer, ms. */
    public static final long DFLT_LATENCY_PROBE_INTERVAL_MS = 1_000;

    /** Default age (either way) beyond which a beacon's timestamp is refused as a replay, ms. */
    public static final long DFLT_BEACON_REPLAY_WINDOW_MS = 30_000;

    private boolean beaconsEnabled = true;
    private String beaconSecret;
    private String beaconSecretFile;
    private String beaconGroup = DFLT_BEACON_GROUP;
    private int beaconPort = DFLT_BEACON_PORT;
    private String beaconInterface;
    private int beaconTtl = 1;
    private List<String> beaconSeeds = new ArrayList<>();
    private long beaconIntervalMs = DFLT_BEACON_INTERVAL_MS;
    private long beaconReplayWindowMs = DFLT_BEACON_REPLAY_WINDOW_MS;
    private int agentPort = DFLT_AGENT_PORT;
    private int agentPortRange = DFLT_AGENT_PORT_RANGE;
    private long latencyProbeIntervalMs = DFLT_LATENCY_PROBE_INTERVAL_MS;
    private String injectedLatency = "";

    /**
     * Whether the agent sends and hears beacons and measures latencies to the agents it hears; default true. They
     * need a beacon secret ({@code beaconSecret}, {@code beaconSecretFile} or {@value #ENV_BEACON_SECRET}); without
     * one the node runs without them and logs a warning.
     */
    public boolean isBeaconsEnabled() {
        return beaconsEnabled;
    }

    public FabricNetworkConfiguration setBeaconsEnabled(boolean beaconsEnabled) {
        this.beaconsEnabled = beaconsEnabled;
        return this;
    }

    /**
     * The cluster secret every beacon and latency probe is signed with (HMAC-SHA256), at least 16 characters; the
     * same on every node. Prefer {@code beaconSecretFile} or the {@value #ENV_BEACON_SECRET} environment variable to
     * keep it out of configuration files.
     */
    public String getBeaconSecret() {
        return beaconSecret;
    }

    public FabricNetworkConfiguration setBeaconSecret(String beaconSecret) {
        this.beaconSecret = beaconSecret;
        return this;
    }

    /** A file holding the beacon secret (surrounding blanks ignored); read when {@code beaconSecret} is unset. */
    public String getBeaconSecretFile() {
        return beaconSecretFile;
    }

    public FabricNetworkConfiguration setBeaconSecretFile(String beaconSecretFile) {
        this.beaconSecretFile = beaconSecretFile;
        return this;
    }

    /**
     * The secret in force: {@code beaconSecret}, else the content of {@code beaconSecretFile}, else the
     * {@value #ENV_BEACON_SECRET} environment variable; null when none is set.
     *
     * @throws IllegalArgumentException when the file cannot be read
     */
    public String effectiveBeaconSecret() {
        if (beaconSecret != null)
            return beaconSecret;
        if (beaconSecretFile != null) {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of(beaconSecretFile)).strip();
            }
            catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("beaconSecretFile: '" + beaconSecretFile + "' cannot be read (" + e
                    + ") (expected: a readable file holding the secret)");
            }
        }
        String env = System.getenv(ENV_BEACON_SECRET);
        return env == null || env.isBlank() ? null : env.strip();
    }

    /** IPv4 multicast group of the beacons; default {@value #DFLT_BEACON_GROUP}. */
    public String getBeaconGroup() {
        return beaconGroup;
    }

    public FabricNetworkConfiguration setBeaconGroup(String beaconGroup) {
        this.beaconGroup = beaconGroup;
        return this;
    }

    /** UDP port of the beacon group; default {@value #DFLT_BEACON_PORT}. */
    public int getBeaconPort() {
        return beaconPort;
    }

    public FabricNetworkConfiguration setBeaconPort(int beaconPort) {
        this.beaconPort = beaconPort;
        return this;
    }

    /**
     * Network interface the beacons use: a name ({@code eth0}) or an address of the interface; default the interface
     * holding the advertise host.
     */
    public String getBeaconInterface() {
        return beaconInterface;
    }

    public FabricNetworkConfiguration setBeaconInterface(String beaconInterface) {
        this.beaconInterface = beaconInterface;
        return this;
    }

    /** Multicast time-to-live of the beacons; default 1 (the local segment only). */
    public int getBeaconTtl() {
        return beaconTtl;
    }

    public FabricNetworkConfiguration setBeaconTtl(int beaconTtl) {
        this.beaconTtl = beaconTtl;
        return this;
    }

    /**
     * Agents multicast does not reach (other sites): {@code host:port} or {@code host:port..port} of their agent
     * endpoint ({@code agentPort}); beacons go to them by unicast.
     */
    public List<String> getBeaconSeeds() {
        return beaconSeeds;
    }

    public FabricNetworkConfiguration setBeaconSeeds(List<String> beaconSeeds) {
        this.beaconSeeds = beaconSeeds == null ? new ArrayList<>() : new ArrayList<>(beaconSeeds);
        return this;
    }

    /** Time between two beacons, ms; default {@value #DFLT_BEACON_INTERVAL_MS}. */
    public long getBeaconIntervalMs() {
        return beaconIntervalMs;
    }

    public FabricNetworkConfiguration setBeaconIntervalMs(long beaconIntervalMs) {
        this.beaconIntervalMs = beaconIntervalMs;
        return this;
    }

    /**
     * A beacon stamped further from this node's clock than this, either way, is refused as a replay, ms; default
     * {@value #DFLT_BEACON_REPLAY_WINDOW_MS}. Keep the nodes' clocks closer than this (NTP).
     */
    public long getBeaconReplayWindowMs() {
        return beaconReplayWindowMs;
    }

    public FabricNetworkConfiguration setBeaconReplayWindowMs(long beaconReplayWindowMs) {
        this.beaconReplayWindowMs = beaconReplayWindowMs;
        return this;
    }

    /**
     * First UDP port of the agent's unicast endpoint (beacon replies, seeds, latency probes); default
     * {@value #DFLT_AGENT_PORT}; 0 takes any free port (other sites then cannot name it as a seed).
     */
    public int getAgentPort() {
        return agentPort;
    }

    public FabricNetworkConfiguration setAgentPort(int agentPort) {
        this.agentPort = agentPort;
        return this;
    }

    /**
     * Number of ports tried from {@code agentPort} on (several nodes per host); default
     * {@value #DFLT_AGENT_PORT_RANGE}.
     */
    public int getAgentPortRange() {
        return agentPortRange;
    }

    public FabricNetworkConfiguration setAgentPortRange(int agentPortRange) {
        this.agentPortRange = agentPortRange;
        return this;
    }

    /** Time between two round-trip probes of each peer agent, ms; default {@value #DFLT_LATENCY_PROBE_INTERVAL_MS}. */
    public long getLatencyProbeIntervalMs() {
        return latencyProbeIntervalMs;
    }

    public FabricNetworkConfiguration setLatencyProbeIntervalMs(long latencyProbeIntervalMs) {
        this.latencyProbeIntervalMs = latencyProbeIntervalMs;
        return this;
    }

    /**
     * TEST-ONLY latency injector, since {@code tc netem} is not always available: {@code site-or-node=ms, ...}, e.g.
     * {@code site-b=20}. This node holds every latency probe and answer it sends to agents of that site (or with that
     * node name) for the given milliseconds, so both ends measure a far site. Empty (default) injects nothing.
     */
    public String getInjectedLatency() {
        return injectedLatency;
    }

    public FabricNetworkConfiguration setInjectedLatency(String injectedLatency) {
        this.injectedLatency = injectedLatency == null ? "" : injectedLatency;
        return this;
    }

    /**
     * The injected latencies by site or node name.
     *
     * @throws IllegalArgumentException naming a bad entry
     */
    public Map<String, java.time.Duration> injectedLatencyMap() {
        Map<String, java.time.Duration> map = new TreeMap<>();
        if (injectedLatency.isBlank())
            return map;
        for (String part : injectedLatency.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0)
                throw new IllegalArgumentException("injectedLatency: '" + p + "' (expected: site-or-node=ms, e.g. "
                    + "site-b=20)");
            String key = Checks.name(p.substring(0, eq).trim(), "injectedLatency key");
            long ms;
            try {
                ms = Long.parseLong(p.substring(eq + 1).trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("injectedLatency " + key + ": '" + p.substring(eq + 1).trim()
                    + "' (expected: whole milliseconds 0..10000)");
            }
            Checks.inRange(ms, 0, 10_000, "injectedLatency " + key);
            if (map.put(key, java.time.Duration.ofMillis(ms)) != null)
                throw new IllegalArgumentException("injectedLatency: '" + key + "' given twice");
        }
        return map;
    }

    /**
     * The secret in force as the HMAC-SHA256 key of every datagram: the UTF-8 bytes of
     * {@link #effectiveBeaconSecret()}.
     *
     * @throws IllegalArgumentException when no secret is set, or the file cannot be read
     */
    public byte[] beaconSecretBytes() {
        String secret = ConfigPaths.at(PATH, this::effectiveBeaconSecret);
        if (secret == null)
            throw new IllegalArgumentException(PATH + "beaconSecret: unset (expected: beaconSecret, beaconSecretFile "
                + "or the " + ENV_BEACON_SECRET + " environment variable, at least " + MIN_SECRET_BYTES + " bytes)");
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the property by its path ({@code network.beaconIntervalMs}), the value
     *     and what is accepted
     */
    public void validate() {
        checkBeaconGroup();
        Checks.inRange(beaconPort, 1, 65535, PATH + "beaconPort");
        Checks.inRange(beaconTtl, 0, 255, PATH + "beaconTtl");
        Checks.inRange(beaconIntervalMs, 50, 60_000, PATH + "beaconIntervalMs");
        Checks.inRange(beaconReplayWindowMs, 1_000, 3_600_000, PATH + "beaconReplayWindowMs");
        Checks.inRange(agentPort, 0, 65535, PATH + "agentPort");
        Checks.portRange(agentPort, agentPortRange, PATH + "agentPort", PATH + "agentPortRange");
        Checks.inRange(latencyProbeIntervalMs, 10, 60_000, PATH + "latencyProbeIntervalMs");
        if (beaconInterface != null)
            Checks.notBlank(beaconInterface, PATH + "beaconInterface", 256);
        Checks.notNull(beaconSeeds, PATH + "beaconSeeds");
        for (String seed : beaconSeeds)
            ConfigPaths.at(PATH, () -> SeedAddress.parse(seed));
        ConfigPaths.at(PATH, this::injectedLatencyMap);
        String secret = ConfigPaths.at(PATH, this::effectiveBeaconSecret);
        int bytes = secret == null ? 0 : secret.getBytes(StandardCharsets.UTF_8).length;
        if (secret != null && bytes < MIN_SECRET_BYTES)
            throw new IllegalArgumentException(PATH + "beaconSecret: " + bytes + " bytes (expected: at least "
                + MIN_SECRET_BYTES + " bytes, e.g. the output of: openssl rand -hex 32)");
        if (bytes > MAX_SECRET_BYTES)
            throw new IllegalArgumentException(PATH + "beaconSecret: " + bytes + " bytes (expected: at most "
                + MAX_SECRET_BYTES + " bytes)");
    }

    private void checkBeaconGroup() {
        Matcher m = beaconGroup == null ? null : IPV4.matcher(beaconGroup);
        if (m == null || !m.matches() || !octetsInRange(m) || Integer.parseInt(m.group(1)) < 224
            || Integer.parseInt(m.group(1)) > 239)
            throw new IllegalArgumentException(PATH + "beaconGroup: '" + beaconGroup + "' (expected: an IPv4 "
                + "multicast address, 224.0.0.0..239.255.255.255, e.g. " + DFLT_BEACON_GROUP + ")");
    }

    /** Whether every octet of a matched IPv4 address is at most 255. */
    static boolean octetsInRange(Matcher ipv4) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(ipv4.group(i)) > 255)
                return false;
        }
        return true;
    }

    /** {@code d.d.d.d}: an IPv4 address in dotted form, octets unchecked ({@link #octetsInRange}). */
    static Matcher ipv4(String text) {
        return IPV4.matcher(text);
    }

    @Override
    public String toString() {
        return "FabricNetworkConfiguration [beaconsEnabled=" + beaconsEnabled + ", beaconSecret="
            + (beaconSecret == null ? "unset" : "(hidden)") + ", beaconSecretFile=" + beaconSecretFile
            + ", beaconGroup=" + beaconGroup + ", beaconPort=" + beaconPort + ", beaconInterface=" + beaconInterface
            + ", beaconTtl=" + beaconTtl + ", beaconSeeds=" + beaconSeeds + ", beaconIntervalMs=" + beaconIntervalMs
            + ", beaconReplayWindowMs=" + beaconReplayWindowMs + ", agentPort=" + agentPort + ", agentPortRange="
            + agentPortRange + ", latencyProbeIntervalMs=" + latencyProbeIntervalMs + ", injectedLatency="
            + injectedLatency + ']';
    }
}
