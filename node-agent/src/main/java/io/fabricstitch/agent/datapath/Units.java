package io.fabricstitch.agent.datapath;

import java.time.Duration;

/** Sizes and durations as people read them in messages: {@code 64 KiB}, {@code 1048585 bytes}, {@code 300 ms}. */
final class Units {
    private Units() {
    }

    /** {@code bytes} in KiB, MiB or GiB when exact, else in bytes. */
    static String bytes(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0)
            return (bytes >> 30) + " GiB";
        if (bytes != 0 && bytes % (1L << 20) == 0)
            return (bytes >> 20) + " MiB";
        if (bytes != 0 && bytes % (1L << 10) == 0)
            return (bytes >> 10) + " KiB";
        return bytes + " bytes";
    }

    /** {@code bytes} rounded to one decimal in the largest unit that keeps it at 1 or more: {@code 12.3 GiB}. */
    static String approx(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (30 - 10 * i);
            if (bytes >= unit)
                return String.format(java.util.Locale.ROOT, "%.1f %s", (double)bytes / unit, units[i]);
        }
        return bytes + " bytes";
    }

    /** {@code d} in the largest unit that shows it exactly (d, h, min, s or ms); {@code null} for null. */
    static String duration(Duration d) {
        if (d == null)
            return "null";
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000 == 0)
            return ms / 86_400_000 + " d";
        if (ms != 0 && ms % 3_600_000 == 0)
            return ms / 3_600_000 + " h";
        if (ms != 0 && ms % 60_000 == 0)
            return ms / 60_000 + " min";
        if (ms != 0 && ms % 1000 == 0)
            return ms / 1000 + " s";
        return ms + " ms";
    }
}
