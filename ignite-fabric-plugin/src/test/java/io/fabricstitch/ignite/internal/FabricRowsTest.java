package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FunctionImplementation;
import io.fabricstitch.model.SpeedSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.Test;

/** The cache forms of a fabric, its functions and a placement: what they hold, and that an entry survives the trip. */
class FabricRowsTest {
    static final String BLUR = "image.gaussian-blur";
    static final String MATMUL = "matmul.f32";
    static final String SHA = "sha256";

    /** An OpenCL GPU with a PCI address and a driver, running a function as a process, and one at its own speed. */
    static FabricEntry realGpu() {
        return FabricEntry.builder().fabricId(new UUID(7, 1)).nodeId(new UUID(7, 2)).agentAddress("10.0.0.5:7400")
            .site("east").fabricType(FabricType.GPU).model("NVIDIA L4").resourceUnit("MiB").resourceCount(23034)
            .resourceFree(20000).speedFactor(3.5).deviceKey("nvidia:GPU-5d1c").pciAddress("0000:3b:00.0")
            .driver("550.54.14").functions(Map.of(
                BLUR, FunctionImplementation.of(FabricRuntime.OPENCL, "gaussian_blur.cl", 7.25, SpeedSource.MEASURED),
                MATMUL, FunctionImplementation.of(FabricRuntime.PROCESS, "/opt/fabric/matmul --device $FABRIC_GPU_UUID",
                    12, SpeedSource.MEASURED),
                SHA, FunctionImplementation.unspecified()))
            .features(List.of("cuda-12.4")).updatedAt(Instant.parse("2026-01-02T03:04:05.678Z")).build();
    }

    static Map<String, FunctionImplementation> readBack(FabricEntry e) {
        Map<String, FunctionImplementation> fns = new TreeMap<>();
        for (String fn : e.getFunctions().keySet())
            fns.put(fn, FabricFunctionRow.of(e, fn).implementation());
        return fns;
    }

    @Test
    void anEntryWithDeviceAndImplementations_survivesItsRows() {
        FabricEntry e = realGpu();
        FabricRow row = FabricRow.of(e, "n0");
        assertEquals("JAVA,OPENCL,PROCESS", row.runtime());
        assertEquals(e, row.toEntry(readBack(e)));
        FabricEntry declared = e.toBuilder().deviceKey("").pciAddress("").driver("").build();
        FabricRow bare = FabricRow.of(declared, "n0");
        assertEquals(declared, bare.toEntry(readBack(declared)));
    }

    @Test
    void functionRow_holdsTheEffectiveSpeed_andReadsBackTheFunctionsOwn() {
        FabricEntry e = realGpu();
        FabricFunctionRow blur = FabricFunctionRow.of(e, BLUR);
        assertEquals(7.25, blur.speedFactor(), 0);
        assertEquals(e.getFunctions().get(BLUR), blur.implementation());
        FabricFunctionRow sha = FabricFunctionRow.of(e, SHA);
        assertEquals(3.5, sha.speedFactor(), 0, "no speed of its own: the column shows the fabric's");
        assertEquals(FunctionImplementation.unspecified(), sha.implementation());
        assertEquals(e.getFabricId() + "/" + SHA, sha.key());
        assertEquals(sha, FabricFunctionRow.of(e, SHA));
        assertNotEquals(sha, FabricFunctionRow.of(e.toBuilder().speedFactor(4).build(), SHA),
            "the fabric's speed moved, so did the function's");
        assertEquals(FunctionImplementation.unspecified(), new FabricFunctionRow().implementation(),
            "a row of an older version, without runtime or source");
    }

    @Test
    void runtimeAndDeviceColumns_areStructure_notLoad() {
        FabricRow row = FabricRow.of(realGpu(), "n0");
        assertTrue(row.sameExceptLoad(row.withResourceFree(1)));
        assertTrue(row.sameExceptReportTime(row.withUpdatedAt(new java.sql.Timestamp(1))));
        for (FabricEntry other : List.of(
            realGpu().toBuilder().driver("555.1").build(),
            realGpu().toBuilder().pciAddress("0000:5e:00.0").build(),
            realGpu().toBuilder().deviceKey("nvidia:GPU-other").build(),
            realGpu().toBuilder().functions(Map.of(BLUR, realGpu().getFunctions().get(BLUR))).build())) {
            assertFalse(row.sameExceptLoad(FabricRow.of(other, "n0")), other::toString);
        }
    }

    static Placement placement(UUID taskId) {
        return new Placement(taskId, 1, new UUID(7, 1), new UUID(7, 2), "n0", FabricType.GPU, "NVIDIA L4", "MiB", 64,
            "balanced", CostTerms.restore(1, 0.5, 1, 0.1, 0.5));
    }

