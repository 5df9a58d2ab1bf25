package io.fabricstitch.ignite.internal.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the console: status, content type, the headers particular to it, and the body. Every answer also
 * carries {@code X-Content-Type-Options: nosniff}, {@code Cache-Control: no-store}, {@code Date} and
 * {@code Content-Length}. Immutable. Not API.
 */
final class ConsoleResponse {
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int status;
    private final String contentType;
    private final Map<String, String> headers;
    private final byte[] body;

    private ConsoleResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.headers = headers;
        this.body = body;
    }

    static ConsoleResponse of(int status, String contentType, byte[] body) {
        return new ConsoleResponse(status, contentType, Map.of(), body);
    }

    /** A plain-text answer. */
    static ConsoleResponse text(int status, String message) {
        return of(status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code answer} as JSON; a 500 naming the failure when it cannot be written. */
    static ConsoleResponse json(int status, Object answer) {
        try {
            return of(status, JSON, MAPPER.writeValueAsBytes(answer));
        }
        catch (JsonProcessingException e) {
            return error(500, "the console failed to write its answer as JSON: " + e.getOriginalMessage());
        }
    }

    /** The API's error answer: {@code {"error": message}}. */
    static ConsoleResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    /** This answer with header {@code name} set to {@code value} as well. */
    ConsoleResponse with(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ConsoleResponse(status, contentType, Map.copyOf(h), body);
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    /** The value of header {@code name} particular to this answer; null when it has none. */
    String header(String name) {
        return headers.get(name);
    }

    byte[] body() {
        return body.clone();
    }

    /**
     * The HTTP message.
     *
     * @param head whether it answers HEAD: the headers of the full answer, no body
     * @param keepAlive whether the connection stays open after it
     * @param requestVersion the request's HTTP version, for the {@code Connection} header
     */
    FullHttpResponse toHttp(boolean head, boolean keepAlive, HttpVersion requestVersion, Instant now) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.DATE, DateFormatter.format(Date.from(now)));
        h.set("X-Content-Type-Options", "nosniff");
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        headers.forEach(h::set);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        HttpUtil.setKeepAlive(h, requestVersion, keepAlive);
        return r;
    }

    @Override
    public String toString() {
        return "ConsoleResponse [status=" + status + ", contentType=" + contentType + ", headers=" + headers
            + ", body=" + body.length + " B]";
    }
}
