package io.fabricstitch.benchmarks.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputOptionsTest {
    @Test
    void noArgumentsRunEverythingWithTheDefaults() {
        ThroughputOptions o = ThroughputOptions.parse();
        assertEquals(EnumSet.allOf(ThroughputOptions.Part.class), o.parts());
        assertEquals(20_000, o.tasks());
        assertEquals(256, o.inFlight());
        assertEquals(2_000, o.syncCalls());
        assertEquals(List.of(1, 16), o.threads());
        assertEquals(5_000, o.scalingTasks());
        assertEquals(List.of(1, 2, 4), o.callers());
        assertEquals(List.of(3, 6), o.servers());
        assertEquals(2_000, o.warmUp());
        assertNull(o.jfr());
        assertNull(o.markdown());
    }

    @Test
    void everyOptionIsRead_andWrittenBackAsArguments() {
        String[] args = {"--tasks", "500", "--in-flight", "64", "--sync-calls", "100", "--threads", "1,4",
            "--scaling-tasks", "300", "--callers", "1,2", "--servers", "2,3", "--warm-up", "0", "--only",
            "async,scaling", "--jfr", "a.jfr", "--markdown", "out.md"};
        ThroughputOptions o = ThroughputOptions.parse(args);
        assertEquals(EnumSet.of(ThroughputOptions.Part.ASYNC, ThroughputOptions.Part.SCALING), o.parts());
        assertFalse(o.runs(ThroughputOptions.Part.SYNC));
        assertEquals(List.of(2, 3), o.servers());
        assertEquals(Path.of("a.jfr"), o.jfr());
        assertEquals(List.of(args), o.asArguments());
    }

    @Test
    void badValuesAreNamedWithWhatIsAccepted() {
        assertMessage("--tasks: 5 (expected: 100..1000000)", "--tasks", "5");
        assertMessage("--threads: 'x' (expected: an integer 1..256)", "--threads", "1,x");
        assertMessage("--callers: '1,1' (expected: distinct integers 1..16", "--callers", "1,1");
        assertMessage("--servers: '6,3' (expected: ascending counts", "--servers", "6,3");
        assertMessage("--only: 'map' (expected a comma-separated list of: async, sync, scaling)", "--only", "map");
        assertMessage("--in-flight: 2 (expected: at least the largest --callers count, 4", "--in-flight", "2");
        assertMessage("--servers and --callers: 16 + 8 nodes (expected: at most 20", "--servers", "16",
            "--callers", "8");
        assertMessage("unknown option '--runs' (expected one of: --tasks", "--runs", "3");
        assertMessage("--tasks: no value", "--tasks");
        assertMessage("--tasks: given twice", "--tasks", "100", "--tasks", "200");
    }

    private static void assertMessage(String start, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ThroughputOptions.parse(args));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
