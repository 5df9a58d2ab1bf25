package io.fabricstitch.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's load average, as the benchmarks print it next to their figures ({@code /proc/loadavg}). */
public final class LoadAverage {
    private LoadAverage() {
    }

    /** The 1-minute load average, or "unknown" where {@code /proc/loadavg} cannot be read. */
    public static String oneMinute() {
        return line().split(" ")[0];
    }

    /** The whole {@code /proc/loadavg} line (1, 5 and 15 minutes, runnable/all tasks, last pid), or "unknown". */
    public static String line() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
