package io.fabricstitch.examples.api;

import io.fabricstitch.ignite.compute.ProgressListener;
import io.fabricstitch.ignite.compute.TaskProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a task's progress: on a terminal one line redrawn in place with {@code \r}
 * ({@code [#########-----------] parts 3/8, 1.5 MiB of 4.0 MiB, 45%}), elsewhere plain lines
 * ({@code parts 3/8, 1.5 MiB of 4.0 MiB}) that a log or a pipe can hold. It draws on every part done and at most every
 * {@link #DFLT_INTERVAL_MS} ms for bytes alone, so a fast stream does not flood the output. Thread-safe.
 */
public final class ProgressPrinter implements ProgressListener, AutoCloseable {
    /** Shortest time between two drawings that only the bytes changed, ms. */
    public static final long DFLT_INTERVAL_MS = 250;

    /** Characters of the bar between its brackets. */
    static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clockMs;
    private final long intervalMs;
    private final String label;
    private TaskProgress last;
    private long lastDrawnAt;
    private int lineWidth;
    private boolean lineOpen;

    /**
     * @param terminal whether {@code out} is a terminal (a bar redrawn in place) or not (plain lines)
     * @param clockMs the time in ms, e.g. {@code System::currentTimeMillis}
     * @param label printed before the progress, e.g. {@code "blur: "}; may be empty
     */
    public ProgressPrinter(PrintStream out, boolean terminal, LongSupplier clockMs, long intervalMs, String label) {
        if (intervalMs < 0)
            throw new IllegalArgumentException("intervalMs: " + intervalMs + " (expected: at least 0)");
        this.out = out;
        this.terminal = terminal;
        this.clockMs = clockMs;
        this.intervalMs = intervalMs;
        this.label = label == null ? "" : label;
    }

    /** A printer on the wall clock with the default interval. */
    public static ProgressPrinter of(PrintStream out, boolean terminal, String label) {
        return new ProgressPrinter(out, terminal, System::currentTimeMillis, DFLT_INTERVAL_MS, label);
    }

    @Override
    public synchronized void onProgress(TaskProgress p) {
        if (p.equals(last))
            return;
        long now = clockMs.getAsLong();
        boolean partsChanged = last == null || p.partsDone() != last.partsDone();
        if (!partsChanged && now - lastDrawnAt < intervalMs)
            return;
        last = p;
        lastDrawnAt = now;
        if (terminal)
            redraw(bar(p) + ' ' + text(p) + String.format(Locale.ROOT, ", %d%%", Math.round(fraction(p) * 100)),
                p.isDone());
        else
            out.println(label + text(p));
        out.flush();
    }

    /** Ends an open terminal line (a task that failed half-way), so what follows starts on a line of its own. */
    @Override
    public synchronized void close() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    private void redraw(String line, boolean done) {
        String full = label + line;
        int pad = Math.max(0, lineWidth - full.length());
        out.print('\r' + full + " ".repeat(pad));
        lineWidth = full.length();
        lineOpen = !done;
        if (done)
            out.println();
    }

    /** {@code parts 3/8}, with {@code , 1.5 MiB of 4.0 MiB} when the bytes are known. */
    static String text(TaskProgress p) {
        String parts = "parts " + p.partsDone() + '/' + p.partsTotal();
        if (p.bytesTotal() == TaskProgress.UNKNOWN)
            return p.bytesDone() > 0 ? parts + ", " + size(p.bytesDone()) : parts;
        return parts + ", " + size(p.bytesDone()) + " of " + size(p.bytesTotal());
    }

    /** {@code [######------]}: the share done, by bytes for a single part whose size is known, else by parts. */
    static String bar(TaskProgress p) {
        int filled = (int)Math.floor(fraction(p) * BAR_WIDTH);
        return '[' + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + ']';
    }

    private static double fraction(TaskProgress p) {
        if (p.isDone())
            return 1.0;
        if (p.partsTotal() == 1 && p.bytesTotal() > 0)
            return (double)p.bytesDone() / p.bytesTotal();
        return (double)p.partsDone() / p.partsTotal();
    }

    /** {@code 512 B}, {@code 22.5 KiB}, {@code 4.0 MiB}, {@code 1.2 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024)
            return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
