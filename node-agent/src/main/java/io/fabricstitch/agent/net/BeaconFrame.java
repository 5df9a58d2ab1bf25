package io.fabricstitch.agent.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.net.InetSocketAddress;

/**
 * A datagram whose frame is well formed (see {@link BeaconFrameDecoder}), not yet authenticated: its header fields and
 * the whole datagram, which it owns and releases.
 */
final class BeaconFrame extends DefaultByteBufHolder {
    private final InetSocketAddress sender;
    private final BeaconType type;
    private final long timestampMillis;
    private final long nonceHigh;
    private final long nonceLow;
    private final int bodyLength;

    /**
     * @param datagram the whole datagram, from its reader index
     */
    BeaconFrame(ByteBuf datagram, InetSocketAddress sender, BeaconType type, long timestampMillis, long nonceHigh,
        long nonceLow, int bodyLength) {
        super(datagram);
        this.sender = sender;
        this.type = type;
        this.timestampMillis = timestampMillis;
        this.nonceHigh = nonceHigh;
        this.nonceLow = nonceLow;
        this.bodyLength = bodyLength;
    }

    InetSocketAddress sender() {
        return sender;
    }

    BeaconType type() {
        return type;
    }

    /** The sender's wall clock when it sent the datagram, epoch milliseconds. */
    long timestampMillis() {
        return timestampMillis;
    }

    /** First 8 bytes of the nonce. */
    long nonceHigh() {
        return nonceHigh;
    }

    /** Last 8 bytes of the nonce. */
    long nonceLow() {
        return nonceLow;
    }

    /** Bytes covered by the HMAC: header and body. */
    int signedLength() {
        return BeaconFrameDecoder.HEADER_BYTES + bodyLength;
    }

    /** The body, a slice of the datagram valid while this frame is. */
    ByteBuf body() {
        return content().slice(content().readerIndex() + BeaconFrameDecoder.HEADER_BYTES, bodyLength);
    }

    @Override
    public BeaconFrame replace(ByteBuf content) {
        return new BeaconFrame(content, sender, type, timestampMillis, nonceHigh, nonceLow, bodyLength);
    }

    @Override
    public String toString() {
        return "BeaconFrame [type=" + type + ", from=" + sender + ", timestamp=" + timestampMillis + ", body="
            + bodyLength + " bytes]";
    }
}
