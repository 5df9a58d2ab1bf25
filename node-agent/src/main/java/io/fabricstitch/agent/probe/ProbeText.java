package io.fabricstitch.agent.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Small text helpers shared by the probes: bounded file reads, strict number parsing, feature names. */
final class ProbeText {
    /** Sysfs and procfs attribute files are small; nothing a probe reads whole is larger than this. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    /** Longest model string {@link io.fabricstitch.agent.probe.DetectedFabric} accepts. */
    static final int MAX_MODEL_LENGTH = 256;

    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,15}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");
    private static final Pattern NOT_NAME_CHAR = Pattern.compile("[^A-Za-z0-9._-]+");
    private static final int MAX_QUOTED = 120;

    private ProbeText() {
    }

    /** Reads at most {@link #MAX_FILE_BYTES} of a file as UTF-8 (malformed bytes replaced). */
    static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads a small file, turning any failure into a skip whose warning names the file.
     *
     * @param consequence what the caller does without it, e.g. {@code device 0000:3b:00.0 skipped}
     */
    static String readOrSkip(Path file, String consequence) throws SkippedInputException {
        try {
            return read(file);
        }
        catch (IOException e) {
            throw new SkippedInputException(file + ": " + describe(e) + " (expected: a readable file); " + consequence);
        }
    }

    /** A short reason for an I/O failure: missing, permission denied, or the exception's message. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException)
            return "missing";
        if (e instanceof AccessDeniedException)
            return "permission denied";
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    /** Parses {@code 0x...} up to {@code max}; -1 when the text is anything else. */
    static long parseHex(String text, long max) {
        String t = text.strip();
        if (!HEX.matcher(t).matches())
            return -1;
        long v = Long.parseLong(t.substring(2), 16);
        return v <= max ? v : -1;
    }

    /** Parses plain decimal digits (no sign, at most 18 digits); -1 when the text is anything else. */
    static long parseDecimal(String text) {
        String t = text.strip();
        return DECIMAL.matcher(t).matches() ? Long.parseLong(t) : -1;
    }

    /** {@code 0x} plus four lower-case hex digits, e.g. {@code 0x10de}. */
    static String hex4(long value) {
        return String.format("0x%04x", value);
    }

    /** {@code prefix + value} with every run of characters a fabric feature may not hold turned into '-'. */
    static String feature(String prefix, String value) {
        String f = prefix + NOT_NAME_CHAR.matcher(value.strip()).replaceAll("-");
        while (f.endsWith("-") && f.length() > prefix.length())
            f = f.substring(0, f.length() - 1);
        return f.length() > 128 ? f.substring(0, 128) : f;
    }

    /** Whitespace collapsed, trimmed and cut to the longest model accepted; null when blank. */
    static String model(String text) {
        String m = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        if (m.isEmpty())
            return null;
        return m.length() > MAX_MODEL_LENGTH ? m.substring(0, MAX_MODEL_LENGTH) : m;
    }

    /** The text in single quotes for a warning: control characters escaped, cut after 120 characters. */
    static String quote(String text) {
        return quote(text, MAX_QUOTED);
    }

    /** The text in single quotes: control characters escaped, cut after {@code max} characters. */
    static String quote(String text, int max) {
        String t = text.replace("\r", "\\r").replace("\t", "\\t").replace("\n", "\\n");
        return '\'' + (t.length() > max ? t.substring(0, max) + "..." : t) + '\'';
    }
}
