package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.examples.api.PartitionedBlurExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricLauncherTest {
    static final String DEMO_CONFIG = "../config/fabric-demo.xml";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new FabricLauncher(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void wrongArgumentsPrintUsageAndExit2() {
        assertEquals(2, run());
        assertTrue(err().startsWith("fabric: no command given"), err());
        assertTrue(err().contains("usage: bin/fabric <command>"), err());
        err.reset();
        assertEquals(2, run("launch"));
        assertTrue(err().startsWith("fabric: unknown command 'launch' (expected: node, map, submit, demo, tiles, "
            + "device-check, example or help)"),
            err());
        err.reset();
        assertEquals(2, run("node"));
        assertTrue(err().startsWith("fabric: node needs --config FILE"), err());
        err.reset();
        assertEquals(2, run("demo", "--nodes", "two"));
        assertTrue(err().startsWith("fabric: --nodes: 'two' (expected: a whole number)"), err());
        err.reset();
        assertEquals(2, run("map", "--url"));
        assertTrue(err().startsWith("fabric: option --url needs a value"), err());
        err.reset();
        assertEquals(2, run("map", "--colour", "red"));
        assertTrue(err().startsWith("fabric: option --colour is not one of map's (expected: --url)"), err());
        err.reset();
        assertEquals(2, run("node", "--config", "no/such/file.xml"));
        assertTrue(err().startsWith("fabric: --config: no/such/file.xml is not a readable file"), err());
        err.reset();
        assertEquals(2, run("demo", "--nodes", "2", "--config", DEMO_CONFIG));
        assertTrue(err().startsWith("fabric: --nodes: 2 (expected: 3..10)"), err());
    }

    @Test
    void helpPrintsUsageAndExits0() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("demo [--nodes N]"));
    }

    @Test
    void mapWithoutRunningNodeSaysWhatIsMissing() {
        assertEquals(1, run("map", "--url", "jdbc:ignite:thin://127.0.0.1:10799"));
        assertTrue(err().startsWith("fabric: cannot read the Fabric Map at jdbc:ignite:thin://127.0.0.1:10799: "), err());
        assertTrue(err().contains("(expected: a running node"), err());
        assertFalse(err().contains("\tat "), "no stack trace: " + err());
    }

    @Test
    void demoStartsThreeNodes_printsEveryFabricType_routesTasksByPriority_andExits0() {
        assertEquals(0, run("demo", "--config", DEMO_CONFIG), err());
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> mapRows = Arrays.stream(text.split("\\R")).filter(l -> l.startsWith("demo-"))
            .map(l -> l.replaceAll(" +", " ")).collect(Collectors.toList());
        for (String row : List.of("demo-0 | CPU", "demo-0 | GPU | NVIDIA A100 80GB (declared)",
            "demo-0 | GPU | NVIDIA L4 24GB (declared)", "demo-1 | CPU", "demo-1 | FPGA | Xilinx Alveo U250 (declared)",
            "demo-2 | ASIC | SHA-256 hashing ASIC (declared)", "demo-2 | CPU")) {
            assertTrue(mapRows.stream().anyMatch(r -> r.startsWith(row)), row + " missing in:\n" + text);
        }
        assertTrue(mapRows.stream().filter(r -> r.contains("ONLINE")).count() >= 7, text);
        assertTrue(text.contains("Which fabrics run image.gaussian-blur?"), text);
        assertTrue(text.contains("3 server nodes"), text);
        assertRoutingDecisions(text);
        assertTaskAssignments(text);
        assertLatencyMatrix(text);
        assertFailover(text);
        assertRealDevice(text);
    }

    /** Where the host has an OpenCL device (pocl in CI), the demo runs a blur on it as a kernel, the Java bytes. */
    private static void assertRealDevice(String text) {
        assertTrue(text.contains("Real device: a fabric whose functions run as OpenCL kernels"), text);
        if (text.contains("No fabric here runs OpenCL kernels")) {
            System.out.println("the demo found no OpenCL device on this host; its real-device lines are not checked");
            return;
        }
        assertTrue(text.contains("(RUNTIME OPENCL, opencl:"), text);
        assertTrue(text.contains("ran as an OpenCL kernel: OpenCL gaussian_blur.cl (blur_rows, blur_cols)"), text);
        assertTrue(text.contains("(RUNTIME JAVA) ran as JAVA") && text.contains("same PNG bytes: yes"), text);
    }

    @Test
    void tiles_blursInStripsAcrossTheDemoFabrics_writesThePng_andMatchesOneFabric(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("blurred.png");

        assertEquals(0, run("tiles", "--output", png.toString(), "--config", DEMO_CONFIG), err());

        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Byte-identical to the whole image blurred on one fabric"), text);
        assertTrue(text.contains("GPU NVIDIA A100 80GB (declared)") && text.contains("FPGA Xilinx Alveo U250 (declared)"),
            "strips on GPU and FPGA fabrics:\n" + text);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(List.of(PartitionedBlurExample.WIDTH, PartitionedBlurExample.HEIGHT),
            List.of(img.getWidth(), img.getHeight()));
    }

    /** FABRIC.FABRIC_LATENCY: every ordered pair of the three nodes, each with a measured round trip. */
    private static void assertLatencyMatrix(String text) {
        List<List<String>> rows = rows(text, l -> l.matches("demo-[0-9] +\\| demo-[0-9] +\\| [0-9]+ .*"));
        assertEquals(6, rows.size(), text);
        assertTrue(rows.stream().allMatch(r -> Long.parseLong(r.get(2)) > 0), text);
    }

    /** The L4 fails under the 40-frame task, which completes on the A100; the map shows the L4 OFFLINE, why. */
    private static void assertFailover(String text) {
        assertTrue(text.contains("(GPU NVIDIA L4 24GB (declared)): OFFLINE (injected fault: GPU fell off the bus (demo))"),
            text);
        assertTrue(text.contains("  result: 40 frames, "), text);
        assertTrue(text.contains(" on GPU NVIDIA A100 80GB (declared)"), text);
        List<List<String>> attempts = rows(text, l -> l.matches("[12] +\\| GPU .*"));
        assertEquals(2, attempts.size(), text);
        assertEquals(List.of("1", "GPU", "NVIDIA L4 24GB (declared)", "demo-0", "LOST"), attempts.get(0).subList(0, 5));
        assertTrue(attempts.get(0).get(5).endsWith("went OFFLINE while the closure ran: injected fault: GPU fell off "
            + "the bus (demo)"), text);
        assertEquals(List.of("2", "GPU", "NVIDIA A100 80GB (declared)", "demo-0", "SUCCEEDED"),
            attempts.get(1).subList(0, 5));
        assertTrue(text.contains("demo-0    | GPU         | NVIDIA L4 24GB (declared) | OFFLINE | injected fault: GPU "
            + "fell off the bus (demo)"), text);
        assertTrue(text.contains("ONLINE (restored)"), text);
    }

    /** The decision table: function | requirement | priority | fabric | node | terms | cost | result. */
    private static void assertRoutingDecisions(String text) {
        List<List<String>> rows = rows(text, l -> cells(l).size() == 9 && cells(l).get(1).matches("[A-Z|]+:[0-9]+"));
        assertEquals(6, rows.size(), text);
        assertEquals(List.of("sha256", "ASIC:8", "latency-critical", "ASIC SHA-256 hashing ASIC (declared)", "demo-2"),
            rows.get(0).subList(0, 5), text);
        assertTrue(rows.get(0).get(8).matches("sha256 [0-9a-f]{8}\\.\\.\\."), text);
        List<String> latencyCritical = rows.get(1);
        List<String> batch = rows.get(2);
        assertEquals(List.of("image.gaussian-blur", "GPU|FPGA:1024", "latency-critical"),
            latencyCritical.subList(0, 3), text);
        assertEquals(List.of("image.gaussian-blur", "GPU|FPGA:1024", "batch"), batch.subList(0, 3), text);
        assertEquals("GPU NVIDIA L4 24GB (declared)", latencyCritical.get(3), "nearest GPU:\n" + text);
        assertEquals("GPU NVIDIA A100 80GB (declared)", batch.get(3), "emptier GPU:\n" + text);
        assertTrue(latencyCritical.get(8).startsWith("PNG 320x200, "), text);
        assertEquals(List.of("deflate", "FPGA:256", "balanced", "FPGA Xilinx Alveo U250 (declared)", "demo-1"),
            rows.get(3).subList(0, 5), text);
        assertEquals(List.of("matmul.f32", "GPU:4096", "balanced"), rows.get(4).subList(0, 3), text);
        assertTrue(rows.get(4).get(3).startsWith("GPU "), text);
        assertEquals("C 64x64 float32, 16392 bytes", rows.get(4).get(8), text);
        assertEquals(List.of("sha256", "ASIC:128", "latency-critical", "(none)"), rows.get(5).subList(0, 4), text);
        assertEquals("refused: no fabric for sha256 needing 128 ASIC lanes: 1 ASIC fabric known, 1 smaller than 128 "
            + "lanes (largest 64), most free 64", rows.get(5).get(8), text);
    }

    /**
     * FABRIC.TASK_ASSIGNMENT: one SUCCEEDED row per task that was placed, in the order they ran, with the runtime
     * that ran it: the routed tasks on declared fabrics in Java, then (where the host has an OpenCL device) the blur
     * pinned to the OpenCL fabric as OPENCL and the same blur on the CPU fabric as JAVA.
     */
    private static void assertTaskAssignments(String text) {
        List<List<String>> rows = rows(text, l -> l.matches("[0-9a-f]{8} \\| .*"));
        boolean openCl = !text.contains("No fabric here runs OpenCL kernels");
        List<String> functions = new java.util.ArrayList<>(List.of("sha256", "image.gaussian-blur",
            "image.gaussian-blur", "deflate", "matmul.f32"));
        if (openCl)
            functions.addAll(List.of("image.gaussian-blur", "image.gaussian-blur"));
        assertEquals(functions, rows.stream().map(r -> r.get(1)).collect(Collectors.toList()), text);
        assertEquals(List.of("NVIDIA L4 24GB (declared)", "NVIDIA A100 80GB (declared)"),
            List.of(rows.get(1).get(4), rows.get(2).get(4)), text);
        assertTrue(rows.subList(0, 5).stream().allMatch(r -> r.get(2).equals("JAVA")), text);
        if (openCl)
            assertEquals(List.of("OPENCL", "JAVA"), List.of(rows.get(5).get(2), rows.get(6).get(2)), text);
        assertTrue(rows.stream().allMatch(r -> r.get(10).equals("SUCCEEDED")), text);
    }

    private static List<List<String>> rows(String text, Predicate<String> which) {
        return Arrays.stream(text.split("\\R")).filter(which).map(FabricLauncherTest::cells)
            .collect(Collectors.toList());
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.split(" \\| ", -1)).map(String::trim).collect(Collectors.toList());
    }
}
