package io.fabricstitch.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** One run of the launcher's entry point with its exit code and what it printed. */
final class LauncherRun {
    final int code;
    final String out;
    final String err;

    private LauncherRun(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    static LauncherRun of(String... args) {
        return of(ClientNode.DFLT_JOIN_TIMEOUT, args);
    }

    /** Runs {@code bin/fabric args} in this JVM; a submit client waits {@code joinTimeout} to join. */
    static LauncherRun of(Duration joinTimeout, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new FabricLauncher(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), joinTimeout).run(args);
        return new LauncherRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<String> outLines() {
        return Arrays.asList(out.split("\\R"));
    }

    List<String> errLines() {
        return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }

    /** The value of the first output line starting with {@code key}, e.g. {@code "fabric:"}. */
    String fact(String key) {
        return outLines().stream().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length()).trim())
            .findFirst().orElseThrow(() -> new AssertionError("no line '" + key + "' in:\n" + out + err));
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
