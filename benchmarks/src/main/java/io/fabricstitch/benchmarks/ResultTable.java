package io.fabricstitch.benchmarks;

import java.util.List;

/** The suite's figures as one Markdown table: {@code | Measurement | Figure | Aim | Verdict |}. */
public final class ResultTable {
    private ResultTable() {
    }

    /** The table, one line per figure after the header; {@code |} inside a cell is escaped. */
    public static String markdown(List<Figure> figures) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Measurement | Figure | Aim | Verdict |\n");
        sb.append("|---|---|---|---|\n");
        for (Figure f : figures) {
            sb.append("| ").append(cell(f.what())).append(" | ").append(cell(f.measured())).append(" | ")
                .append(cell(f.aim())).append(" | ").append(f.verdict().text()).append(" |\n");
        }
        return sb.toString();
    }

    /** How many figures meet their aim, and how many have one: {@code 9 of 11 aims met}. */
    public static String summary(List<Figure> figures) {
        long judged = figures.stream().filter(f -> f.verdict() != Figure.Verdict.CONTEXT).count();
        long met = figures.stream().filter(f -> f.verdict() == Figure.Verdict.MET).count();
        return met + " of " + judged + " aims met";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
