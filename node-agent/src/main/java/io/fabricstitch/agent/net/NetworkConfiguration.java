package io.fabricstitch.agent.net;

import io.fabricstitch.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything one {@link AgentNetwork} needs; immutable, built with {@link #builder()}. {@link Builder#build()} checks
 * every value; names are resolved (bind host, interface, seed hosts) when the network starts.
 */
public final class NetworkConfiguration {
    /** Default multicast group of the beacons. */
    public static final String DFLT_MULTICAST_GROUP = "239.255.47.47";

    /** Default UDP port of the multicast group. */
    public static final int DFLT_MULTICAST_PORT = 47400;

    /** Default multicast TTL: the local network segment only. */
    public static final int DFLT_TTL = 1;

    /** Default address of the unicast socket. */
    public static final String DFLT_BIND_HOST = "127.0.0.1";

    /** Default time between two announcements. */
    public static final Duration DFLT_BEACON_INTERVAL = Duration.ofSeconds(1);

    /** Default time between two pings of a peer. */
    public static final Duration DFLT_LATENCY_INTERVAL = Duration.ofSeconds(1);

    /** Default age, either way, beyond which a datagram's timestamp is refused as a replay. */
    public static final Duration DFLT_REPLAY_WINDOW = Duration.ofSeconds(30);

    /** Default largest datagram accepted or sent, in bytes. */
    public static final int DFLT_MAX_PACKET_BYTES = 1400;

    /** Shortest beacon secret, in bytes. */
    public static final int MIN_SECRET_BYTES = 16;

    /** Longest beacon secret, in bytes. */
    public static final int MAX_SECRET_BYTES = 1024;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

    private final byte[] secret;
    private final String multicastGroup;
    private final int multicastPort;
    private final boolean multicastEnabled;
    private final String interfaceName;
    private final int ttl;
    private final String bindHost;
    private final int unicastPort;
    private final int unicastPortRange;
    private final List<String> seeds;
    private final Duration beaconInterval;
    private final Duration peerTimeout;
    private final Duration latencyInterval;
    private final Duration replayWindow;
    private final int maxPacketBytes;
    private final Map<String, Duration> injectedLatency;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Random random;

    private NetworkConfiguration(Builder b) {
        secret = checkSecret(b.secret);
        multicastGroup = checkMulticastGroup(b.multicastGroup);
        multicastPort = (int)Checks.inRange(b.multicastPort, 1, 65535, "multicastPort");
        multicastEnabled = b.multicastEnabled;
        interfaceName = b.interfaceName == null ? null : Checks.notBlank(b.interfaceName, "interfaceName", 64);
        ttl = (int)Checks.inRange(b.ttl, 0, 255, "ttl");
        bindHost = checkHost(b.bindHost);
        unicastPort = (int)Checks.inRange(b.unicastPort, 0, 65535, "unicastPort");
        unicastPortRange = checkPortRange(unicastPort, b.unicastPortRange);
        seeds = checkSeeds(b.seeds);
        beaconInterval = checkDuration(b.beaconInterval, Duration.ofMillis(50), Duration.ofSeconds(60),
            "beaconInterval");
        peerTimeout = checkPeerTimeout(b.peerTimeout, beaconInterval);
        latencyInterval = checkDuration(b.latencyInterval, Duration.ofMillis(10), Duration.ofSeconds(60),
            "latencyInterval");
        replayWindow = checkDuration(b.replayWindow, Duration.ofSeconds(1), Duration.ofHours(1), "replayWindow");
        maxPacketBytes = (int)Checks.inRange(b.maxPacketBytes, 256, 65000, "maxPacketBytes");
        injectedLatency = checkInjected(b.injectedLatency);
        clock = Checks.notNull(b.clock, "clock");
        nanoTime = Checks.notNull(b.nanoTime, "nanoTime");
        random = Checks.notNull(b.random, "random");
    }

    private static byte[] checkSecret(byte[] secret) {
        String expected = " (expected: at least " + MIN_SECRET_BYTES
            + " bytes, e.g. the output of: openssl rand -hex 32)";
        if (secret == null)
            throw new IllegalArgumentException("beaconSecret: null" + expected);
        if (secret.length < MIN_SECRET_BYTES)
            throw new IllegalArgumentException("beaconSecret: " + secret.length + " bytes" + expected);
        if (secret.length > MAX_SECRET_BYTES)
            throw new IllegalArgumentException("beaconSecret: " + secret.length + " bytes (expected: at most "
                + MAX_SECRET_BYTES + " bytes)");
        return secret.clone();
    }

    private static String checkMulticastGroup(String group) {
        Matcher m = group == null ? null : IPV4.matcher(group);
        if (m == null || !m.matches() || !octetsInRange(m) || Integer.parseInt(m.group(1)) < 224
            || Integer.parseInt(m.group(1)) > 239)
            throw new IllegalArgumentException("multicastGroup: '" + group + "' (expected: an IPv4 multicast address, "
                + "224.0.0.0..239.255.255.255, e.g. " + DFLT_MULTICAST_GROUP + ")");
        return group;
    }

    private static boolean octetsInRange(Matcher ipv4) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(ipv4.group(i)) > 255)
                return false;
        }
        return true;
    }

    private static String checkHost(String host) {
        String h = Checks.notBlank(host, "bindHost", 253);
        Matcher m = IPV4.matcher(h);
        if (m.matches() ? !octetsInRange(m) : !HOST_NAME.matcher(h).matches() || h.matches("[0-9.]+"))
            throw new IllegalArgumentException("bindHost: '" + host + "' (expected: an IPv4 address, 0.0.0.0 for all, "
                + "or a host name)");
        return h;
    }

    private static int checkPortRange(int port, int range) {
        int max = port == 0 ? 1 : 65536 - port;
        if (range < 1 || range > max)
            throw new IllegalArgumentException("unicastPortRange: " + range + " (expected: 1.." + max
                + (port == 0 ? ", as unicastPort 0 takes one ephemeral port)" : " with unicastPort " + port + ")"));
        return range;
    }

    private static List<String> checkSeeds(List<String> seeds) {
        List<String> checked = new ArrayList<>(seeds.size());
        for (String s : seeds)
            checked.add(SeedAddress.parse(s).toString());
        return Collections.unmodifiableList(checked);
    }

    private static Duration checkDuration(Duration d, Duration min, Duration max, String name) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0)
            throw new IllegalArgumentException(name + ": " + Durations.text(d) + " (expected: " + Durations.text(min)
                + ".." + Durations.text(max) + ")");
        return d;
    }

    private static Duration checkPeerTimeout(Duration timeout, Duration beaconInterval) {
        if (timeout == null)
            return beaconInterval.multipliedBy(3);
        Duration min = beaconInterval.multipliedBy(2);
        if (timeout.compareTo(min) < 0)
            throw new IllegalArgumentException("peerTimeout: " + Durations.text(timeout) + " (expected: at least 2 x "
                + "beaconInterval = " + Durations.text(min) + ")");
        return checkDuration(timeout, min, Duration.ofHours(1), "peerTimeout");
    }

    private static Map<String, Duration> checkInjected(Map<String, Duration> injected) {
        Map<String, Duration> checked = new TreeMap<>();
        for (Map.Entry<String, Duration> e : injected.entrySet()) {
            String key = Checks.notBlank(e.getKey(), "injectedLatency key", 256);
            checked.put(key, checkDuration(e.getValue(), Duration.ZERO, Duration.ofSeconds(10),
                "injectedLatency[" + key + "]"));
        }
        return Collections.unmodifiableMap(checked);
    }

    /** Starts a builder holding the defaults; only the secret has none. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder().secret(secret).multicastGroup(multicastGroup).multicastPort(multicastPort)
            .multicastEnabled(multicastEnabled).interfaceName(interfaceName).ttl(ttl).bindHost(bindHost)
            .unicastPort(unicastPort).unicastPortRange(unicastPortRange).seeds(seeds).beaconInterval(beaconInterval)
            .latencyInterval(latencyInterval).replayWindow(replayWindow).maxPacketBytes(maxPacketBytes)
            .injectedLatency(injectedLatency).clock(clock).nanoTime(nanoTime).random(random);
        b.peerTimeout = peerTimeout;
        return b;
    }

    /** The cluster's beacon secret (a copy): the HMAC-SHA256 key of every datagram. */
    public byte[] secret() {
        return secret.clone();
    }

    /** IPv4 multicast group the beacons go to. */
    public String multicastGroup() {
        return multicastGroup;
    }

    /** UDP port of the multicast group. */
    public int multicastPort() {
        return multicastPort;
    }

    /** Whether beacons go to, and are heard on, the multicast group; seeds work either way. */
    public boolean multicastEnabled() {
        return multicastEnabled;
    }

    /**
     * Interface name ({@code lo}, {@code eth0}) or IPv4 address of the interface multicast uses; null for the one
     * holding {@link #bindHost()}, or the system default when that is {@code 0.0.0.0} (the first interface that is
     * up, multicast-capable and not loopback, with an IPv4 address). Resolved at start, only when multicast is
     * enabled.
     */
    public String interfaceName() {
        return interfaceName;
    }

    /** Multicast time-to-live, 0..255; 1 keeps beacons on the local segment. */
    public int ttl() {
        return ttl;
    }

    /** IPv4 address or host name of the unicast socket; {@code 0.0.0.0} for all addresses. */
    public String bindHost() {
        return bindHost;
    }

    /** First unicast port tried; 0 for an ephemeral one. */
    public int unicastPort() {
        return unicastPort;
    }

    /** How many ports from {@link #unicastPort()} on are tried; the first free one is taken. */
    public int unicastPortRange() {
        return unicastPortRange;
    }

    /** Unicast addresses of agents multicast does not reach: {@code host:port} or {@code host:port..port}. */
    public List<String> seeds() {
        return seeds;
    }

    /** Time between two announcements. */
    public Duration beaconInterval() {
        return beaconInterval;
    }

    /** A peer not heard (announcement or pong) for this long is lost; at least 2 x {@link #beaconInterval()}. */
    public Duration peerTimeout() {
        return peerTimeout;
    }

    /** Time between two pings of each peer. */
    public Duration latencyInterval() {
        return latencyInterval;
    }

    /** A datagram whose timestamp is further than this from our clock, or whose nonce was seen, is refused. */
    public Duration replayWindow() {
        return replayWindow;
    }

    /** Largest datagram accepted or sent, in bytes. */
    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    /**
     * Test-only: extra delay of pings and pongs to peers, by site label or agent name; emulates a far site where
     * {@code tc netem} is not available. Empty in production.
     */
    public Map<String, Duration> injectedLatency() {
        return injectedLatency;
    }

    /** Wall clock of packet timestamps and of the instants this package reports. */
    public Clock clock() {
        return clock;
    }

    /** Monotonic nanoseconds, as {@link System#nanoTime()}: round-trip times, timeouts. */
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    /** Source of the datagrams' nonces. */
    public Random random() {
        return random;
    }

    @Override
    public String toString() {
        return "NetworkConfiguration [multicast=" + multicastGroup + ':' + multicastPort
            + (multicastEnabled ? "" : " (disabled)") + ", interface=" + (interfaceName == null ? "default"
            : interfaceName) + ", ttl=" + ttl + ", bind=" + bindHost + ':' + unicastPort
            + (unicastPortRange > 1 ? ".." + (unicastPort + unicastPortRange - 1) : "") + ", seeds=" + seeds
            + ", beaconInterval=" + Durations.text(beaconInterval) + ", peerTimeout=" + Durations.text(peerTimeout)
            + ", latencyInterval=" + Durations.text(latencyInterval) + ", replayWindow="
            + Durations.text(replayWindow) + ", maxPacketBytes=" + maxPacketBytes
            + (injectedLatency.isEmpty() ? "" : ", injectedLatency=" + injectedText(injectedLatency))
            + ", secret=" + secret.length + " bytes]";
    }

    /** {@code site-b +40 ms, n3 +5 ms}. */
    static String injectedText(Map<String, Duration> injected) {
        StringBuilder sb = new StringBuilder();
        injected.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" +")
            .append(Durations.text(v)));
        return sb.toString();
    }

    /** Collects the configuration; {@link #build()} checks every value. */
    public static final class Builder {
        private byte[] secret;
        private String multicastGroup = DFLT_MULTICAST_GROUP;
        private int multicastPort = DFLT_MULTICAST_PORT;
        private boolean multicastEnabled = true;
        private String interfaceName;
        private int ttl = DFLT_TTL;
        private String bindHost = DFLT_BIND_HOST;
        private int unicastPort;
        private int unicastPortRange = 1;
        private final List<String> seeds = new ArrayList<>();
        private Duration beaconInterval = DFLT_BEACON_INTERVAL;
        private Duration peerTimeout;
        private Duration latencyInterval = DFLT_LATENCY_INTERVAL;
        private Duration replayWindow = DFLT_REPLAY_WINDOW;
        private int maxPacketBytes = DFLT_MAX_PACKET_BYTES;
        private final Map<String, Duration> injectedLatency = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private Random random;

        private Builder() {
        }

        /** The cluster's beacon secret, {@value #MIN_SECRET_BYTES}..{@value #MAX_SECRET_BYTES} bytes; required. */
        public Builder secret(byte[] secret) {
            this.secret = secret == null ? null : secret.clone();
            return this;
        }

        /** The cluster's beacon secret as text (its UTF-8 bytes), e.g. the output of {@code openssl rand -hex 32}. */
        public Builder secret(String secret) {
            this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** IPv4 multicast group; default {@value #DFLT_MULTICAST_GROUP}. */
        public Builder multicastGroup(String multicastGroup) {
            this.multicastGroup = multicastGroup;
            return this;
        }

        /** UDP port of the multicast group; default {@value #DFLT_MULTICAST_PORT}. */
        public Builder multicastPort(int multicastPort) {
            this.multicastPort = multicastPort;
            return this;
        }

        /** Whether to use multicast; default true. */
        public Builder multicastEnabled(boolean multicastEnabled) {
            this.multicastEnabled = multicastEnabled;
            return this;
        }

        /** Interface name or IPv4 address of the multicast interface; default null (see the getter). */
        public Builder interfaceName(String interfaceName) {
            this.interfaceName = interfaceName;
            return this;
        }

        /** Multicast TTL, 0..255; default {@value #DFLT_TTL}. */
        public Builder ttl(int ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Address of the unicast socket; default {@value #DFLT_BIND_HOST}. */
        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        /** First unicast port tried; default 0 (ephemeral). */
        public Builder unicastPort(int unicastPort) {
            this.unicastPort = unicastPort;
            return this;
        }

        /** Number of unicast ports tried; default 1. */
        public Builder unicastPortRange(int unicastPortRange) {
            this.unicastPortRange = unicastPortRange;
            return this;
        }

        /** Replaces the seeds; each {@code host:port} or {@code host:port..port}. */
        public Builder seeds(Collection<String> seeds) {
            this.seeds.clear();
            if (seeds != null)
                this.seeds.addAll(seeds);
            return this;
        }

        /** Adds a seed: {@code host:port} or {@code host:port..port}. */
        public Builder seed(String seed) {
            seeds.add(seed);
            return this;
        }

        /** Time between announcements, 50 ms..60 s; default 1 s. */
        public Builder beaconInterval(Duration beaconInterval) {
            this.beaconInterval = beaconInterval;
            return this;
        }

        /** When a silent peer is lost; at least 2 x beaconInterval, default 3 x beaconInterval. */
        public Builder peerTimeout(Duration peerTimeout) {
            this.peerTimeout = peerTimeout;
            return this;
        }

        /** Time between pings of each peer, 10 ms..60 s; default 1 s. */
        public Builder latencyInterval(Duration latencyInterval) {
            this.latencyInterval = latencyInterval;
            return this;
        }

        /** Replay window, 1 s..1 h; default 30 s. */
        public Builder replayWindow(Duration replayWindow) {
            this.replayWindow = replayWindow;
            return this;
        }

        /** Largest datagram, 256..65000 bytes; default {@value #DFLT_MAX_PACKET_BYTES}. */
        public Builder maxPacketBytes(int maxPacketBytes) {
            this.maxPacketBytes = maxPacketBytes;
            return this;
        }

        /** Test-only: replaces the injected latencies, by peer site or agent name, each 0..10 s. */
        public Builder injectedLatency(Map<String, Duration> injectedLatency) {
            this.injectedLatency.clear();
            if (injectedLatency != null)
                this.injectedLatency.putAll(injectedLatency);
            return this;
        }

        /** Wall clock; default {@link Clock#systemUTC()}. Tests inject a fake. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Monotonic time source in nanoseconds; default {@link System#nanoTime()}. Tests inject a fake. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        /** Source of nonces; default a {@link SecureRandom}. */
        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid property, what was found and what is accepted
         */
        public NetworkConfiguration build() {
            if (random == null)
                random = new SecureRandom();
            return new NetworkConfiguration(this);
        }
    }
}
