package io.fabricstitch.ignite.internal.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The console's page, script and style sheet, read from the plugin jar once at start and served from memory, so that
 * answering them never blocks. Each carries a {@code Content-Security-Policy} that allows only the console's own
 * files. Not API.
 */
final class ConsolePages {
    /** Where the files are in the jar. */
    static final String RESOURCES = "/io/fabricstitch/console/";

    static final String CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    private static final Map<String, String> PAGES = Map.of(
        "/", "index.html", "/index.html", "index.html", "/console.js", "console.js", "/console.css", "console.css");

    /** Each file's content; a file missing from the jar has none. */
    private final Map<String, byte[]> files;

    private ConsolePages(Map<String, byte[]> files) {
        this.files = files;
    }

    /** The files as the plugin jar has them. */
    static ConsolePages load() {
        Map<String, byte[]> files = new HashMap<>();
        for (String file : PAGES.values()) {
            try (InputStream in = ConsolePages.class.getResourceAsStream(RESOURCES + file)) {
                if (in != null)
                    files.put(file, in.readAllBytes());
            }
            catch (IOException e) {
                throw new UncheckedIOException("console resource " + file + " cannot be read from the plugin jar", e);
            }
        }
        return new ConsolePages(Map.copyOf(files));
    }

    /** The answer to {@code method} on {@code path} (a raw path, not below {@code /api/}). */
    ConsoleResponse answer(String method, String path) {
        String file = PAGES.get(path);
        if (file == null)
            return ConsoleResponse.text(404, "no page " + path + " (expected: / or /api/...)");
        if (!method.equals("GET") && !method.equals("HEAD"))
            return ConsoleResponse.text(405, "method not allowed (expected: GET)").with("Allow", "GET, HEAD");
        byte[] body = files.get(file);
        if (body == null)
            return ConsoleResponse.text(500, "console resource " + file + " is missing from the plugin jar");
        String type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js")
            ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        return ConsoleResponse.of(200, type, body).with("Content-Security-Policy", CSP);
    }
}
