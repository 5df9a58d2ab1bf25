package io.fabricstitch.benchmarks;

import io.fabricstitch.benchmarks.Percentiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    private static final double[] ONE_TO_HUNDRED = DoubleStream.iterate(100, v -> v - 1).limit(100).toArray();

    @Test
    void nearestRankPicksTheSmallestSampleWithThatShareAtOrBelowIt() {
        Percentiles p = Percentiles.of(ONE_TO_HUNDRED);
        assertEquals(50, p.at(50));
        assertEquals(99, p.at(99));
        assertEquals(100, p.at(100));
        assertEquals(1, p.at(0));
        assertEquals(1, p.min());
        assertEquals(100, p.max());
    }

    @Test
    void nearestRankRoundsUpBetweenSamples() {
        Percentiles p = Percentiles.of(List.of(10.0, 20.0, 30.0));
        assertEquals(20, p.at(50));
        assertEquals(30, p.at(99));
        assertEquals(10, p.at(33));
        assertEquals(20, p.at(34));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(25, Percentiles.of(40, 10, 20, 30).median());
        assertEquals(20, Percentiles.of(30, 10, 20).median());
    }

    @Test
    void theCallersArrayIsNotSorted() {
        double[] samples = {3, 1, 2};
        Percentiles.of(samples);
        assertEquals(3, samples[0]);
    }

    @Test
    void noSamplesOrAPercentileOutOfRangeAreRefused() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Percentiles.of());
        assertTrue(none.getMessage().contains("samples"), none.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
            () -> Percentiles.of(1).at(101));
        assertTrue(range.getMessage().contains("0..100"), range.getMessage());
    }
}
