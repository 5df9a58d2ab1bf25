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

    /**
     * The constants of {@code type} named in {@code text} (comma-separated, any case), every constant when null.
     *
     * @throws IllegalArgumentException naming the flag, the unknown name and the known ones
     */
    public static <E extends Enum<E>> java.util.Set<E> parts(String flag, String text, Class<E> type) {
        if (text == null)
            return java.util.EnumSet.allOf(type);
        java.util.Set<E> out = java.util.EnumSet.noneOf(type);
        for (String p : text.split(",")) {
            try {
                out.add(Enum.valueOf(type, p.trim().toUpperCase(java.util.Locale.ROOT)));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flag + ": '" + p.trim() + "' (expected a comma-separated list of: "
                    + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList()) + ")");
            }
        }
        return out;
    }

    /**
     * The file path {@code value} of {@code flag}, null when null.
     *
     * @throws IllegalArgumentException when blank or a directory
     */
    public static java.nio.file.Path file(String flag, String value) {
        if (value == null)
            return null;
        if (value.isBlank())
            throw new IllegalArgumentException(flag + ": blank (expected: a file path)");
        java.nio.file.Path p = java.nio.file.Path.of(value);
        if (java.nio.file.Files.isDirectory(p))
            throw new IllegalArgumentException(flag + ": '" + value + "' is a directory (expected: a file path)");
        return p;
    }
}
