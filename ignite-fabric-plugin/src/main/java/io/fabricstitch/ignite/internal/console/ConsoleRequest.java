package io.fabricstitch.ignite.internal.console;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.SocketAddress;

/**
 * What the console reads of one request, copied out of Netty's buffers so that it can cross to a worker thread:
 * method, request target, the {@code Host} and {@code Authorization} headers, the body, and the peer. Immutable.
 * Not API.
 */
final class ConsoleRequest {
    private final String method;
    private final String target;
    private final String host;
    private final String authorization;
    private final byte[] body;
    private final SocketAddress peer;

    ConsoleRequest(String method, String target, String host, String authorization, byte[] body, SocketAddress peer) {
        this.method = method;
        this.target = target;
        this.host = host;
        this.authorization = authorization;
        this.body = body;
        this.peer = peer;
    }

    /** A copy of {@code r}, which the caller still owns and releases. */
    static ConsoleRequest of(FullHttpRequest r, SocketAddress peer) {
        return new ConsoleRequest(r.method().name(), r.uri(), r.headers().get(HttpHeaderNames.HOST),
            r.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(r.content()), peer);
    }

    String method() {
        return method;
    }

    /** The request target as sent, e.g. {@code /api/assignments?limit=5}. */
    String target() {
        return target;
    }

    /** The first {@code Host} header; null when absent. */
    String host() {
        return host;
    }

    /** The first {@code Authorization} header; null when absent. */
    String authorization() {
        return authorization;
    }

    byte[] body() {
        return body.clone();
    }

    SocketAddress peer() {
        return peer;
    }

    @Override
    public String toString() {
        return method + ' ' + target;
    }
}
