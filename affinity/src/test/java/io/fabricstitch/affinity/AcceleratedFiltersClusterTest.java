package io.fabricstitch.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.test.FabricTestCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node filter and the backup filter on a real cluster (see {@link TestNodes}: n0 CPU only, n1 GPU, n2 FPGA), with
 * the caches configured in Spring XML ({@code accelerated-caches.xml}), as an application would.
 */
class AcceleratedFiltersClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite n0;

    @BeforeAll
    static void startCluster() {
        n0 = TestNodes.start(CLUSTER);
    }

    /** The owners of every partition of {@code cache}, by node name, primary first. */
    static List<List<String>> owners(String cache) {
        Affinity<Object> aff = n0.affinity(cache);
        List<List<String>> all = new ArrayList<>();
        for (int p = 0; p < aff.partitions(); p++) {
            List<String> names = new ArrayList<>();
            for (ClusterNode n : aff.mapPartitionToPrimaryAndBackups(p))
                names.add(TestNodes.name(n));
            all.add(names);
        }
        return all;
    }

    @Test
    void nodeFilter_keepsEveryPrimaryAndBackup_onAcceleratedNodes() {
        n0.getOrCreateCache(TestNodes.<Integer, String>xmlCache("acceleratedOnly")).put(1, "one");
        for (List<String> owners : owners("accelerated-only"))
            assertEquals(Set.of("n1", "n2"), new HashSet<>(owners), "a primary and a backup, on n1 and n2");
        assertEquals("one", n0.cache("accelerated-only").get(1), "the CPU-only node still reads the cache");
    }

    @Test
    void nodeFilter_ofOneType_keepsEveryCopy_onNodesOfThatType() {
        n0.getOrCreateCache(TestNodes.<Integer, String>xmlCache("gpuOnly"));
        for (List<String> owners : owners("gpu-only"))
            assertEquals(List.of("n1"), owners, "n1 is the only GPU node: no room for a backup");
    }

    @Test
    void backupFilter_keepsBackupsOnAcceleratedNodes_whilePrimariesGoAnywhere() {
        n0.getOrCreateCache(TestNodes.<Integer, String>xmlCache("gpuBackups"));
        Set<String> primaries = new HashSet<>();
        for (List<String> owners : owners("gpu-backups")) {
            primaries.add(owners.get(0));
            for (String backup : owners.subList(1, owners.size()))
                assertEquals("n1", backup, owners::toString);
            assertEquals(owners.get(0).equals("n1") ? 1 : 2, owners.size(), owners::toString);
        }
        assertEquals(Set.of("n0", "n1", "n2"), primaries, "primaries are not filtered");
    }

    @Test
    void filters_areSpringBeans_andRefuseUnknownTypes_namingTheField() {
        CacheConfiguration<Object, Object> cfg = TestNodes.xmlCache("gpuBackups");
        RendezvousAffinityFunction aff = (RendezvousAffinityFunction)cfg.getAffinity();
        assertEquals(new AcceleratedBackupFilter().setFabricTypes("gpu"), aff.getAffinityBackupFilter());
        assertEquals("GPU,FPGA", new AcceleratedNodeFilter().setFabricTypes(" fpga , GPU ").getFabricTypes());
        assertEquals(AcceleratedNodeFilter.DFLT_FABRIC_TYPES, new AcceleratedNodeFilter().getFabricTypes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new AcceleratedNodeFilter().setFabricTypes("GPU,TPU"));
        assertEquals("fabricTypes: 'GPU,TPU' (expected: fabric types separated by commas, of GPU, FPGA, ASIC, CPU, "
            + "e.g. GPU,FPGA)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AcceleratedBackupFilter().setFabricTypes(" "));
        assertFalse(new AcceleratedNodeFilter().apply(n0.cluster().localNode()), "n0 hosts only a CPU");
        assertTrue(new AcceleratedNodeFilter().setFabricTypes("CPU").apply(n0.cluster().localNode()));
    }
}
