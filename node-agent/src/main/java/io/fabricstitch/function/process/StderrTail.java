package io.fabricstitch.function.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Reads a program's stderr to its end on a daemon thread, keeping only the last {@value #MAX_LINES} non-blank lines,
 * each cut at {@value #MAX_LINE_CHARS} characters: memory stays bounded however much the program prints, and the
 * program never blocks on a full pipe.
 */
final class StderrTail implements Runnable {
    /** Lines kept. */
    static final int MAX_LINES = 20;
    /** Characters kept of one line. */
    static final int MAX_LINE_CHARS = 500;

    private final Reader in;
    private final ArrayDeque<String> lines = new ArrayDeque<>(MAX_LINES);
    private final Thread thread;

    StderrTail(InputStream in, String threadName) {
        this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
        thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        StringBuilder line = new StringBuilder();
        boolean cut = false;
        char[] buf = new char[8192];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        keep(line, cut);
                        cut = false;
                    }
                    else if (line.length() < MAX_LINE_CHARS)
                        line.append(c);
                    else
                        cut = true;
                }
            }
        }
        catch (IOException ignored) {
            // The pipe closed under us (the program was killed): keep what was read.
        }
        keep(line, cut);
    }

    private synchronized void keep(StringBuilder line, boolean cut) {
        String s = line.toString().strip();
        line.setLength(0);
        if (s.isEmpty())
            return;
        if (lines.size() == MAX_LINES)
            lines.removeFirst();
        lines.addLast(cut ? s + "..." : s);
    }

    /**
     * Waits up to {@code millis} for the stream to end: a descendant that outlived the program may hold it open.
     * Keeps the thread's interrupt flag.
     */
    void await(long millis) {
        try {
            thread.join(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The lines kept, oldest first. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** {@code stderr (last N lines): a | b | c}, or {@code stderr: empty}. */
    String describe() {
        List<String> kept = lines();
        return kept.isEmpty() ? "stderr: empty"
            : "stderr (last " + kept.size() + " lines): " + String.join(" | ", kept);
    }
}
