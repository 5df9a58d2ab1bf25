package io.fabricstitch.examples;

import io.fabricstitch.examples.api.DemoImage;
import io.fabricstitch.examples.api.FabricMapPrinter;
import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.ignite.IgniteException;

/**
 * The demo's routing part: tasks of different priorities sent through {@link FabricCompute}, the decisions printed as
 * a table, then the orchestrator's own record of them read from {@code FABRIC.TASK_ASSIGNMENT}. The demo fabrics
 * (config/fabric-demo.xml) are set up so the decisions differ: the nearest GPU (the L4, 1 ms) is small and the A100
 * (3 ms) large, so latency-critical work takes the L4 and batch work the emptier A100.
 */
final class DemoRouting {
    /** The orchestrator's record of the demo's tasks, oldest first. */
    static final String ASSIGNMENT_QUERY = "SELECT SUBSTRING(CAST(a.TASK_ID AS VARCHAR), 1, 8) AS TASK_ID, "
        + "a.FUNCTION_NAME, a.RUNTIME, a.FABRIC_TYPE, e.MODEL, a.NODE_NAME, a.PRIORITY, CAST(a.COST AS DECIMAL(12, 4)) AS COST, "
        + "CAST(a.LATENCY_TERM AS DECIMAL(12, 4)) AS LATENCY_TERM, "
        + "CAST(a.RESOURCE_TERM AS DECIMAL(12, 4)) AS RESOURCE_TERM, a.STATE "
        + "FROM FABRIC.TASK_ASSIGNMENT a LEFT JOIN FABRIC.FABRIC_ENTRY e ON e.FABRIC_ID = a.FABRIC_ID "
        + "ORDER BY a.STARTED_AT";

    /** Header of the decision table. */
    static final String[] HEADER = {"FUNCTION", "REQUIREMENT", "PRIORITY", "FABRIC", "NODE", "LATENCY_TERM",
        "RESOURCE_TERM", "COST", "RESULT"};

    private static final Duration TASK_TIMEOUT = Duration.ofSeconds(20);

    private DemoRouting() {
    }

    /** One request of the demo. */
    static final class DemoTask {
        final String function;
        final Requirement requirement;
        final String priority;
        final byte[] input;

        DemoTask(String function, String requirement, String priority, byte[] input) {
            this.function = function;
            this.requirement = Requirement.parse(requirement, "requirement");
            this.priority = priority;
            this.input = input;
        }

        TaskRequest request() {
            return requirement.applyTo(TaskRequest.builder(function)).priority(priority).input(input)
                .timeout(TASK_TIMEOUT).build();
        }
    }

    /** The demo's requests, in the order they run; the last one asks more than any fabric has. */
    static List<DemoTask> tasks() {
        byte[] png = demoPng(320, 200);
        byte[] text = "Fabric Stitch routes each task to the cheapest fitting fabric. ".repeat(200)
            .getBytes(StandardCharsets.UTF_8);
        return List.of(
            new DemoTask("sha256", "ASIC:8", PriorityClass.LATENCY_CRITICAL, text),
            new DemoTask("image.gaussian-blur", "GPU|FPGA:1024", PriorityClass.LATENCY_CRITICAL, png),
            new DemoTask("image.gaussian-blur", "GPU|FPGA:1024", PriorityClass.BATCH, png),
            new DemoTask("deflate", "FPGA:256", PriorityClass.BALANCED, text),
            new DemoTask("matmul.f32", "GPU:4096", PriorityClass.BALANCED, matmulInput(64)),
            new DemoTask("sha256", "ASIC:128", PriorityClass.LATENCY_CRITICAL, text));
    }

    /** Runs every demo task from {@code compute}'s node and prints one row per decision. */
    static void route(FabricCompute compute, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (DemoTask t : tasks())
            rows.add(decide(compute, t));
        FabricMapPrinter.printRows(rows, out);
    }

    private static String[] decide(FabricCompute compute, DemoTask t) {
        String[] head = {t.function, t.requirement.toString(), t.priority};
        try {
            TaskRequest req = t.request();
            TaskResult r = compute.execute(req);
            compute.awaitReleases(TASK_TIMEOUT); // one task at a time: the next sees this one's units free
            Placement p = r.placement();
            CostTerms c = p.terms();
            return row(head, p.fabricType() + " " + p.model(), p.nodeName(),
                format("%.4f (%s ms)", c.latencyTerm(), SubmitCommand.num(c.latencyMs())),
                format("%.4f (util %.3f)", c.resourceTerm(), c.utilizationAfter()), format("%.4f", c.cost()),
                OutputSummary.of(t.function, req.inputLength(), r.output()));
        }
        catch (NoSuitableFabricException e) {
            return row(head, "(none)", "", "", "", "", "refused: " + e.getMessage());
        }
        catch (IgniteException e) {
            return row(head, "(failed)", "", "", "", "", e.getMessage());
        }
    }

    private static String[] row(String[] head, String... rest) {
        String[] r = new String[head.length + rest.length];
        System.arraycopy(head, 0, r, 0, head.length);
        System.arraycopy(rest, 0, r, head.length, rest.length);
        return r;
    }

    private static String format(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /** Prints the orchestrator's record of the tasks through the JDBC thin driver at {@code url}. */
    static void printAssignments(String url, PrintStream out) throws SQLException {
        FabricMapPrinter.print(url, ASSIGNMENT_QUERY, out);
    }

    /** A colourful test image as PNG (see {@link DemoImage#png}). */
    static byte[] demoPng(int width, int height) {
        return DemoImage.png(width, height);
    }

    /** Input of {@code matmul.f32} for two n-by-n matrices: A[i][j] = i + j, B the identity. */
    static byte[] matmulInput(int n) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * 2 * n * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(n).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++)
                b.putFloat(i + j);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++)
                b.putFloat(i == j ? 1f : 0f);
        }
        return b.array();
    }
}
