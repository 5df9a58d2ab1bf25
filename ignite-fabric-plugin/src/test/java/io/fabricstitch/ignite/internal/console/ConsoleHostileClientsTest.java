package io.fabricstitch.ignite.internal.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricstitch.ignite.FabricConsoleConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile and careless HTTP clients against the console of a real node: slow, idle, many, oversize. Each test starts a
 * console of its own on the node, with the limits it needs, and talks to it over loopback sockets byte by byte where
 * an HTTP client would be too polite.
 */
class ConsoleHostileClientsTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final String TOKEN = "hostile-clients-token-0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    static Ignite node;

    final List<ConsoleServer> consoles = new ArrayList<>();
    final List<Socket> sockets = new ArrayList<>();
    final List<CompletableFuture<?>> dribblers = new ArrayList<>();
    final ExecutorService dribbling = Executors.newCachedThreadPool();
    final CountDownLatch stopDribbling = new CountDownLatch(1);

    @BeforeAll
    static void startNode() {
        node = CLUSTER.start("hostile", p -> {
            p.getAgent().setRealProbesEnabled(false);
            p.getConsole().setEnabled(false);
        });
    }

    @AfterEach
    void closeEverything() throws Exception {
        stopDribbling.countDown();
        for (CompletableFuture<?> d : dribblers)
            d.get(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS);
        dribbling.shutdown();
        for (Socket s : sockets)
            s.close();
        for (ConsoleServer c : consoles)
            c.close();
    }

    /** A console of the node with a token and the limits {@code limits} sets. */
    ConsoleServer console(Consumer<FabricPluginConfiguration> limits) {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration()
            .setConsole(new FabricConsoleConfiguration().setPort(0).setToken(TOKEN));
        limits.accept(cfg);
        cfg.validate();
        ConsoleServer c = ConsoleServer.start(node, cfg.getConsole(), FabricPlugin.of(node).metrics(), "hostile",
            node.log());
        consoles.add(c);
        return c;
    }

    /** A raw connection to {@code console} from local address {@code from}. */
    Socket connect(ConsoleServer console, String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(console.address().getHost(), console.address().getPort()), 5_000);
        s.setSoTimeout((int)Timing.CONDITION.toMillis()); // a server that never answers fails the test, not hangs it
        return s;
    }

    /** Sends {@code bytes} one a second on a thread of its own, until all are sent, the server cuts it off, or the test ends. */
    CompletableFuture<Integer> dribble(Socket s, byte[] bytes) {
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    sent.incrementAndGet();
                    if (stopDribbling.await(1, TimeUnit.SECONDS))
                        break;
                }
            }
            catch (IOException e) {
                // cut off by the server
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sent.get();
        }, dribbling);
        dribblers.add(f);
        return f;
    }

    /** Everything the server sends until it closes the connection. */
    static String readToEnd(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** One answer on a connection that stays open: its head and its {@code Content-Length} bytes of body. */
    static String readAnswer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0)
                throw new IOException("connection closed within the answer's head: " + head);
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int at = h.toLowerCase().indexOf("content-length:");
        int length = Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).strip());
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String apiRequest(String path, String connection) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: "
            + connection + "\r\n\r\n";
    }

    HttpResponse<String> get(ConsoleServer console, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(console.address().resolve(path)).header("Authorization", "Bearer "
            + TOKEN).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientSendingItsHeadersOneBytePerSecond_isAnswered408AndCutOffAtTheHeaderTimeout() throws Exception {
        ConsoleServer console = console(c -> c.getConsole().setHeaderTimeoutMs(2_000).setReadTimeoutMs(4_000));
        Socket slow = connect(console, "127.0.0.1");
        byte[] head = ascii(apiRequest("/api/fabrics", "keep-alive"));
        CompletableFuture<Integer> sent = dribble(slow, head);
        String answer = readToEnd(slow);
        assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        assertTrue(answer.contains("request timeout: its request line and headers did not arrive within "
            + "console.headerTimeoutMs=2000 ms of their first byte"), answer);
        assertTrue(sent.get(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS) < head.length,
            "cut off before its head was complete");
        Timing.await("the slow connection closed on the server", () -> console.openConnections() == 0);
    }

    @Test
    void clientSendingItsBodyOneBytePerSecond_isAnswered408AtTheReadTimeout() throws Exception {
        ConsoleServer console = console(c -> c.getConsole().setHeaderTimeoutMs(1_000).setReadTimeoutMs(3_000));
        Socket slow = connect(console, "127.0.0.1");
        String id = java.util.UUID.randomUUID().toString();
        slow.getOutputStream().write(ascii("POST /api/fabrics/" + id + "/fail HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"));
        CompletableFuture<Integer> sent = dribble(slow, ascii("{\"reason\": \"" + "x".repeat(86) + "\"}"));
        String answer = readToEnd(slow);
        assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        assertTrue(answer.contains("its request did not arrive within console.readTimeoutMs=3000 ms of its first byte"),
            answer);
        assertTrue(sent.get(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS) < 100, "cut off within its body");
    }

    @Test
    void idleConnections_areClosedAfterTheReadTimeout_beforeAndAfterAnAnswer() throws Exception {
        ConsoleServer console = console(c -> c.getConsole().setHeaderTimeoutMs(500).setReadTimeoutMs(1_000));
        Socket silent = connect(console, "127.0.0.1");
        assertEquals("", readToEnd(silent), "closed without a word");
        Socket kept = connect(console, "127.0.0.1");
        kept.getOutputStream().write(ascii(apiRequest("/api/metrics", "keep-alive")));
        assertTrue(readAnswer(kept).startsWith("HTTP/1.1 200 OK\r\n"));
        assertEquals("", readToEnd(kept), "the kept-alive connection closed once idle");
        Timing.await("no connection left open", () -> console.openConnections() == 0);
    }

    @Test
    void tenSlowClientsHoldingConnections_doNotKeepAnAuthenticatedRequestPastOneSecond() throws Exception {
        ConsoleServer console = console(c -> { });
        assertEquals(200, get(console, "api/overview").statusCode(), "warmed up: queries planned, classes loaded");
        for (int i = 0; i < 10; i++) {
            Socket slow = connect(console, "127.0.0.1");
            dribble(slow, ascii("GET /api/overview HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "z".repeat(100)));
        }
        Timing.await("10 slow connections open", () -> console.openConnections() >= 10,
            () -> console.openConnections() + " open");
        long start = System.nanoTime();
        HttpResponse<String> r = get(console, "api/overview");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(new ObjectMapper().readTree(r.body()).has("fabrics"), r.body());
        assertTrue(tookMs < Timing.scaled(1_000), "answered in " + tookMs + " ms beside 10 slow clients");
        assertTrue(console.openConnections() >= 10, "the slow clients were still connected: "
            + console.openConnections());
    }

    @Test
    void oversizeBody_isRefused413_whoeverSendsIt() throws Exception {
        ConsoleServer console = console(c -> c.getConsole().setFaultInjection(true));
        String path = "api/fabrics/" + java.util.UUID.randomUUID() + "/fail";
        String body = "{\"reason\": \"" + "x".repeat(ConsoleLimits.MAX_BODY) + "\"}";
        for (String token : new String[] {TOKEN, null}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(console.address().resolve(path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null)
                b.header("Authorization", "Bearer " + token);
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals("{\"error\":\"request body over 4096 bytes (expected: {\\\"reason\\\": \\\"...\\\"} or no "
                + "body)\"}", r.body());
        }
        assertEquals(200, get(console, "api/metrics").statusCode(), "the console answers on");
    }

    @Test
    void oversizeRequestLineAndHeaders_areRefused414And431() throws Exception {
        ConsoleServer console = console(c -> { });
        Socket longLine = connect(console, "127.0.0.1");
        longLine.getOutputStream().write(ascii(apiRequest("/api/fabrics?x=" + "a".repeat(ConsoleLimits
            .MAX_REQUEST_LINE), "keep-alive")));
        String answer = readToEnd(longLine);
        assertTrue(answer.startsWith("HTTP/1.1 414 Request-URI Too Long\r\n"), answer);
        assertTrue(answer.endsWith("request line over 4096 bytes (expected: a shorter address)"), answer);
        Socket manyHeaders = connect(console, "127.0.0.1");
        manyHeaders.getOutputStream().write(ascii("GET /api/fabrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
            + "b".repeat(ConsoleLimits.MAX_HEADER_BYTES) + "\r\n\r\n"));
        answer = readToEnd(manyHeaders);
        assertTrue(answer.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), answer);
        assertTrue(answer.endsWith("request headers over 8192 bytes (expected: fewer or shorter headers)"), answer);
    }

    @Test
    void connectionsOverTheirCaps_areRefused503_whileOthersAreServed() throws Exception {
        ConsoleServer console = console(c -> c.getConsole().setMaxConnections(3).setMaxConnectionsPerPeer(2));
        for (int i = 0; i < 2; i++)
            connect(console, "127.0.0.2").getOutputStream().write(ascii("GET"));
        Timing.await("2 connections from 127.0.0.2", () -> console.openConnections() == 2);
        String refused = readToEnd(connect(console, "127.0.0.2"));
        assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), refused);
        assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
        assertTrue(refused.endsWith("too many connections from 127.0.0.2: 2 open (expected: at most "
            + "console.maxConnectionsPerPeer=2 at once; close idle ones, or retry)"), refused);
        Socket other = connect(console, "127.0.0.3");
        other.getOutputStream().write(ascii(apiRequest("/api/metrics", "keep-alive")));
        assertTrue(readAnswer(other).startsWith("HTTP/1.1 200 OK\r\n"), "another address is served");
        refused = readToEnd(connect(console, "127.0.0.4"));
        assertTrue(refused.endsWith("the console has 3 connections open, its most (expected: fewer at once, "
            + "console.maxConnections=3; retry)"), refused);
    }

    @Test
    void apiRequestsOverTheWorkersAndTheirQueue_areAnswered503AtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ConsoleWorkers workers = new ConsoleWorkers("test-workers", 1, 1)) {
            CompletableFuture<ConsoleResponse> running = workers.submit(() -> {
                try {
                    release.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ConsoleResponse.text(200, "ran");
            });
            CompletableFuture<ConsoleResponse> queued = workers.submit(() -> ConsoleResponse.text(200, "queued"));
            ConsoleResponse busy = workers.submit(() -> ConsoleResponse.text(200, "never")).getNow(null);
            assertEquals(503, busy.status(), "answered at once");
            assertEquals("1", busy.header("Retry-After"));
            assertEquals("{\"error\":\"the console is busy: 1 API requests running and 1 waiting (expected: fewer "
                + "requests at once; retry, or raise console.workerThreads or console.maxQueuedRequests)\"}",
                new String(busy.body(), StandardCharsets.UTF_8));
            release.countDown();
            assertEquals(200, running.get(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS).status());
            assertEquals(200, queued.get(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS).status());
        }
    }

    @Test
    void answersKeepTheirSecurityHeaders() throws Exception {
        ConsoleServer console = console(c -> { });
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(console.address()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertEquals("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(console.address().resolve("api/fabrics")).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"fabric-stitch\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(console.address().resolve("api/fabrics"))
            .header("Authorization", "Bearer " + TOKEN).PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
        assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(""));
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(console.address().resolve("console.js"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        HttpResponse<byte[]> script = HTTP.send(HttpRequest.newBuilder(console.address().resolve("console.js")).GET()
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(String.valueOf(script.body().length), head.headers().firstValue("Content-Length").orElse(""),
            "HEAD tells the length GET sends");
    }
}
