package io.fabricstitch.examples.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabricstitch.ignite.compute.TaskProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Both renderings of {@link ProgressPrinter}, on an injected clock. */
class ProgressPrinterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(1_000);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void notOnATerminal_printsOnePlainLinePerPartDone() {
        ProgressPrinter p = new ProgressPrinter(out, false, clock::get, 250, "strips: ");
        p.onProgress(TaskProgress.of(0, 3, 0, 300));
        p.onProgress(TaskProgress.of(1, 3, 100, 300));
        p.onProgress(TaskProgress.of(1, 3, 100, 300));
        p.onProgress(TaskProgress.of(2, 3, 200, 300));
        p.onProgress(TaskProgress.of(3, 3, 300, 300));

        assertEquals(List.of("strips: parts 0/3, 0 B of 300 B", "strips: parts 1/3, 100 B of 300 B",
            "strips: parts 2/3, 200 B of 300 B", "strips: parts 3/3, 300 B of 300 B"), List.of(printed().split("\\R")));
    }

    @Test
    void bytesAlone_areDrawnAtMostOncePerInterval() {
        ProgressPrinter p = new ProgressPrinter(out, false, clock::get, 250, "");
        p.onProgress(TaskProgress.of(0, 1, 0, 4 << 20));
        clock.addAndGet(100);
        p.onProgress(TaskProgress.of(0, 1, 1 << 20, 4 << 20));
        clock.addAndGet(150);
        p.onProgress(TaskProgress.of(0, 1, 2 << 20, 4 << 20));
        clock.addAndGet(10);
        p.onProgress(TaskProgress.of(0, 1, 3 << 20, 4 << 20));
        p.onProgress(TaskProgress.of(1, 1, 4 << 20, 4 << 20));

        assertEquals(List.of("parts 0/1, 0 B of 4.0 MiB", "parts 0/1, 2.0 MiB of 4.0 MiB", "parts 1/1, 4.0 MiB of 4.0 MiB"),
            List.of(printed().split("\\R")));
    }

    @Test
    void onATerminal_redrawsOneLineWithABar_andEndsItWhenDone() {
        ProgressPrinter p = new ProgressPrinter(out, true, clock::get, 250, "");
        p.onProgress(TaskProgress.of(0, 4, 0, TaskProgress.UNKNOWN));
        p.onProgress(TaskProgress.of(1, 4, 0, TaskProgress.UNKNOWN));
        p.onProgress(TaskProgress.of(4, 4, 0, TaskProgress.UNKNOWN));

        String bar0 = "[------------------------] parts 0/4, 0%";
        String bar1 = "[######------------------] parts 1/4, 25%";
        String bar4 = "[########################] parts 4/4, 100%";
        assertEquals("\r" + bar0 + "\r" + bar1 + "\r" + bar4 + System.lineSeparator(), printed());
    }

    @Test
    void onATerminal_aShorterLinePadsOverTheLongerOneBefore() {
        ProgressPrinter p = new ProgressPrinter(out, true, clock::get, 0, "");
        p.onProgress(TaskProgress.of(0, 1, 1 << 20, 4 << 20));
        p.onProgress(TaskProgress.of(0, 1, 1 << 20, TaskProgress.UNKNOWN));

        String longer = "[######------------------] parts 0/1, 1.0 MiB of 4.0 MiB, 25%";
        String shorter = "[------------------------] parts 0/1, 1.0 MiB, 0%";
        assertEquals("\r" + longer + "\r" + shorter + " ".repeat(longer.length() - shorter.length()), printed());
    }

    @Test
    void onATerminal_aSingleTaskFillsTheBarByBytes_andCloseEndsAnOpenLine() {
        ProgressPrinter p = new ProgressPrinter(out, true, clock::get, 0, "up: ");
        p.onProgress(TaskProgress.of(0, 1, 1 << 20, 4 << 20));
        p.close();

        assertEquals("\rup: [######------------------] parts 0/1, 1.0 MiB of 4.0 MiB, 25%" + System.lineSeparator(),
            printed());
    }

    @Test
    void sizes_readAsBinaryUnits() {
        assertEquals(List.of("512 B", "22.5 KiB", "4.0 MiB", "1.5 GiB"), List.of(ProgressPrinter.size(512),
            ProgressPrinter.size(23_040), ProgressPrinter.size(4L << 20), ProgressPrinter.size(3L << 29)));
    }
}
