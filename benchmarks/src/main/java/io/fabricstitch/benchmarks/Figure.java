package io.fabricstitch.benchmarks;

/**
 * One row of the suite's table: what was measured, the figure, the aim, and whether the figure meets it.
 *
 * @param what the measurement
 * @param measured the figure, with its unit and spread
 * @param aim the aim, or a note for rows that give context
 * @param verdict met, not met, or context (no aim)
 */
public record Figure(String what, String measured, String aim, Verdict verdict) {
    /** Whether a figure meets its aim. */
    public enum Verdict {
        MET("met"),
        NOT_MET("**not met**"),
        CONTEXT("");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** As the table shows it. */
        public String text() {
            return text;
        }

        /** {@link #MET} when {@code ok}, else {@link #NOT_MET}. */
        public static Verdict of(boolean ok) {
            return ok ? MET : NOT_MET;
        }
    }

    /** A row with an aim, judged by {@code ok}. */
    public static Figure judged(String what, String measured, String aim, boolean ok) {
        return new Figure(what, measured, aim, Verdict.of(ok));
    }

    /** A row without an aim. */
    public static Figure context(String what, String measured, String note) {
        return new Figure(what, measured, note, Verdict.CONTEXT);
    }
}
