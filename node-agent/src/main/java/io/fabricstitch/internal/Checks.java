package io.fabricstitch.internal;

import java.util.regex.Pattern;

/**
 * Argument checks whose messages follow one form: {@code name: found (expected: accepted)}.
 * Not API.
 */
public final class Checks {
    /** Site labels, function names and declared fabric names: letters, digits, '.', '_', '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Checks() {
    }

    /** Fails with {@code name: null (expected: a value)} when {@code value} is null. */
    public static <T> T notNull(T value, String name) {
        if (value == null)
            throw new IllegalArgumentException(name + ": null (expected: a value)");
        return value;
    }

    /** Fails unless {@code value} is non-blank and at most {@code maxLen} characters; returns it trimmed. */
    public static String notBlank(String value, String name, int maxLen) {
        if (value == null || value.isBlank())
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: a non-blank string)");
        String v = value.trim();
        if (v.length() > maxLen)
            throw new IllegalArgumentException(name + ": " + v.length() + " characters (expected: at most " + maxLen + ")");
        return v;
    }

    /** Fails unless {@code value} matches {@link #NAME}. */
    public static String name(String value, String name) {
        if (value == null || !NAME.matcher(value).matches())
            throw new IllegalArgumentException(name + ": '" + value
                + "' (expected: 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        return value;
    }

    /** Fails unless {@code min <= value <= max}. */
    public static long inRange(long value, long min, long max, String name) {
        if (value < min || value > max)
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + ".." + max + ")");
        return value;
    }

    /**
     * Fails unless {@code range} (the number of ports tried from {@code port} on) is 1..1000 and, when {@code port} is
     * not 0 (any free port), ends at 65535 or below.
     */
    public static int portRange(int port, int range, String portName, String rangeName) {
        int max = port == 0 ? 1000 : Math.min(1000, 65536 - port);
        if (range < 1 || range > max)
            throw new IllegalArgumentException(rangeName + ": " + range + " (expected: 1.." + max
                + (port == 0 ? ")" : " with " + portName + " " + port + ")"));
        return range;
    }

    /** Fails unless {@code value} is a finite number {@code >= 0}. */
    public static double nonNegative(double value, String name) {
        if (!Double.isFinite(value) || value < 0)
            throw new IllegalArgumentException(name + ": " + value + " (expected: a finite number >= 0)");
        return value;
    }

    /** Fails unless {@code value} is a finite number with {@code 0 < value <= max}. */
    public static double positiveAtMost(double value, double max, String name) {
        if (!Double.isFinite(value) || value <= 0 || value > max)
            throw new IllegalArgumentException(name + ": " + value + " (expected: a number > 0 and <= " + max + ")");
        return value;
    }
}
