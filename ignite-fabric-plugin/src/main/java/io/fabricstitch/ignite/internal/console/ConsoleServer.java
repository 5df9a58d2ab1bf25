package io.fabricstitch.ignite.internal.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.internal.FabricMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;

/**
 * The web console of a server node: the page ({@code /}) and the JSON REST API ({@code /api/...}) on the JDK's HTTP
 * server, bound to {@code consoleHost} on the first free port of {@code consolePort .. +consolePortRange-1}. Two
 * worker threads; request bodies up to 4 KiB; answers are never cached. Not API.
 */
public final class ConsoleServer implements AutoCloseable {
    static final int MAX_BODY = 4096;

    private static final Map<String, String> PAGES = Map.of(
        "/", "index.html", "/index.html", "index.html", "/console.js", "console.js", "/console.css", "console.css");

    private final HttpServer server;
    private final ExecutorService workers;
    private final ConsoleApi api;
    private final ConsoleAccess access;
    private final ObjectMapper json = new ObjectMapper();
    private final IgniteLogger log;
    private final URI address;

    private ConsoleServer(HttpServer server, ExecutorService workers, ConsoleApi api, ConsoleAccess access,
        IgniteLogger log, String host) {
        this.server = server;
        this.workers = workers;
        this.api = api;
        this.access = access;
        this.log = log;
        String h = host.contains(":") && !host.startsWith("[") ? '[' + host + ']' : host;
        this.address = URI.create("http://" + h + ':' + server.getAddress().getPort() + '/');
    }

