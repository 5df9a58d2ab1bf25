package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inputs and outputs over the agents' data paths between real nodes in one JVM: e0 and e1 on site {@code east}, w0
 * and w1 on site {@code west}, each with a declared ASIC, TLS from a development CA shared by e0, e1 and w0, while
 * w1's certificate comes from a CA of its own (an intruder's). e0 is the caller.
 */
class DataPathClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final int MIB = 1 << 20;

    static Ignite e0;

    static Ignite start(String name, String site, String ca) {
        DeclaredFabric asic = new DeclaredFabric().setName("dp-" + name).setType(FabricType.ASIC)
            .setModel("ASIC " + name + " (declared)").setResourceUnit("lanes").setResourceCount(4).setLatencyMs(1)
            .setFunctions(List.of("sha256", "deflate", "image.gaussian-blur"));
        return CLUSTER.start(name, p -> {
            p.setSite(site);
            p.getAgent().setDeclaredFabrics(List.of(asic)).setDeviceAllowList(List.of("declared:dp-" + name));
            p.getNetwork().setBeaconsEnabled(false);
            p.getDataPath().setTlsDevelopmentCertificates(true)
                .setTlsDevelopmentDirectory(CLUSTER.workDirectory().resolve(ca).toString());
        });
    }

    @BeforeAll
    static void startCluster() {
        e0 = start("e0", "east", "cluster-ca");
        start("e1", "east", "cluster-ca");
        start("w0", "west", "cluster-ca");
        start("w1", "west", "intruder-ca");
        Timing.await("every fabric in e0's map and an orchestrator deployed", () ->
            FabricPlugin.of(e0).fabricMap().size() == 8 && FabricCompute.of(e0).orchestrator().queuedTasks() == 0);
    }

    static UUID asicOf(String node) {
        return FabricPlugin.of(e0).fabricMap().stream().filter(f -> f.getModel().equals("ASIC " + node + " (declared)"))
            .map(FabricEntry::getFabricId).findFirst().orElseThrow();
    }

    static byte[] random(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    static TaskRequest.Builder on(String function, String node) {
        return TaskRequest.builder(function).require(FabricType.ASIC, 1).fabric(asicOf(node));
    }

    @Test
    void largeInput_onTheSameSite_travelsDirect_andGivesTheSameDigest() throws Exception {
        byte[] data = random(8 * MIB, 1);

        TaskResult r = FabricCompute.of(e0).execute(on("sha256", "e1").input(data).build());

        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.output());
        assertEquals(DataPath.DIRECT, r.placement().dataPath().path(), r.placement().dataPath()::toString);
        assertTrue(r.placement().dataPath().reason().startsWith("same site 'east'"), r.placement().dataPath()::reason);
        assertEquals(List.of("DIRECT", "SUCCEEDED"), assignment(r.placement().taskId(), 1).subList(0, 2));
        assertTrue(FabricPlugin.of(e0).bandwidth().mibPerSecond(r.placement().nodeId()) > 0,
            "the upload measured the path's bandwidth");
        assertStagingEmpty("e1");
    }

    @Test
    void largeInputAndOutput_acrossSites_travelOverTls() throws Exception {
        byte[] data = random(6 * MIB, 2); // Random bytes do not compress: the output is larger than the threshold.

        TaskResult r = FabricCompute.of(e0).execute(on("deflate", "w0").input(data).build());

        assertEquals(DataPath.TLS, r.placement().dataPath().path(), r.placement().dataPath()::toString);
        assertTrue(r.placement().dataPath().reason().startsWith("sites 'east' and 'west' differ"),
            r.placement().dataPath()::reason);
        assertTrue(r.outputLength() > MIB, "the output came back over the data path: " + r.outputLength());
        assertArrayEquals(data, inflate(r.output()));
        assertEquals("TLS", assignment(r.placement().taskId(), 1).get(0));
        assertStagingEmpty("w0");
    }

    @Test
    void smallInput_ridesInTheJob_withTheReasonRecorded() throws Exception {
        byte[] data = random(4096, 3);

        TaskResult r = FabricCompute.of(e0).execute(on("sha256", "w0").input(data).build());

        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.output());
        assertEquals(DataPath.JOB, r.placement().dataPath().path());
        List<String> row = assignment(r.placement().taskId(), 1);
        assertEquals("JOB", row.get(0));
        assertEquals("input of 4 KiB is under the 1 MiB threshold", row.get(2));
    }

    @Test
    void untrustedCertificate_isRefused_andTheTaskFailsOverWithTheReasonRecorded() throws Exception {
        byte[] data = random(2 * MIB, 4);

        TaskResult r = FabricCompute.of(e0).execute(on("sha256", "w1").input(data).build());

        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.output());
        assertEquals(2, r.placement().attempt(), "placed again after the refused upload");
        assertFalse(r.placement().nodeName().equals("w1"));
        List<String> first = assignment(r.placement().taskId(), 1);
        assertEquals("TLS", first.get(0));
        assertEquals("LOST", first.get(1));
        assertTrue(first.get(3).contains("is not trusted") && first.get(3).contains("(expected: a certificate signed "
            + "by the cluster's CA)"), first.get(3));
        assertEquals("SUCCEEDED", assignment(r.placement().taskId(), 2).get(1));
        assertStagingEmpty("w1");
    }

    @Test
    void files_streamAcrossSites_andTheOutputAppearsWhole() throws Exception {
        Path dir = Files.createTempDirectory(CLUSTER.workDirectory(), "files");
        Path in = dir.resolve("in.bin");
        Path out = dir.resolve("out.zlib");
        byte[] data = random(12 * MIB, 5);
        Files.write(in, data);

        Placement p = FabricCompute.of(e0).execute(on("deflate", "w0").build(), in, out);

        assertEquals(DataPath.TLS, p.dataPath().path());
        assertArrayEquals(data, inflate(Files.readAllBytes(out)));
        assertEquals(List.of(in, out), listFiles(dir), "no .part file left");
    }

    @Test
    void files_whenTheFunctionRefusesTheInput_noOutputIsLeft() throws Exception {
        Path dir = Files.createTempDirectory(CLUSTER.workDirectory(), "refused");
        Path in = dir.resolve("not-a.png");
        Path out = dir.resolve("blurred.png");
        Files.write(in, random(2 * MIB, 6));

        IgniteException e = assertThrows(IgniteException.class, () ->
            FabricCompute.of(e0).execute(on("image.gaussian-blur", "e1").build(), in, out));

        assertTrue(e.getMessage().contains("image.gaussian-blur on ASIC ASIC e1 (declared) failed"), e::getMessage);
        assertEquals(List.of(in), listFiles(dir), "neither the output nor its .part file");
        assertStagingEmpty("e1");
    }

    @Test
    void files_badPaths_areRefusedWithTheirNames() {
        Path missing = CLUSTER.workDirectory().resolve("no-such-input");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
            FabricCompute.of(e0).execute(on("sha256", "e1").build(), missing, CLUSTER.workDirectory().resolve("o")));
        assertEquals("input: " + missing + " is not a readable regular file (expected: the path of a readable file)",
            e.getMessage());
    }

    /** PATH, STATE, PATH_REASON and DETAIL of one attempt. */
    static List<String> assignment(UUID taskId, int attempt) throws Exception {
        for (Ignite node : org.apache.ignite.Ignition.allGrids()) // whichever of this JVM's nodes was the caller
            assertTrue(FabricCompute.of(node).awaitReleases(Timing.CONDITION), "the caller's releases taken");
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT PATH, STATE, PATH_REASON, DETAIL "
                 + "FROM FABRIC.TASK_ASSIGNMENT WHERE TASK_ID = ? AND ATTEMPT = ?")) {
            ps.setObject(1, taskId);
            ps.setInt(2, attempt);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a row for attempt " + attempt + " of task " + taskId);
                return List.of(rs.getString(1), rs.getString(2), String.valueOf(rs.getString(3)),
                    String.valueOf(rs.getString(4)));
            }
        }
    }

    /** The data path's staging folder of {@code node} ends up holding no staged data: inputs taken, outputs fetched. */
    static void assertStagingEmpty(String node) {
        Path staging = Path.of(FabricPlugin.of(CLUSTER.node(node)).configuration().getDataPath()
            .getStagingDirectory(), node);
        Timing.await("node " + node + "'s staging folder to be empty", () -> listFiles(staging).isEmpty(),
            () -> listFiles(staging).toString());
    }

    /**
     * The files under {@code dir} that hold staged data: not the spare file ({@code .spare}) a consumed input leaves
     * for the next upload to write over ({@code dataPath.spareFileTtlMs}).
     */
    static List<Path> listFiles(Path dir) {
        if (!Files.isDirectory(dir))
            return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".spare")).sorted()
                .collect(Collectors.toList());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] inflate(byte[] zlib) throws Exception {
        Inflater inf = new Inflater();
        inf.setInput(zlib);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!inf.finished()) {
            int n = inf.inflate(buf);
            if (n == 0 && inf.needsInput())
                throw new IllegalStateException("truncated zlib stream");
            out.write(buf, 0, n);
        }
        inf.end();
        return out.toByteArray();
    }

    static List<Path> sorted(Path... paths) {
        List<Path> l = new ArrayList<>(List.of(paths));
        l.sort(null);
        return l;
    }
}
