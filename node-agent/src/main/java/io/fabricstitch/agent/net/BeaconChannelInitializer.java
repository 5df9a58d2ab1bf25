package io.fabricstitch.agent.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.FixedRecvByteBufAllocator;
import java.util.Arrays;

/**
 * The beacon pipeline, the same on the unicast and the multicast channel. Each check has its own handler; a datagram
 * goes down until one refuses it by throwing a {@link DroppedDatagramException}, which the last handler counts:
 * <pre>
 *  datagram (read into maxPacketBytes + 1 bytes)
 *     |
 *  size     longer than maxPacketBytes ---------------------------&gt; droppedOversized
 *     |
 *  frame    &lt; 64 bytes, magic, version, type, body length ------&gt; droppedMalformed
 *     |
 *  auth     HMAC-SHA256 under the secret does not match ----------&gt; droppedUnauthenticated
 *     |
 *  replay   timestamp outside replayWindow, or nonce seen ------&gt; droppedReplayed
 *     |
 *  body     strings, counts, ordinals, sizes -------------------&gt; droppedMalformed
 *     |
 *  encoder  (outbound only: signs what we send)
 *     |
 *  peers    our own node id -&gt; ignoredOwn; else accepted: peer table, latency, replies
 *     |
 *  drops    counts and logs each refusal above; anything unexpected -&gt; droppedMalformed
 * </pre>
 */
final class BeaconChannelInitializer extends ChannelInitializer<Channel> {
    private final NetworkConfiguration cfg;
    private final NetworkCounters counters;
    private final NonceMemory nonces;
    private final DropLog drops;
    private final PeerProtocol protocol;
    private final boolean multicast;

    /**
     * @param multicast whether the channel is the one joined to the multicast group
     */
    BeaconChannelInitializer(NetworkConfiguration cfg, NetworkCounters counters, NonceMemory nonces, DropLog drops,
        PeerProtocol protocol, boolean multicast) {
        this.cfg = cfg;
        this.counters = counters;
        this.nonces = nonces;
        this.drops = drops;
        this.protocol = protocol;
        this.multicast = multicast;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(cfg.maxPacketBytes() + 1));
        byte[] secret = cfg.secret();
        ch.pipeline()
            .addLast("arrival", new ArrivalStamp(cfg.nanoTime()))
            .addLast("size", new DatagramSizeFilter(cfg.maxPacketBytes(), counters))
            .addLast("frame", new BeaconFrameDecoder())
            .addLast("auth", new BeaconAuthenticator(secret))
            .addLast("replay", new ReplayGuard(cfg.clock(), cfg.replayWindow(), nonces))
            .addLast("body", new BeaconBodyDecoder())
            .addLast("encoder", new BeaconEncoder(secret, cfg))
            .addLast("peers", new BeaconHandler(protocol, multicast))
            .addLast("drops", new DropHandler(drops));
        Arrays.fill(secret, (byte)0);
    }
}