    @Test
    void assignmentRuntime_isTheMapsRuntimeForTheFunction_andNullForAClosure() {
        assertEquals("OPENCL", AssignmentRow.runtimeOf(realGpu(), BLUR));
        assertEquals("PROCESS", AssignmentRow.runtimeOf(realGpu(), MATMUL));
        assertNull(AssignmentRow.runtimeOf(realGpu(), null));
        assertNull(AssignmentRow.runtimeOf(null, BLUR));
        assertNull(AssignmentRow.runtimeOf(realGpu(), "deflate"));
        AssignmentRow ended = AssignmentRow.running(placement(UUID.randomUUID()), BLUR, "OPENCL", new UUID(7, 3), 1)
            .ended("SUCCEEDED", null, 2);
        assertEquals("OPENCL", ended.runtime());
        assertEquals("SUCCEEDED", ended.state());
    }

    @Test
    void anAttemptKeepsTheRuntimeRecordedWhenItWasPlaced() {
        UUID task = UUID.randomUUID();
        // The reservation keeps the runtime of the placement; the ended row is rebuilt from it, whatever the map
        // says by then (the fabric may have left the orchestrator's table).
        ReservationRow r = ReservationRow.of(placement(task), BLUR, "OPENCL", new UUID(7, 3), 1, 10_000);
        Entry entry = new Entry(AssignmentRow.running(r.placement(), BLUR, r.runtime(), new UUID(7, 3), 1));
        PutAssignment.orchestrators(AssignmentRow.running(r.placement(), r.function(), r.runtime(),
            r.callerNodeId(), 1).ended("LOST", "node left", 2)).process(entry);
        assertEquals("LOST", entry.value.state());
        assertEquals("OPENCL", entry.value.runtime());
        assertNull(ReservationRow.of(placement(task), BLUR, null, new UUID(7, 3), 1, 10_000).runtime(),
            "a closure's reservation has no runtime");
        // A RUNNING row landing after the final one changes nothing.
        PutAssignment.orchestrators(AssignmentRow.running(placement(task), BLUR, "JAVA", new UUID(7, 3), 1))
            .process(entry);
        assertEquals("LOST", entry.value.state());
        assertEquals("OPENCL", entry.value.runtime());
    }

    @Test
    void theCallersWordIsTheRecord_theOrchestratorsGuessNeverReplacesIt() {
        AssignmentRow running = AssignmentRow.running(placement(UUID.randomUUID()), BLUR, "JAVA", new UUID(7, 3), 10);
        Entry entry = new Entry(running);
        PutAssignment.callers(running.ended("SUCCEEDED", null, 20)).process(entry);
        PutAssignment.orchestrators(running.ended("LOST", "reservation expired unreleased", 30)).process(entry);
        assertEquals("SUCCEEDED", entry.value.state(), "a reservation taken back late does not rewrite the result");

        entry = new Entry(running.ended("LOST", "node n2 failed", 20));
        PutAssignment.callers(running.ended("SUCCEEDED", null, 25)).process(entry);
        assertEquals("SUCCEEDED", entry.value.state());
        assertEquals("its caller got SUCCEEDED after it was recorded LOST (node n2 failed)", entry.value.detail());

        entry = new Entry(running.ended("LOST", "its caller does not hold it", 20));
        PutAssignment.orchestrators(AssignmentRow.running(placement(UUID.randomUUID()), BLUR, "JAVA",
            new UUID(7, 3), 15)).process(entry);
        assertEquals("LOST", entry.value.state(), "a RUNNING row from before the end is stale");
        AssignmentRow placedAgain = AssignmentRow.running(placement(UUID.randomUUID()), BLUR, "JAVA",
            new UUID(7, 3), 21);
        PutAssignment.orchestrators(placedAgain).process(entry);
        assertEquals("RUNNING", entry.value.state(), "the same attempt placed again after it was recorded LOST");
    }

    /** A cache entry in memory, for entry processors. */
    static final class Entry implements MutableEntry<String, AssignmentRow> {
        AssignmentRow value;

        Entry(AssignmentRow value) {
            this.value = value;
        }

        @Override
        public boolean exists() {
            return value != null;
        }

        @Override
        public void remove() {
            value = null;
        }

        @Override
        public void setValue(AssignmentRow value) {
            this.value = value;
        }

        @Override
        public String getKey() {
            return "k";
        }

        @Override
        public AssignmentRow getValue() {
            return value;
        }

        @Override
        public <T> T unwrap(Class<T> clazz) {
            throw new UnsupportedOperationException();
        }
    }
}
