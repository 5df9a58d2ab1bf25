package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fabric submit} end to end: a server node from config/fabric-demo.xml (moved to ports of its own, so a
 * cluster a developer runs on the default ports is never joined), the launcher's entry point as the client.
 */
class FabricSubmitTest {
    static final String NODE = "submit-server";
    static final int DISCOVERY_PORT = 49500;
    static final String URL = "127.0.0.1:" + DISCOVERY_PORT + ".." + (DISCOVERY_PORT + 9);

    @TempDir
    static Path dir;

    static Ignite server;

    @BeforeAll
    static void startServerFromTheDemoConfiguration() {
        IgniteConfiguration cfg = Ignition.loadSpringBean(FabricLauncherTest.DEMO_CONFIG, "ignite.cfg");
        cfg.setIgniteInstanceName(NODE).setConsistentId(NODE).setWorkDirectory(dir.resolve("work").toString());
        ((TcpDiscoverySpi)cfg.getDiscoverySpi()).setLocalPort(DISCOVERY_PORT).setLocalPortRange(10)
            .setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of(URL)));
        ((TcpCommunicationSpi)cfg.getCommunicationSpi()).setLocalPort(49100).setLocalPortRange(10);
        cfg.getClientConnectorConfiguration().setPort(10950).setPortRange(10);
        DemoCluster.pluginConfiguration(cfg).getAgent().setClaimDirectory(dir.resolve("claims").toString());
        server = Ignition.start(cfg);
        Set<Object> local = FabricPlugin.of(server).localFabrics().stream().map(FabricEntry::getFabricId)
            .collect(Collectors.toSet());
        Timing.await("the server's Fabric Map to hold its " + local.size() + " fabrics", () -> FabricPlugin.of(server)
            .fabricMap().stream().map(FabricEntry::getFabricId).collect(Collectors.toSet()).containsAll(local));
    }

    @AfterAll
    static void stopServer() {
        if (server != null)
            server.close();
    }

    static LauncherRun submit(String function, String require, Path input, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("submit", "--function", function, "--require", require,
            "--input", input.toString(), "--output", output.toString(),
            "--config", FabricSubmitArgumentsTest.CLIENT_CONFIG, "--url", URL));
        args.addAll(List.of(more));
        return LauncherRun.of(args.toArray(new String[0]));
    }

    static String jdbcUrl() {
        Object port = server.cluster().localNode().attribute(DemoCluster.CLIENT_LISTENER_PORT);
        return "jdbc:ignite:thin://127.0.0.1:" + port;
    }

    @Test
    void latencyCriticalBlur_runsOnTheNearestGpu_writesAPngOfTheSameSize_andIsRecordedInTaskAssignment()
        throws Exception {
        Path in = Files.write(dir.resolve("in.png"), DemoRouting.demoPng(160, 90));
        Path out = dir.resolve("blurred.png");

        LauncherRun r = submit("image.gaussian-blur", "GPU|FPGA:1024", in, out, "--priority", "latency-critical",
            "--timeout", "60");

        assertEquals(0, r.code, r::toString);
        assertEquals("", r.err, r::toString);
        BufferedImage img = ImageIO.read(out.toFile());
        assertNotNull(img, "output is not a PNG: " + r);
        assertEquals(List.of(160, 90), List.of(img.getWidth(), img.getHeight()));
        assertEquals("image.gaussian-blur", r.fact("function:"));
        assertTrue(r.fact("fabric:").startsWith("GPU NVIDIA L4 24GB (declared) ("), "the L4 is the nearest GPU (1 ms): "
            + r);
        assertTrue(r.fact("runtime:").startsWith("JAVA (io.fabricstitch.function.builtin.GaussianBlurFunction), "
            + "speed 4 DECLARED"), r::toString);
        assertEquals(NODE, r.fact("node:"));
        assertEquals("1024 MiB (asked: GPU|FPGA:1024)", r.fact("reserved:"));
        assertEquals("latency-critical", r.fact("priority:"));
        assertEquals("PNG 160x90, " + Files.size(out) + " bytes -> " + out.toAbsolutePath(), r.fact("output:"));
        assertTrue(r.fact("path:").matches("JOB \\(input of .* is under the 1 MiB threshold\\)"), r::toString);
        Matcher cost = Pattern.compile("(\\S+) = latencyTerm (\\S+) \\(latencyWeight 1 x latency 1 ms\\) \\+ "
            + "resourceTerm (\\S+) \\(resourceWeight 0.5 x utilization after 0.042 x price 1\\)")
            .matcher(r.fact("cost:"));
        assertTrue(cost.matches(), r::toString);

        try (Connection c = DriverManager.getConnection(jdbcUrl());
             PreparedStatement st = c.prepareStatement("SELECT FUNCTION_NAME, FABRIC_TYPE, NODE_NAME, PRIORITY, "
                 + "AMOUNT, COST, LATENCY_TERM, RESOURCE_TERM, STATE FROM FABRIC.TASK_ASSIGNMENT "
                 + "WHERE CAST(TASK_ID AS VARCHAR) = ?")) {
            st.setString(1, r.fact("task:"));
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "no TASK_ASSIGNMENT row for task " + r.fact("task:"));
                assertEquals(List.of("image.gaussian-blur", "GPU", NODE, "latency-critical", "1024", "SUCCEEDED"),
                    List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(9)));
                assertEquals(cost.group(1), String.format(Locale.ROOT, "%.4f", rs.getDouble(6)));
                assertEquals(cost.group(2), String.format(Locale.ROOT, "%.4f", rs.getDouble(7)));
                assertEquals(cost.group(3), String.format(Locale.ROOT, "%.4f", rs.getDouble(8)));
                assertFalse(rs.next(), "one attempt only");
            }
        }
    }

    @Test
    void blurPinnedToTheOpenClFabric_runsAsAKernel_andWritesTheJavaBlursPng() throws Exception {
        FabricEntry cl = DemoRealDevice.openClFabric(server).orElse(null);
        if (cl == null)
            System.out.println("skipped: no OpenCL fabric on this host (the opencl probe says why in the log)");
        org.junit.jupiter.api.Assumptions.assumeTrue(cl != null, "no OpenCL fabric on this host");
        byte[] png = DemoRouting.demoPng(320, 200);
        Path in = Files.write(dir.resolve("for-opencl.png"), png);
        Path out = dir.resolve("blurred-by-opencl.png");

        LauncherRun r = submit("image.gaussian-blur", "CPU:1", in, out, "--fabric", cl.getFabricId().toString());

        assertEquals(0, r.code, r::toString);
        assertEquals("CPU " + cl.getModel() + " (" + cl.getFabricId() + ")", r.fact("fabric:"));
        assertTrue(r.fact("runtime:").startsWith("OPENCL (OpenCL gaussian_blur.cl (blur_rows, blur_cols))"),
            r::toString);
        byte[] java = new io.fabricstitch.function.builtin.GaussianBlurFunction().execute(
            io.fabricstitch.function.FunctionContext.of(cl, false, () -> false), png);
        assertArrayEquals(java, Files.readAllBytes(out), "the kernel's PNG is the Java blur's, byte for byte");
    }

    @Test
    void unknownFabricId_isRefusedBeforeTheClientStarts() throws IOException {
        Path in = Files.write(dir.resolve("tiny.txt"), new byte[] {1});
        LauncherRun r = submit("sha256", "ANY:1", in, dir.resolve("x.bin"), "--fabric", "not-a-uuid");
        assertEquals(2, r.code, r::toString);
        assertEquals("fabric: --fabric: 'not-a-uuid' (expected: a fabric id, as in FABRIC.FABRIC_ENTRY.FABRIC_ID)",
            r.errLines().get(0));
    }

    @Test
    void largeInput_streamsOverTheDataPath_andTheDigestMatches() throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        Path in = Files.write(dir.resolve("large.bin"), data);
        Path out = dir.resolve("large.sha256");

        LauncherRun r = submit("sha256", "ANY:1", in, out);

        assertEquals(0, r.code, r::toString);
        assertTrue(r.fact("path:").startsWith("DIRECT to 127.0.0.1:"), r::toString);
        assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(data), Files.readAllBytes(out));
    }

    @Test
    void sha256_writesExactlyTheDigestOfTheInput() throws Exception {
        byte[] data = "Fabric Stitch submit".getBytes(StandardCharsets.UTF_8);
        Path in = Files.write(dir.resolve("in.txt"), data);
        Path out = dir.resolve("digest.bin");

        LauncherRun r = submit("sha256", "ANY:1", in, out, "--priority", "batch");

        assertEquals(0, r.code, r::toString);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), Files.readAllBytes(out));
    }

    @Test
    void requestNoFabricCanTake_failsInOneLineWithTheReason_andExits1() throws IOException {
        Path in = Files.write(dir.resolve("small.txt"), new byte[] {42});
        Path out = dir.resolve("never.bin");

        LauncherRun r = submit("sha256", "ASIC:128", in, out);

        assertEquals(1, r.code, r::toString);
        assertEquals(List.of("fabric: no fabric for sha256 needing 128 ASIC lanes: 1 ASIC fabric known, 1 smaller "
            + "than 128 lanes (largest 64), most free 64"), r.errLines());
        assertEquals("", r.out);
        assertFalse(Files.exists(out));
    }

    @Test
    void functionThatRefusesItsInput_failsInOneLineWithTheFunctionsMessage_andExits1() throws IOException {
        Path in = Files.writeString(dir.resolve("not-a.png"), "plain text");
        Path out = dir.resolve("never.png");

        LauncherRun r = submit("image.gaussian-blur", "GPU:512", in, out);

        assertEquals(1, r.code, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err.startsWith("fabric: task "), r::toString);
        assertTrue(r.err.contains("(expected: a PNG image, starting with the PNG signature"), r::toString);
        assertFalse(Files.exists(out));
    }
}
