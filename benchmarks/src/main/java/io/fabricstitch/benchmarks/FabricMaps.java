package io.fabricstitch.benchmarks;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Seeded, realistic Fabric Maps for benchmarks: the same seed and size give the same map.
 * <ul>
 *     <li>Types: 10% GPU (16384..81920 MiB), 5% FPGA (1024 slices), 5% ASIC (64 lanes), the rest CPU
 *     (8..64 cores).</li>
 *     <li>Latency 0.05..40 ms, in five sites from the local rack to a remote region.</li>
 *     <li>Utilization uniform in 0..90%; 2-4 of the {@link #FUNCTIONS} per fabric.</li>
 *     <li>About 3% DEGRADED and 2% OFFLINE; the rest ONLINE.</li>
 * </ul>
 */
final class FabricMaps {
    /** The functions fabrics run; requests pick among them. */
    static final String[] FUNCTIONS = {
        "image.gaussian-blur", "video.transcode-h264", "crypto.sha256", "ml.resnet50-infer",
        "ml.bert-embed", "dsp.fft-1d", "compress.zstd", "genomics.smith-waterman"};

    /** A site: its share of the fabrics and the latency range of its fabrics. */
    private record Site(String name, int percent, double minMs, double maxMs) {
    }

    /** Shares add up to 100. */
    private static final Site[] SITES = {
        new Site("rack-local", 15, 0.05, 0.3),
        new Site("dc-a", 30, 0.3, 2.0),
        new Site("dc-b", 25, 2.0, 8.0),
        new Site("region-east", 20, 8.0, 20.0),
        new Site("region-west", 10, 20.0, 40.0)};

    private static final long[] GPU_MIB = {16384, 24576, 32768, 40960, 49152, 81920};

    private static final int FABRICS_PER_NODE = 8;

    private static final Instant UPDATED_AT = Instant.parse("2025-01-01T00:00:00Z");

    private FabricMaps() {
    }

    /** A map of {@code size} fabrics drawn from {@code seed}. */
    static List<FabricEntry> generate(int size, long seed) {
        Random rnd = new Random(seed);
        List<FabricEntry> map = new ArrayList<>(size);
        UUID node = null;
        for (int i = 0; i < size; i++) {
            if (i % FABRICS_PER_NODE == 0)
                node = new UUID(rnd.nextLong(), rnd.nextLong());
            map.add(fabric(rnd, node, i));
        }
        return map;
    }

    private static FabricEntry fabric(Random rnd, UUID node, int i) {
        FabricEntry.Builder b = FabricEntry.builder()
            .fabricId(new UUID(rnd.nextLong(), rnd.nextLong()))
            .nodeId(node)
            .agentAddress("10." + (i >>> 16 & 0xff) + '.' + (i >>> 8 & 0xff) + '.' + (i & 0xff) + ":7800")
            .updatedAt(UPDATED_AT);
        long count = typeAndCount(rnd, b);
        double util = rnd.nextDouble() * 0.9;
        b.resourceCount(count).resourceFree(count - Math.round(count * util));
        siteAndLatency(rnd, b);
        b.supportedFunctions(functions(rnd));
        int s = rnd.nextInt(100);
        if (s < 3)
            b.status(FabricStatus.DEGRADED).statusReason("temperature 91 C above 85 C");
        else if (s < 5)
            b.status(FabricStatus.OFFLINE).statusReason("node left the topology");
        return b.build();
    }

    /** Sets type, model and unit; returns the resource count. */
    private static long typeAndCount(Random rnd, FabricEntry.Builder b) {
        int t = rnd.nextInt(100);
        if (t < 10) {
            long mib = GPU_MIB[rnd.nextInt(GPU_MIB.length)];
            b.fabricType(FabricType.GPU).model("GPU " + mib / 1024 + "GB").resourceUnit("MiB");
            return mib;
        }
        if (t < 15) {
            b.fabricType(FabricType.FPGA).model("Xilinx Alveo U250").resourceUnit("slices");
            return 1024;
        }
        if (t < 20) {
            b.fabricType(FabricType.ASIC).model("Inference ASIC").resourceUnit("lanes");
            return 64;
        }
        b.fabricType(FabricType.CPU).model("x86-64 host").resourceUnit("cores");
        return 8 + rnd.nextInt(57);
    }

    private static void siteAndLatency(Random rnd, FabricEntry.Builder b) {
        int pick = rnd.nextInt(100);
        int i = 0;
        while (i < SITES.length - 1 && pick >= SITES[i].percent()) {
            pick -= SITES[i].percent();
            i++;
        }
        Site site = SITES[i];
        b.site(site.name()).latencyMs(site.minMs() + rnd.nextDouble() * (site.maxMs() - site.minMs()));
    }

    private static TreeSet<String> functions(Random rnd) {
        TreeSet<String> fns = new TreeSet<>();
        int n = 2 + rnd.nextInt(3);
        while (fns.size() < n)
            fns.add(FUNCTIONS[rnd.nextInt(FUNCTIONS.length)]);
        return fns;
    }
}