    /**
     * Starts the console of node {@code nodeName}.
     *
     * @throws IllegalStateException naming the ports tried when none is free
     */
    public static ConsoleServer start(Ignite ignite, FabricPluginConfiguration cfg, FabricMetrics metrics,
        String nodeName, IgniteLogger log) {
        ConsoleAccess access = new ConsoleAccess(cfg.effectiveConsoleToken(), cfg.isConsoleFaultInjection());
        HttpServer server = bind(cfg.getConsoleHost(), cfg.getConsolePort(), cfg.getConsolePortRange());
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fabric-console-" + nodeName);
            t.setDaemon(true);
            return t;
        });
        ObjectMapper json = new ObjectMapper();
        ConsoleApi api = new ConsoleApi(ignite, metrics, nodeName, access, json, Clock.systemUTC());
        ConsoleServer console = new ConsoleServer(server, workers, api, access, log, cfg.getConsoleHost());
        server.setExecutor(workers);
        server.createContext("/", console::handle);
        server.start();
        return console;
    }

    private static HttpServer bind(String host, int port, int range) {
        int last = port == 0 ? 0 : Math.min(65535, port + range - 1);
        IOException lastError = null;
        for (int p = port; p <= last; p++) {
            try {
                return HttpServer.create(new InetSocketAddress(host, p), 16);
            }
            catch (BindException e) {
                lastError = e;
            }
            catch (IOException e) {
                throw new IllegalStateException("web console cannot listen on " + host + ':' + p + ": " + e.getMessage()
                    + " (expected: consoleHost an address of this host)");
            }
        }
        throw new IllegalStateException("web console: no free port in " + host + ':' + port + ".." + last + " ("
            + (lastError == null ? "none tried" : lastError.getMessage()) + "; expected: a free port, or "
            + "consolePort=0 for any, or consoleEnabled=false)");
    }

    /** The console's address, e.g. {@code http://127.0.0.1:8090/}. */
    public URI address() {
        return address;
    }

    /** Whether the console asks for a token. */
    public boolean tokenRequired() {
        return access.tokenRequired();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (path.startsWith("/api/"))
                handleApi(ex, path.substring(5));
            else
                handlePage(ex, path);
        }
        catch (IOException e) {
            log.debug("Fabric Stitch: web console request from " + ex.getRemoteAddress() + " ended: " + e);
        }
        catch (RuntimeException e) {
            log.warning("Fabric Stitch: web console request " + ex.getRequestMethod() + ' ' + ex.getRequestURI()
                + " failed", e);
        }
    }

    private void handlePage(HttpExchange ex, String path) throws IOException {
        String file = PAGES.get(path);
        if (file == null) {
            send(ex, 404, "text/plain; charset=utf-8", ("no page " + path + " (expected: / or /api/...)")
                .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            send(ex, 405, "text/plain; charset=utf-8", "method not allowed (expected: GET)".getBytes(
                StandardCharsets.UTF_8));
            return;
        }
        byte[] body;
        try (InputStream in = ConsoleServer.class.getResourceAsStream("/io/fabricstitch/console/" + file)) {
            if (in == null) {
                send(ex, 500, "text/plain; charset=utf-8", ("console resource " + file + " is missing from the "
                    + "plugin jar").getBytes(StandardCharsets.UTF_8));
                return;
            }
            body = in.readAllBytes();
        }
        String type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js")
            ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'");
        send(ex, 200, type, body);
    }

    private void handleApi(HttpExchange ex, String path) throws IOException {
        Object answer;
        int status = 200;
        try {
            if (!access.tokenRequired() && !isLoopbackHost(ex.getRequestHeaders().getFirst("Host")))
                throw new ConsoleException(403, "host '" + ex.getRequestHeaders().getFirst("Host") + "' (expected: "
                    + "localhost, 127.x.x.x or [::1]: a console without a token answers loopback names only)");
            ConsoleAccess.Grant grant = access.grantOf(ex.getRequestHeaders().getFirst("Authorization"));
            if (grant == ConsoleAccess.Grant.NONE) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"fabric-stitch\"");
                throw new ConsoleException(401, "this console needs its token (expected: header Authorization: "
                    + "Bearer <consoleToken>; in a browser open the console's address with #token=<consoleToken>)");
            }
            Map<String, String> params = params(ex.getRequestURI().getRawQuery());
            switch (ex.getRequestMethod()) {
                case "GET":
                    answer = api.get(path, params, grant);
                    break;
                case "POST":
                    // the body is read only for a caller who may use it
                    byte[] body = grant == ConsoleAccess.Grant.FAULTS ? body(ex) : new byte[0];
                    answer = api.post(path, params, body, grant);
                    break;
                default:
                    ex.getResponseHeaders().set("Allow", "GET, POST");
                    throw new ConsoleException(405, "method " + ex.getRequestMethod() + " (expected: GET, or POST "
                        + "for fault operations)");
            }
        }
        catch (ConsoleException e) {
            status = e.status();
            answer = Map.of("error", e.getMessage());
        }
        catch (org.apache.ignite.IgniteException | IllegalStateException | javax.cache.CacheException e) {
            status = 503;
            answer = Map.of("error", "the Fabric Map cannot be read now: " + e.getMessage());
        }
        catch (RuntimeException e) {
            log.warning("Fabric Stitch: web console request " + ex.getRequestMethod() + ' ' + ex.getRequestURI()
                + " failed", e);
            status = 500;
            answer = Map.of("error", "the console failed to answer: " + e);
        }
        send(ex, status, "application/json", json.writeValueAsBytes(answer));
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY)
                throw new ConsoleException(413, "request body over " + MAX_BODY + " bytes (expected: {\"reason\": "
                    + "\"...\"} or no body)");
            return b;
        }
    }

    /** Whether a {@code Host} header names the loopback interface (a DNS-rebinding page sends its own name). */
    static boolean isLoopbackHost(String host) {
        if (host == null)
            return false;
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127(\\.\\d{1,3}){3}");
    }

    static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty())
            return out;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty())
                continue;
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException e) {
                throw new ConsoleException(400, "query '" + rawQuery + "' is not URL-encoded (" + e.getMessage()
                    + "; expected: name=value pairs joined by &)");
            }
            if (out.put(k, v) != null)
                throw new ConsoleException(400, "parameter '" + k + "' given twice (expected: once)");
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
