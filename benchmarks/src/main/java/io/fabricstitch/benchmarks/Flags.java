package io.fabricstitch.benchmarks;

/** Checks of the benchmark runners' command-line values: each refusal names the flag and what it accepts. */
public final class Flags {
    private Flags() {
    }

    /**
     * The integer {@code value} of {@code flag} (as the user typed it, e.g. {@code --tasks}), {@code dflt} when null.
     *
     * @throws IllegalArgumentException naming the flag, the value and the accepted range
     */
    public static int intValue(String flag, String value, int dflt, int min, int max) {
        if (value == null)
            return dflt;
        int n;
        try {
            n = Integer.parseInt(value.trim());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + value + "' (expected: an integer " + min + ".." + max
                + ")");
        }
        if (n < min || n > max)
            throw new IllegalArgumentException(flag + ": " + n + " (expected: " + min + ".." + max + ")");
        return n;
    }
}
