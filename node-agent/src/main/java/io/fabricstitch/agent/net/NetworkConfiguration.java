package io.fabricstitch.agent.net;

import io.fabricstitch.internal.Checks;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything one {@link AgentNetwork} needs: the user's {@link FabricNetworkConfiguration} as it is, whose
 * {@code validate()} checks every setting, and the run-time values the node adds (the bind host, the secret's bytes,
 * clocks). Made by {@link #of} from a node's configuration, or with {@link #builder()} in tests and tools; names are
 * resolved (bind host, interface, seed hosts) when the network starts. Change the bean before the network starts, not
 * after: its accessors read the bean.
 */
public final class NetworkConfiguration {
    /** Default address of the unicast socket. */
    public static final String DFLT_BIND_HOST = "127.0.0.1";

    /** Default largest datagram accepted or sent, in bytes. */
    public static final int DFLT_MAX_PACKET_BYTES = 1400;

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

    private final FabricNetworkConfiguration settings;
    private final byte[] secret;
    private final Map<String, Duration> injectedLatency;
    private final boolean multicastEnabled;
    private final String bindHost;
    private final boolean anyPort;
    private final Duration peerTimeout;
    private final int maxPacketBytes;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Random random;

    private NetworkConfiguration(Builder b) {
        settings = Checks.notNull(b.settings, "network");
        settings.validate();
        secret = settings.beaconSecretBytes();
        injectedLatency = Collections.unmodifiableMap(settings.injectedLatencyMap());
        multicastEnabled = b.multicastEnabled;
        bindHost = checkHost(b.bindHost);
        anyPort = b.anyPort;
        peerTimeout = checkPeerTimeout(b.peerTimeout, beaconInterval());
        maxPacketBytes = (int)Checks.inRange(b.maxPacketBytes, 256, 65000, "maxPacketBytes");
        clock = Checks.notNull(b.clock, "clock");
        nanoTime = Checks.notNull(b.nanoTime, "nanoTime");
        random = Checks.notNull(b.random, "random");
    }

    /**
     * The network of a node whose agent other agents reach on {@code bindHost}, with {@code settings} as they are.
     *
     * @throws IllegalArgumentException naming the first invalid setting by its path ({@code network.beaconPort}), or
     *     an invalid bind host
     */
    public static NetworkConfiguration of(FabricNetworkConfiguration settings, String bindHost) {
        return builder(settings).bindHost(bindHost).build();
    }

    private static String checkHost(String host) {
        String h = Checks.notBlank(host, "bindHost", 253);
        Matcher m = FabricNetworkConfiguration.ipv4(h);
        if (m.matches() ? !FabricNetworkConfiguration.octetsInRange(m)
            : !HOST_NAME.matcher(h).matches() || h.matches("[0-9.]+"))
            throw new IllegalArgumentException("bindHost: '" + host + "' (expected: an IPv4 address, 0.0.0.0 for all, "
                + "or a host name)");
        return h;
    }

    private static Duration checkPeerTimeout(Duration timeout, Duration beaconInterval) {
        if (timeout == null)
            return beaconInterval.multipliedBy(3);
        Duration min = beaconInterval.multipliedBy(2);
        Duration max = Duration.ofHours(1);
        if (timeout.compareTo(min) < 0 || timeout.compareTo(max) > 0)
            throw new IllegalArgumentException("peerTimeout: " + Durations.text(timeout) + " (expected: at least 2 x "
                + "network.beaconIntervalMs = " + Durations.text(min) + ", at most " + Durations.text(max) + ")");
        return timeout;
    }

    /**
     * Starts a builder over a new {@link FabricNetworkConfiguration} holding the defaults, but for {@code agentPort} 0
     * (an ephemeral port) and {@code agentPortRange} 1; only the secret has none.
     */
    public static Builder builder() {
        return new Builder(new FabricNetworkConfiguration().setAgentPort(0).setAgentPortRange(1));
    }

    /** Starts a builder over {@code settings}: its setting methods write into that bean. */
    public static Builder builder(FabricNetworkConfiguration settings) {
        return new Builder(Checks.notNull(settings, "network"));
    }

    /** The user's network settings, as given: every other accessor of a setting reads them. */
    public FabricNetworkConfiguration settings() {
        return settings;
    }

    /** The cluster's beacon secret (a copy): the HMAC-SHA256 key of every datagram. */
    public byte[] secret() {
        return secret.clone();
    }

    /** IPv4 multicast group the beacons go to. */
    public String multicastGroup() {
        return settings.getBeaconGroup();
    }

    /** UDP port of the multicast group. */
    public int multicastPort() {
        return settings.getBeaconPort();
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
        return settings.getBeaconInterface();
    }

    /** Multicast time-to-live, 0..255; 1 keeps beacons on the local segment. */
    public int ttl() {
        return settings.getBeaconTtl();
    }

    /** IPv4 address or host name of the unicast socket; {@code 0.0.0.0} for all addresses. */
    public String bindHost() {
        return bindHost;
    }

    /** First unicast port tried; 0 for an ephemeral one (also when the builder's {@code anyPort} is set). */
    public int unicastPort() {
        return anyPort ? 0 : settings.getAgentPort();
    }

    /** How many ports from {@link #unicastPort()} on are tried; the first free one is taken. */
    public int unicastPortRange() {
        return unicastPort() == 0 ? 1 : settings.getAgentPortRange();
    }

    /** Unicast addresses of agents multicast does not reach: {@code host:port} or {@code host:port..port}. */
    public List<String> seeds() {
        return settings.getBeaconSeeds().stream().map(s -> SeedAddress.parse(s).toString()).toList();
    }

    /** Time between two announcements. */
    public Duration beaconInterval() {
        return Duration.ofMillis(settings.getBeaconIntervalMs());
    }

    /** A peer not heard (announcement or pong) for this long is lost; at least 2 x {@link #beaconInterval()}. */
    public Duration peerTimeout() {
        return peerTimeout;
    }

    /** Time between two pings of each peer. */
    public Duration latencyInterval() {
        return Duration.ofMillis(settings.getLatencyProbeIntervalMs());
    }

    /** A datagram whose timestamp is further than this from our clock, or whose nonce was seen, is refused. */
    public Duration replayWindow() {
        return Duration.ofMillis(settings.getBeaconReplayWindowMs());
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
        return "NetworkConfiguration [multicast=" + multicastGroup() + ':' + multicastPort()
            + (multicastEnabled ? "" : " (disabled)") + ", interface=" + (interfaceName() == null ? "default"
            : interfaceName()) + ", ttl=" + ttl() + ", bind=" + bindHost + ':' + unicastPort()
            + (unicastPortRange() > 1 ? ".." + (unicastPort() + unicastPortRange() - 1) : "") + ", seeds=" + seeds()
            + ", beaconInterval=" + Durations.text(beaconInterval()) + ", peerTimeout=" + Durations.text(peerTimeout)
            + ", latencyInterval=" + Durations.text(latencyInterval()) + ", replayWindow="
            + Durations.text(replayWindow()) + ", maxPacketBytes=" + maxPacketBytes
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

    /**
     * Collects a configuration: its setting methods write into the {@link FabricNetworkConfiguration} it was started
     * over (whose {@code validate()} checks them in {@link #build()}); the others set run-time values.
     */
    public static final class Builder {
        private final FabricNetworkConfiguration settings;
        private boolean multicastEnabled = true;
        private String bindHost = DFLT_BIND_HOST;
        private boolean anyPort;
        private Duration peerTimeout;
        private int maxPacketBytes = DFLT_MAX_PACKET_BYTES;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private Random random;

        private Builder(FabricNetworkConfiguration settings) {
            this.settings = settings;
        }

        /** The cluster's beacon secret ({@code network.beaconSecret}), e.g. {@code openssl rand -hex 32}. */
        public Builder secret(String secret) {
            settings.setBeaconSecret(secret);
            return this;
        }

        /** IPv4 multicast group ({@code network.beaconGroup}). */
        public Builder multicastGroup(String multicastGroup) {
            settings.setBeaconGroup(multicastGroup);
            return this;
        }

        /** UDP port of the multicast group ({@code network.beaconPort}). */
        public Builder multicastPort(int multicastPort) {
            settings.setBeaconPort(multicastPort);
            return this;
        }

        /** Whether to use multicast; default true. Seeds work either way. */
        public Builder multicastEnabled(boolean multicastEnabled) {
            this.multicastEnabled = multicastEnabled;
            return this;
        }

        /** Interface name or IPv4 address of the multicast interface ({@code network.beaconInterface}). */
        public Builder interfaceName(String interfaceName) {
            settings.setBeaconInterface(interfaceName);
            return this;
        }

        /** Multicast TTL ({@code network.beaconTtl}). */
        public Builder ttl(int ttl) {
            settings.setBeaconTtl(ttl);
            return this;
        }

        /** Address of the unicast socket; default {@value #DFLT_BIND_HOST}. */
        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        /** First unicast port tried ({@code network.agentPort}). */
        public Builder unicastPort(int unicastPort) {
            settings.setAgentPort(unicastPort);
            return this;
        }

        /** Number of unicast ports tried ({@code network.agentPortRange}). */
        public Builder unicastPortRange(int unicastPortRange) {
            settings.setAgentPortRange(unicastPortRange);
            return this;
        }

        /**
         * Binds an ephemeral port whatever {@code network.agentPort} says (a client node's probes, which no agent
         * names as a seed); default false.
         */
        public Builder anyPort(boolean anyPort) {
            this.anyPort = anyPort;
            return this;
        }

        /** Replaces the seeds ({@code network.beaconSeeds}); each {@code host:port} or {@code host:port..port}. */
        public Builder seeds(Collection<String> seeds) {
            settings.setBeaconSeeds(seeds == null ? null : List.copyOf(seeds));
            return this;
        }

        /** Adds a seed: {@code host:port} or {@code host:port..port}. */
        public Builder seed(String seed) {
            settings.getBeaconSeeds().add(seed);
            return this;
        }

        /** Time between announcements ({@code network.beaconIntervalMs}), whole milliseconds. */
        public Builder beaconInterval(Duration beaconInterval) {
            settings.setBeaconIntervalMs(beaconInterval.toMillis());
            return this;
        }

        /** When a silent peer is lost; at least 2 x beaconInterval, default 3 x beaconInterval. */
        public Builder peerTimeout(Duration peerTimeout) {
            this.peerTimeout = peerTimeout;
            return this;
        }

        /** Time between pings of each peer ({@code network.latencyProbeIntervalMs}), whole milliseconds. */
        public Builder latencyInterval(Duration latencyInterval) {
            settings.setLatencyProbeIntervalMs(latencyInterval.toMillis());
            return this;
        }

        /** Replay window ({@code network.beaconReplayWindowMs}), whole milliseconds. */
        public Builder replayWindow(Duration replayWindow) {
            settings.setBeaconReplayWindowMs(replayWindow.toMillis());
            return this;
        }

        /** Largest datagram, 256..65000 bytes; default {@value #DFLT_MAX_PACKET_BYTES}. */
        public Builder maxPacketBytes(int maxPacketBytes) {
            this.maxPacketBytes = maxPacketBytes;
            return this;
        }

        /** Test-only: replaces the injected latencies ({@code network.injectedLatency}), whole milliseconds. */
        public Builder injectedLatency(Map<String, Duration> injectedLatency) {
            StringBuilder text = new StringBuilder();
            if (injectedLatency != null)
                injectedLatency.forEach((k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=')
                    .append(v.toMillis()));
            settings.setInjectedLatency(text.toString());
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
         * @throws IllegalArgumentException naming the first invalid setting by its path ({@code network.beaconPort}),
         *     or the first invalid run-time value, what was found and what is accepted
         */
        public NetworkConfiguration build() {
            if (random == null)
                random = new SecureRandom();
            return new NetworkConfiguration(this);
        }
    }
}
