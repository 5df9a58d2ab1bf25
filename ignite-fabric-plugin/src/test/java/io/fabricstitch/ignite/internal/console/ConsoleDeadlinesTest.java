package io.fabricstitch.ignite.internal.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.logger.NullLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's deadlines on an embedded channel in virtual time: which timer runs in which state of a connection,
 * and what the client gets when it expires. Header timeout 5 s, read timeout 10 s.
 */
class ConsoleDeadlinesTest {
    static final ConsoleLimits LIMITS = new ConsoleLimits(Duration.ofSeconds(5), Duration.ofSeconds(10), 64, 16, 2, 16);

    final List<FullHttpRequest> requests = new ArrayList<>();
    final EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(),
        new ConsoleDeadlines(LIMITS, Clock.systemUTC(), new NullLogger()), new ConsoleBodyLimit(Clock.systemUTC()),
        new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                requests.add((FullHttpRequest)msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // as ConsoleHttpHandler: the aggregator reports a request cut off in its body; the channel closes
            }
        });

    @AfterEach
    void release() {
        requests.forEach(FullHttpRequest::release);
        ch.finishAndReleaseAll();
    }

    void send(String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    void after(long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    /** Asserts that the connection is still open 100 ms before {@code millis} from now and closed 100 ms after. */
    void closesAfter(long millis) {
        after(millis - 100);
        assertTrue(ch.isOpen(), "open until " + millis + " ms");
        after(200);
        assertFalse(ch.isOpen(), "closed at " + millis + " ms");
    }

    void answer() {
        ch.writeOutbound(ConsoleResponse.text(200, "ok").toHttp(false, true, HttpVersion.HTTP_1_1,
            Clock.systemUTC().instant()));
    }

    /** What the server wrote since the last call. */
    String written() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    @Test
    void partOfAHead_isAnswered408AtTheHeaderTimeout_notBefore() {
        send("GET /api/fabrics HTTP/1.1\r\nHo");
        closesAfter(5_000);
        String answer = written();
        assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        assertTrue(answer.contains("\r\nconnection: close\r\n"), answer);
    }

    @Test
    void aSilentConnection_isClosedAtTheReadTimeout_withoutAWord() {
        closesAfter(10_000);
        assertEquals("", written());
    }

    @Test
    void noTimerRunsWhileTheConsoleWorksOnAnAnswer_thenTheConnectionIdlesForTheReadTimeout() {
        send("GET /api/fabrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(1, requests.size());
        after(60_000);
        assertTrue(ch.isOpen(), "the server's own time is not the client's");
        answer();
        assertTrue(written().startsWith("HTTP/1.1 200 OK\r\n"));
        closesAfter(10_000);
    }

    @Test
    void aBodyStillArrivingAtTheReadTimeout_isAnswered408() {
        send("POST /api/fabrics/x/fail HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"re");
        closesAfter(10_000); // not at the header timeout: the head is complete
        String answer = written();
        assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        assertTrue(answer.contains("console.readTimeoutMs=10000 ms of its first byte"), answer);
    }

    @Test
    void anOversizeBodyOnAKeptAliveConnection_isAnswered413AndDropped_thenTheConnectionIdles() {
        send("POST /api/fabrics/x/fail HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n");
        String answer = written();
        assertTrue(answer.startsWith("HTTP/1.1 413 Request Entity Too Large\r\n"), answer);
        assertFalse(answer.contains("connection: close"), answer);
        send("x".repeat(5000));
        assertEquals(List.of(), requests, "the body was dropped, not answered");
        closesAfter(10_000); // idle from the end of the dropped body
    }
}
