package io.fabricstitch.agent.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a host tool once, with a deadline and a cap on what it prints, for probes that read a command's output.
 * <p>
 * Stdout is kept up to {@link #MAX_OUTPUT_BYTES} (the rest is read and dropped, so the tool never blocks on a full
 * pipe), stderr separately up to 64 KiB; stdin is closed. A tool that has not exited and closed its output by the
 * deadline is killed with its child processes. Every failure to get an answer is a
 * {@link ProbeUnavailableException}; a non-zero exit code is not a failure here, the caller judges it.
 */
public final class CommandRunner {
    /** Most bytes of stdout kept. */
    public static final int MAX_OUTPUT_BYTES = 1024 * 1024;

    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final String toolName;
    private final Duration timeout;

    /**
     * @param toolName the tool as named in messages, e.g. {@code nvidia-smi}
     * @param timeout how long one run may take, from start to end of output; positive
     */
    public CommandRunner(String toolName, Duration timeout) {
        this.toolName = Objects.requireNonNull(toolName, "toolName");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: a positive duration)");
    }

    /** The deadline of one run. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code command} (program first) and waits for it to exit and close its output.
     *
     * @throws ProbeUnavailableException when the program is missing or cannot be started ({@code <tool> not found:
     *     ...}, {@code <tool> could not be started: ...}), does not finish in time ({@code <tool> did not answer
     *     within N ms}), or the waiting thread is interrupted (its interrupt flag is kept)
     */
    public Result run(List<String> command) throws ProbeUnavailableException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process = start(command);
        Capture out = new Capture(process.getInputStream(), MAX_OUTPUT_BYTES, toolName + "-stdout");
        Capture err = new Capture(process.getErrorStream(), MAX_ERROR_BYTES, toolName + "-stderr");
        try {
            process.getOutputStream().close();
        }
        catch (IOException ignored) {
            // The tool does not read stdin; a pipe that will not close changes nothing.
        }
        try {
            boolean done = process.waitFor(remainingNanos(deadline), TimeUnit.NANOSECONDS)
                && out.await(deadline) && err.await(deadline);
            if (!done) {
                kill(process);
                throw new ProbeUnavailableException(toolName + " did not answer within " + timeout.toMillis() + " ms");
            }
        }
        catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ProbeUnavailableException(toolName + " interrupted while running", e);
        }
        return new Result(process.exitValue(), out.text(), err.text(), out.truncated);
    }

    private Process start(List<String> command) throws ProbeUnavailableException {
        try {
            return new ProcessBuilder(command).start();
        }
        catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("error=2,") || msg.contains("No such file"))
                throw new ProbeUnavailableException(toolName + " not found: " + msg, e);
            throw new ProbeUnavailableException(toolName + " could not be started: " + msg, e);
        }
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Kills the tool's children first (they would keep its pipes open), then the tool. */
    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** What the tool printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr, boolean truncated) {
        /** The first non-blank line of stdout, else of stderr, stripped; empty when it printed nothing. */
        public String firstLine() {
            for (String text : List.of(stdout, stderr)) {
                for (String line : text.split("\n")) {
                    if (!line.isBlank())
                        return line.strip();
                }
            }
            return "";
        }
    }

    /** Reads one stream on a daemon thread, keeping at most {@code cap} bytes and draining the rest. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;
        private boolean truncated;

        Capture(InputStream in, int cap, String name) {
            this.in = in;
            this.cap = cap;
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    int keep = Math.min(n, cap - kept.size());
                    kept.write(buf, 0, keep);
                    truncated |= keep < n;
                }
            }
            catch (IOException ignored) {
                // The stream closed under us (the tool was killed): keep what was read.
            }
        }

        /** Waits until the stream ended or the deadline passed; true when it ended. */
        boolean await(long deadline) throws InterruptedException {
            long nanos = remainingNanos(deadline);
            if (nanos > 0)
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            return !thread.isAlive();
        }

        /** What was kept, as UTF-8; call only after {@link #await} returned true. */
        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
