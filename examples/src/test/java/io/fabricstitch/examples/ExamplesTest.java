package io.fabricstitch.examples;

import io.fabricstitch.examples.api.DemoImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricStatus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example through the launcher, {@code bin/fabric example NAME --url ...}, as a client of one demo cluster
 * that the class shares (the demo's declared fabrics on ports of this test's own), and checks what each printed; and
 * {@code bin/fabric submit}'s progress against the same cluster.
 */
class ExamplesTest {
    static final int DISCOVERY_PORT = 52500;
    static final int COMMUNICATION_PORT = 52100;
    static final int CLIENT_PORT = 52800;
    static final String URL = "127.0.0.1:" + DISCOVERY_PORT + ".." + (DISCOVERY_PORT + 9);
    static final String CLIENT_CONFIG = "../config/fabric-client.xml";

    @TempDir
    static Path dir;

    static DemoCluster demo;

    @BeforeAll
    static void startCluster() throws Exception {
        Path config = ExampleTestConfigs.demo(dir, DISCOVERY_PORT, COMMUNICATION_PORT, CLIENT_PORT);
        demo = DemoCluster.start(config, DemoCluster.MIN_NODES);
        assertTrue(demo.awaitFabricMap(Timing.CONDITION), "every node sees every fabric");
    }

    @AfterAll
    static void stopCluster() {
        if (demo != null)
            demo.close();
    }

    private static LauncherRun example(String name, String... options) {
        List<String> args = new ArrayList<>(List.of("example", name, "--url", URL, "--config", CLIENT_CONFIG));
        args.addAll(List.of(options));
        return LauncherRun.of(Duration.ofMillis(Timing.scaled(10_000)), args.toArray(new String[0]));
    }

    @Test
    void spi_sendsEachPlainComputeJobToTheNodeOfTheFabricItNeeds() {
        LauncherRun r = example("spi");

        assertEquals(0, r.code, r::toString);
        List<List<String>> rows = rows(r, 6, l -> l.get(1).matches("[A-Z|]+:[0-9]+"));
        assertEquals(List.of("sha256", "ASIC:8", "demo-2", "ASIC SHA-256 hashing ASIC (declared)"), cells(rows.get(0),
            0, 1, 3, 4), r::toString);
        assertEquals(List.of("deflate", "FPGA:256", "demo-1", "FPGA Xilinx Alveo U250 (declared)"), cells(rows.get(1),
            0, 1, 3, 4), r::toString);
        assertEquals(List.of("matmul.f32", "GPU:4096", "demo-0"), cells(rows.get(2), 0, 1, 3), r::toString);
        assertEquals(List.of("image.gaussian-blur", "CPU:1"), cells(rows.get(3), 0, 1), r::toString);
        assertTrue(rows.get(3).get(5).contains(rows.get(3).get(3)), r::toString);
        assertTrue(r.out.contains("Every job ran on a node with a fabric that fits it"), r::toString);
    }

    @Test
    void priorities_sendLatencyCriticalTasksToTheNearerGpu_andBatchTasksToTheEmptierOne() {
        LauncherRun r = example("priorities");

        assertEquals(0, r.code, r::toString);
        List<List<String>> rows = rows(r, 8, l -> l.get(0).matches("latency-critical|balanced|batch"));
        assertEquals(6, rows.size(), r::toString);
        for (List<String> row : rows) {
            if (row.get(0).equals("latency-critical"))
                assertEquals(List.of("GPU NVIDIA L4 24GB (declared)", "1.0"), cells(row, 2, 4), r::toString);
            if (row.get(0).equals("batch"))
                assertEquals(List.of("GPU NVIDIA A100 80GB (declared)", "3.0"), cells(row, 2, 4), r::toString);
        }
        assertTrue(r.out.contains("Latency-critical tasks went to the lower-latency fabric"), r::toString);
    }

    @Test
    void sql_printsTheFabricMap_theJoin_andTheAggregate_throughTheJdbcThinDriver() {
        LauncherRun r = example("sql");

        assertEquals(0, r.code, r::toString);
        // The oldest server took the first free port of its range: 52800 is in Linux's ephemeral range, so an
        // outgoing connection of this JVM may hold it at that moment.
        assertTrue(java.util.regex.Pattern.compile("JDBC thin driver: jdbc:ignite:thin://127\\.0\\.0\\.1:(\\d+)")
            .matcher(r.out).results().map(m -> Integer.parseInt(m.group(1)))
            .anyMatch(port -> port >= CLIENT_PORT && port < CLIENT_PORT + 10), r::toString);
        List<String> map = rows(r, 6, l -> l.get(0).startsWith("demo-")).stream().map(l -> String.join(" | ",
            l.subList(0, 3))).collect(Collectors.toList());
        for (String row : List.of("demo-0 | GPU | NVIDIA A100 80GB (declared)", "demo-0 | GPU | NVIDIA L4 24GB (declared)",
            "demo-1 | FPGA | Xilinx Alveo U250 (declared)", "demo-2 | ASIC | SHA-256 hashing ASIC (declared)"))
            assertTrue(map.contains(row), row + " missing in:\n" + r);
        List<List<String>> join = rows(r, 3, l -> l.get(2).startsWith("demo-"));
        assertTrue(join.stream().anyMatch(l -> l.get(0).equals("FPGA")), r::toString);
        assertTrue(join.stream().noneMatch(l -> l.get(0).equals("ASIC")), "the ASIC does not blur:\n" + r);
        List<List<String>> perType = rows(r, 4, l -> l.get(2).matches("[0-9]+"));
        assertTrue(perType.contains(List.of("ASIC", "lanes", "1", "64")), r::toString);
        assertTrue(perType.contains(List.of("GPU", "MiB", "2", String.valueOf(81920 + 24576))), r::toString);
    }

