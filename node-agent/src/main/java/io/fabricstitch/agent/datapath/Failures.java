package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLException;

/**
 * The messages of the data path's failures, each saying what happened and what was expected, and the mapping of
 * anything a channel may throw to a {@link DataPathException}. A channel's transfer id, once known, is kept in the
 * {@link #TRANSFER_ID} attribute so that every handler can name the transfer.
 */
final class Failures {
    /** The transfer of a connection, set when its OPEN is written or read. */
    static final AttributeKey<UUID> TRANSFER_ID = AttributeKey.valueOf(Failures.class, "transferId");

    private static final String CA = "(expected: a certificate signed by the cluster's CA)";

    private Failures() {
    }

    /** {@code 127.0.0.1:51234}. */
    static String peer(Channel ch) {
        SocketAddress a = ch.remoteAddress();
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress)a;
            return (i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress()) + ':' + i.getPort();
        }
        return a == null ? "an unconnected peer" : a.toString();
    }

    /** {@code of transfer <id> from 127.0.0.1:51234}, or {@code from 127.0.0.1:51234} before the OPEN. */
    static String from(Channel ch) {
        UUID id = ch.attr(TRANSFER_ID).get();
        return (id == null ? "" : "of transfer " + id + ' ') + "from " + peer(ch);
    }

    /** {@code transfer <id> with 127.0.0.1:51234}, or {@code connection with 127.0.0.1:51234} before the OPEN. */
    static String with(Channel ch) {
        UUID id = ch.attr(TRANSFER_ID).get();
        return (id == null ? "connection" : "transfer " + id) + " with " + peer(ch);
    }

    /** {@code message} with its {@code data path:} prefix replaced by {@code name:}, e.g. {@code data path n1:}. */
    static String logLine(String name, String message) {
        return message.startsWith("data path: ") ? name + ": " + message.substring("data path: ".length())
            : name + ": " + message;
    }

    /** The failure an ERROR frame from the server reports, with the server's message. */
    static DataPathException serverError(Channel ch, Frame f) {
        String m = f.message();
        UUID id = ch.attr(TRANSFER_ID).get();
        return DataPathException.expected(f.errorKind(), "data path: server " + peer(ch) + " failed "
            + (id == null ? "the connection" : "transfer " + id) + ": "
            + (m.startsWith("data path: ") ? m.substring("data path: ".length()) : m));
    }

    static DataPathException checksum(Channel ch, Frame f, int computed) {
        return DataPathException.expected(Failure.CHECKSUM, "data path: frame " + f.index() + ' ' + from(ch)
            + " has CRC32C " + Crc32c.hex(f.crc()) + ", computed " + Crc32c.hex(computed)
            + " (expected: equal; the transfer is discarded)");
    }

    /**
     * @param sending whether this side was sending, so that the peer stalled by taking nothing
     */
    static DataPathException timeout(Channel ch, Duration readTimeout, boolean sending) {
        long ms = readTimeout.toMillis();
        return DataPathException.expected(Failure.TIMEOUT, "data path: " + with(ch) + ": peer "
            + (sending ? "took no bytes for " + ms + " ms (expected: progress" : "sent nothing for " + ms
            + " ms (expected: a frame") + " at least every readTimeout; the transfer is discarded)");
    }

    /**
     * @param payloadBytes payload bytes moved before the connection closed
     * @param hint appended to the expectation, e.g. {@code ; ...}; may be empty
     */
    static DataPathException truncated(Channel ch, long payloadBytes, String hint) {
        return DataPathException.expected(Failure.TRUNCATED, "data path: " + with(ch) + ": the connection closed "
            + "after " + payloadBytes + " payload bytes, before the transfer ended (expected: OPEN, DATA..., END and "
            + "its acknowledgement; the transfer is discarded" + hint + ")");
    }

    /** The hint of a plain client whose connection closed early. */
    static final String PLAIN_CLIENT_HINT = "; a TLS server closes plain connections: is the server using TLS?";

    /** The hints of a client whose connection closed early, after {@code payloadBytes}, with TLS or not. */
    static String clientHint(long payloadBytes, boolean tls) {
        return (payloadBytes == 0 ? "; a server at its connection caps closes new connections at once" : "")
            + (tls ? "" : PLAIN_CLIENT_HINT);
    }

    /** A TLS handshake that failed, or a TLS alert: the peer is not trusted, refused us, or does not speak TLS. */
    static DataPathException tls(Channel ch, SSLException e) {
        String reason = String.valueOf(e.getMessage());
        if (e instanceof NotSslRecordException)
            return DataPathException.expected(Failure.UNTRUSTED_PEER, "data path: " + peer(ch) + " does not speak "
                + "TLS: " + abbreviate(reason) + " (expected: TLS 1.3; is the peer configured for DIRECT?)");
        // The JDK says "Received fatal alert: ...", BoringSSL "...:TLSV1_ALERT_..." or "...:SSLV3_ALERT_...".
        if (reason.contains("Received fatal alert") || reason.contains("_ALERT_"))
            return DataPathException.expected(Failure.UNTRUSTED_PEER, "data path: " + peer(ch) + " refused the TLS "
                + "handshake: " + reason + " (expected: this node's certificate signed by the cluster's CA)");
        return DataPathException.expected(Failure.UNTRUSTED_PEER, "data path: certificate of " + peer(ch)
            + " is not trusted: " + reason + ' ' + CA);
    }

    /** Whatever a channel threw or failed a write with, as a {@link DataPathException}. */
    static DataPathException of(Channel ch, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DataPathException)
                return (DataPathException)c;
            if (c instanceof SSLException)
                return tls(ch, (SSLException)c);
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException)
                return new DataPathException(Failure.TRUNCATED, "data path: " + with(ch) + " failed: " + c
                    + " (expected: the connection open until the transfer ends)", t);
        }
        return new DataPathException(Failure.IO, "data path: " + with(ch) + " failed: " + t, t);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
