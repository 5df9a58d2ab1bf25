package io.fabricstitch.benchmarks.partitioned;

/**
 * One workload of {@link PartitionedBenchmark}: its function, its generated input, and how {@code map()} cuts and
 * stitches it.
 */
abstract class PartitionedWorkload {
    /** The {@code --function} value naming it. */
    final String key;
    final String function;
    /** The section's heading. */
    final String title;
    /** What the splitter and the reducer spend their time on. */
    final String splitText;

    PartitionedWorkload(String key, String function, String title, String splitText) {
        this.key = key;
        this.function = function;
        this.title = title;
        this.splitText = splitText;
    }

    /** The input, the same every run. */
    abstract byte[] generate();

    /** The generated input, in a few words, for the progress lines. */
    abstract String generated(byte[] input);

    /** A new splitter and reducer, for one task. */
    abstract PartitionCutter cutter();

    /** The input and the output, for the section's header. */
    abstract String inputText(byte[] input, int outputBytes);

    /** What the splitter and the reducer do, after "map() with". */
    abstract String cutText();

    /** Where byte {@code at}, the first that differs between two outputs, lies, or "". */
    String where(byte[] a, byte[] b, int at) {
        return "";
    }
}
