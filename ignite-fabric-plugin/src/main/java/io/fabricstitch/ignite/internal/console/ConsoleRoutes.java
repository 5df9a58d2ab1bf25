package io.fabricstitch.ignite.internal.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.ignite.IgniteLogger;

/**
 * Who answers a request: pages from memory; for the API, the host and token checks, the query and the method, all
 * on the calling thread, and only then the API call itself on a {@link ConsoleWorkers console worker}, since it may
 * read the Fabric Map or run Ignite compute. A caller without the token never occupies a worker. Not API.
 */
final class ConsoleRoutes {
    private final ConsolePages pages;
    private final ConsoleApi api;
    private final ConsoleAccess access;
    private final ConsoleWorkers workers;
    private final IgniteLogger log;

    ConsoleRoutes(ConsolePages pages, ConsoleApi api, ConsoleAccess access, ConsoleWorkers workers, IgniteLogger log) {
        this.pages = pages;
        this.api = api;
        this.access = access;
        this.workers = workers;
        this.log = log;
    }

    /** The answer to {@code req}: complete at once unless the API has to be asked. */
    CompletableFuture<ConsoleResponse> answer(ConsoleRequest req) {
        URI target;
        try {
            target = new URI(req.target());
        }
        catch (URISyntaxException e) {
            return done(ConsoleResponse.text(400, "request target '" + req.target() + "' is not a URI ("
                + e.getReason() + "; expected: a path such as /api/fabrics)"));
        }
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        if (!path.startsWith("/api/"))
            return done(pages.answer(req.method(), path));
        Supplier<Object> call;
        try {
            call = admit(req, path.substring(5), target.getRawQuery());
        }
        catch (ConsoleException e) {
            return done(e.response());
        }
        return workers.submit(() -> respond(req, call));
    }

    /**
     * The API call {@code req} asks for, once its host, token, query and method are accepted.
     *
     * @throws ConsoleException naming what was refused
     */
    private Supplier<Object> admit(ConsoleRequest req, String path, String rawQuery) {
        if (!access.tokenRequired() && !ConsoleServer.isLoopbackHost(req.host()))
            throw new ConsoleException(403, "host '" + req.host() + "' (expected: localhost, 127.x.x.x or [::1]: a "
                + "console without a token answers loopback names only)");
        ConsoleAccess.Grant grant = access.grantOf(req.authorization());
        if (grant == ConsoleAccess.Grant.NONE)
            throw new ConsoleException(401, "this console needs its token (expected: header Authorization: Bearer "
                + "<console.token>; in a browser open the console's address with #token=<console.token>)",
                "WWW-Authenticate", "Bearer realm=\"fabric-stitch\"");
        Map<String, String> params = ConsoleServer.params(rawQuery);
        switch (req.method()) {
            case "GET":
                return () -> api.get(path, params, grant);
            case "POST":
                // the body is used only for a caller who may inject faults
                byte[] body = grant == ConsoleAccess.Grant.FAULTS ? req.body() : new byte[0];
                return () -> api.post(path, params, body, grant);
            default:
                throw new ConsoleException(405, "method " + req.method() + " (expected: GET, or POST for fault "
                    + "operations)", "Allow", "GET, POST");
        }
    }

    /** The JSON answer of {@code call}, or the error that says why there is none. */
    private ConsoleResponse respond(ConsoleRequest req, Supplier<Object> call) {
        try {
            return ConsoleResponse.json(200, call.get());
        }
        catch (ConsoleException e) {
            return e.response();
        }
        catch (org.apache.ignite.IgniteException | IllegalStateException | javax.cache.CacheException e) {
            return ConsoleResponse.error(503, "the Fabric Map cannot be read now: " + e.getMessage());
        }
        catch (RuntimeException e) {
            log.warning("Fabric Stitch: web console request " + req + " failed", e);
            return ConsoleResponse.error(500, "the console failed to answer: " + e);
        }
    }

    private static CompletableFuture<ConsoleResponse> done(ConsoleResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