    @Test
    void blur_writesAPngOfTheInputsSize_thatDiffersFromIt_andShowsEveryPartDone() throws Exception {
        Path png = dir.resolve("out/blurred.png");

        LauncherRun r = example("blur", "--output", png.toString(), "--size", "320x240");

        assertEquals(0, r.code, r::toString);
        BufferedImage out = ImageIO.read(png.toFile());
        BufferedImage in = ImageIO.read(new ByteArrayInputStream(DemoImage.png(320, 240)));
        assertEquals(List.of(320, 240), List.of(out.getWidth(), out.getHeight()));
        assertTrue(differs(in, out), "the blur changed the image");
        assertTrue(r.out.contains("Wrote 320x240 PNG, " + Files.size(png) + " bytes: " + png.toAbsolutePath()),
            r::toString);
        long strips = r.outLines().stream().filter(l -> l.startsWith("  strip ")).count();
        List<String> progress = r.outLines().stream().filter(l -> l.startsWith("strips: parts "))
            .map(l -> l.replaceAll(",.*", "")).collect(Collectors.toList());
        assertTrue(strips >= 3, r::toString);
        assertEquals("strips: parts 0/" + strips, progress.get(0), r::toString);
        assertEquals("strips: parts " + strips + "/" + strips, progress.get(progress.size() - 1), r::toString);
        assertEquals(strips + 1, progress.size(), "one line per part done:\n" + r);
    }

    @Test
    void failover_completesTheTaskOnAnotherFabricAfterTheInjectedFault_withExactlyOneResult() {
        LauncherRun r = example("failover");

        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("  attempt 1 runs on GPU NVIDIA L4 24GB (declared)"), r::toString);
        assertTrue(r.out.contains("(GPU NVIDIA L4 24GB (declared)): OFFLINE (injected fault: GPU fell off the bus "
            + "(example))"), r::toString);
        assertTrue(r.out.contains("  result: 40 frames on GPU NVIDIA A100 80GB (declared)"), r::toString);
        assertTrue(r.out.contains("  completed on another fabric: yes; results delivered to the caller: 1; attempts "
            + "that blurred every frame: 1"), r::toString);
        List<List<String>> attempts = rows(r, 6, l -> l.get(0).matches("[0-9]+"));
        assertEquals(List.of(List.of("1", "GPU", "NVIDIA L4 24GB (declared)", "demo-0", "LOST"),
            List.of("2", "GPU", "NVIDIA A100 80GB (declared)", "demo-0", "SUCCEEDED")),
            attempts.stream().map(a -> a.subList(0, 5)).collect(Collectors.toList()), r::toString);
        assertTrue(r.out.contains("ONLINE (restored)"), r::toString);
        Timing.await("every fabric ONLINE again", () -> FabricPlugin.of(demo.nodes().get(0)).fabricMap().stream()
            .allMatch(f -> f.getStatus() == FabricStatus.ONLINE));
    }

    @Test
    void submitOfAFile_showsTheBytesStreamedOverTheDataPath_andOnePartOfOne() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);

        LauncherRun r = LauncherRun.of(Duration.ofMillis(Timing.scaled(10_000)), "submit", "--function", "sha256",
            "--require", "ANY:1", "--input", in.toString(), "--output", dir.resolve("digest.bin").toString(),
            "--url", URL, "--config", CLIENT_CONFIG);

        assertEquals(0, r.code, r::toString);
        assertTrue(r.fact("path:").startsWith("DIRECT"), r::toString);
        List<String> progress = r.outLines().stream().filter(l -> l.startsWith("progress: "))
            .collect(Collectors.toList());
        assertEquals("progress: parts 0/1, 0 B of 3.0 MiB", progress.get(0), r::toString);
        assertEquals("progress: parts 1/1, 3.0 MiB of 3.0 MiB", progress.get(progress.size() - 1), r::toString);
        assertEquals(32, Files.size(dir.resolve("digest.bin")));
    }

    private static boolean differs(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF))
                    return true;
            }
        }
        return false;
    }

    /** The table rows of the output with {@code columns} cells that {@code which} accepts, cells trimmed. */
    private static List<List<String>> rows(LauncherRun r, int columns, java.util.function.Predicate<List<String>> which) {
        return r.outLines().stream().map(l -> Arrays.stream(l.split(" \\| ", -1)).map(String::trim)
            .collect(Collectors.toList())).filter(c -> c.size() == columns && which.test(c))
            .collect(Collectors.toList());
    }

    private static List<String> cells(List<String> row, int... indexes) {
        return Arrays.stream(indexes).mapToObj(row::get).collect(Collectors.toList());
    }
}
