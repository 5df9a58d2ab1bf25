package io.fabricstitch.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SuiteOptionsTest {
    @Test
    void noArgumentsRunEverythingWithTheDefaults() {
        SuiteOptions o = SuiteOptions.parse();
        assertEquals(EnumSet.allOf(SuiteOptions.Part.class), o.parts());
        assertEquals(600, o.tasks());
        assertEquals(20261129L, o.seed());
        assertEquals(3000, o.overheadRounds());
        assertEquals(5, o.adaptiveRuns());
        assertEquals(512, o.dataPathMib());
        assertNull(o.markdown());
    }

    @Test
    void everyOptionIsRead() {
        SuiteOptions o = SuiteOptions.parse("--tasks", "100", "--seed", "-3", "--overhead-rounds", "50",
            "--adaptive-runs", "3", "--data-path-mib", "64", "--markdown", "out.md", "--only", "placement, Overhead");
        assertEquals(100, o.tasks());
        assertEquals(-3L, o.seed());
        assertEquals(50, o.overheadRounds());
        assertEquals(3, o.adaptiveRuns());
        assertEquals(64, o.dataPathMib());
        assertEquals(Path.of("out.md"), o.markdown());
        assertTrue(o.runs(SuiteOptions.Part.PLACEMENT));
        assertTrue(o.runs(SuiteOptions.Part.OVERHEAD));
        assertFalse(o.runs(SuiteOptions.Part.SELECTION));
    }

    @Test
    void anUnknownOptionIsNamedWithTheAcceptedOnes() {
        assertMessage("unknown option '--task' (expected one of: --markdown, --tasks", "--task", "10");
    }

    @Test
    void anOptionWithoutAValueIsNamed() {
        assertMessage("--tasks: no value", "--tasks");
    }

    @Test
    void numbersOutOfRangeOrNotNumbersAreRefusedWithTheRange() {
        assertMessage("--tasks: 10 (expected: 50..5000)", "--tasks", "10");
        assertMessage("--adaptive-runs: 'many' (expected: an integer 3..100)", "--adaptive-runs", "many");
        assertMessage("--seed: '1.5' (expected: an integer)", "--seed", "1.5");
    }

    @Test
    void anUnknownPartIsNamedWithTheKnownOnes() {
        assertMessage("--only: 'failover' (expected a comma-separated list of: selection, datapath, placement",
            "--only", "placement,failover");
    }

    @Test
    void anOptionGivenTwiceIsRefused() {
        assertMessage("--tasks: given twice", "--tasks", "100", "--tasks", "200");
    }

    @Test
    void aMarkdownPathThatIsADirectoryIsRefused() {
        assertMessage("--markdown: '" + System.getProperty("java.io.tmpdir") + "' is a directory", "--markdown",
            System.getProperty("java.io.tmpdir"));
    }

    private static void assertMessage(String start, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse(args));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
