package io.fabricstitch.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How the benchmarks that start Ignite nodes in this JVM begin and end: a bad option prints {@code NAME: message}
 * and the usage and exits 2; then the run, with Ignite's banner off, exits 0, or 1 after {@code NAME: FAILED: ...}
 * and the stack trace.
 */
public final class BenchmarkMain {
    /** A benchmark's run, with its parsed options. */
    public interface Run<T> {
        void run(T options) throws Exception;
    }

    private BenchmarkMain() {
    }

    /**
     * @param parse reads the options; throws {@link IllegalArgumentException} naming what was wrong
     */
    public static <T> void main(String name, String usage, Supplier<T> parse, Run<T> run) {
        T options;
        try {
            options = parse.get();
        }
        catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        System.setProperty("IGNITE_QUIET", "true");
        int code;
        try {
            run.run(options);
            code = 0;
        }
        catch (Exception | Error e) {
            System.out.flush();
            System.err.println(name + ": FAILED: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** Prints {@code report} to standard output and, when {@code markdown} is not null, writes it there too. */
    public static void report(String report, Path markdown) throws IOException {
        System.out.print(report);
        System.out.flush();
        if (markdown != null)
            Files.writeString(markdown, report, StandardCharsets.UTF_8);
    }
}
