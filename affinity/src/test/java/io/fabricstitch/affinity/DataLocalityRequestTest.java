package io.fabricstitch.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricType;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The request's builder: defaults, the fields it forwards to the task, and a clear refusal of every bad value. */
class DataLocalityRequestTest {
    static DataLocalityRequest.Builder valid() {
        return DataLocalityRequest.builder("matmul.f32").dataBytes(1 << 20).referenceMibPerSecond(10);
    }

    static void refused(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts)
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void builder_keepsTheTaskFields_andTheDataFields() {
        UUID origin = UUID.randomUUID();
        DataLocalityRequest r = valid().require(FabricType.GPU, 512).priority("batch").origin(origin)
            .readFromBackups(true).build();
        TaskRequest t = r.task();
        assertEquals("matmul.f32", t.function());
        assertEquals(Set.of(FabricType.GPU), t.fabricTypes());
        assertEquals(512, t.amount());
        assertEquals("batch", t.priority());
        assertEquals(origin, t.origin());
        assertNull(t.fabric());
        assertEquals(1 << 20, r.dataBytes());
        assertEquals(10, r.referenceMibPerSecond());
        assertTrue(r.readFromBackups());
        assertFalse(r.withReadFromBackups(false).readFromBackups());
    }

    @Test
    void computeMs_isDataOverRateTimesSpeed() {
        DataLocalityRequest r = valid().build(); // 1 MiB at 10 MiB/s
        assertEquals(100, r.computeMs(1), 1e-9);
        assertEquals(12.5, r.computeMs(8), 1e-9);
        assertEquals(200, r.computeMs(0.5), 1e-9);
    }

    @Test
    void of_wrapsAnUnpinnedTask_andRefusesAPinnedOne() {
        TaskRequest task = TaskRequest.builder("sha256").weights(CostWeights.of(1, 0)).build();
        assertSame(task, DataLocalityRequest.of(task, 0, 1).task());
        UUID fabric = UUID.randomUUID();
        refused(() -> DataLocalityRequest.of(task.withFabric(fabric), 0, 1), "task: pinned to fabric " + fabric,
            "expected: an unpinned request");
        refused(() -> DataLocalityRequest.of(null, 0, 1), "task: null");
    }

    @Test
    void badValues_areRefused_namingTheField() {
        refused(() -> valid().dataBytes(-1), "dataBytes: -1 (expected: 0..");
        refused(() -> valid().referenceMibPerSecond(0), "referenceMibPerSecond: 0.0 (expected: a number > 0");
        refused(() -> valid().referenceMibPerSecond(Double.NaN), "referenceMibPerSecond: NaN");
        refused(() -> valid().referenceMibPerSecond(1e12), "referenceMibPerSecond: 1.0E12");
        refused(() -> valid().amount(0), "amount: 0 (expected: 1..");
        refused(() -> valid().priority("no such class!"), "priority: 'no such class!'");
        refused(() -> valid().weights(CostWeights.of(1, 1)).priority("batch"), "priority: 'batch' after weights");
        refused(() -> DataLocalityRequest.builder(""), "function: ''");
        refused(() -> DataLocalityRequest.builder("sha256").referenceMibPerSecond(1).build(), "dataBytes: not set");
        refused(() -> DataLocalityRequest.builder("sha256").dataBytes(1).build(), "referenceMibPerSecond: not set");
    }
}
