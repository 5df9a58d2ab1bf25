package io.fabricstitch.benchmarks;

import io.fabricstitch.benchmarks.ResultTable;
import io.fabricstitch.benchmarks.Figure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    @Test
    void everyFigureIsOneRowWithItsAimAndVerdict() {
        String md = ResultTable.markdown(List.of(
            Figure.judged("Routing", "1.05×", "≤ 1.15×", true),
            Figure.judged("Makespan", "1.3×", "≤ 1.2×", false),
            Figure.context("Bound", "100 ms", "(reference)")));
        assertEquals(String.join("\n",
            "| Measurement | Figure | Aim | Verdict |",
            "|---|---|---|---|",
            "| Routing | 1.05× | ≤ 1.15× | met |",
            "| Makespan | 1.3× | ≤ 1.2× | **not met** |",
            "| Bound | 100 ms | (reference) |  |",
            ""), md);
    }

    @Test
    void pipesAndLineBreaksInACellDoNotBreakTheTable() {
        String md = ResultTable.markdown(List.of(Figure.context("a|b", "x\ny", "")));
        assertEquals("| a\\|b | x y |  |  |", md.split("\n")[2]);
    }

    @Test
    void theSummaryCountsOnlyFiguresWithAnAim() {
        assertEquals("1 of 2 aims met", ResultTable.summary(List.of(Figure.judged("a", "", "", true),
            Figure.judged("b", "", "", false), Figure.context("c", "", ""))));
    }
}
