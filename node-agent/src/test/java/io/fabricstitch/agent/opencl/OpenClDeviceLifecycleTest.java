package io.fabricstitch.agent.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.FabricUnavailableException;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.InvalidInputException;
import java.util.List;
import java.util.UUID;
import org.jocl.CL;
import org.jocl.CLException;
import org.junit.jupiter.api.Test;

/** A device that reports itself gone, a closed device, and a buffer larger than the device allows. */
class OpenClDeviceLifecycleTest {
    @Test
    void deviceThatReportsItselfGone_failsEveryLaterCallAsUnavailable() throws Exception {
        DetectedFabric d = OpenClHost.device();
        UUID id = UUID.randomUUID();
        try (OpenClRuntime rt = new OpenClRuntime(List.of())) {
            rt.attach(id, d);
            assertNull(rt.failure(id));
            OpenClDevice dev = rt.device(id);
            FabricUnavailableException e = assertThrows(FabricUnavailableException.class, () -> dev.call(s -> {
                throw new CLException("gone", CL.CL_DEVICE_NOT_AVAILABLE);
            }));
            assertEquals(id, e.fabricId());
            assertEquals("OpenCL device " + dev.name() + " failed: CL_DEVICE_NOT_AVAILABLE", rt.failure(id));
            assertThrows(FabricUnavailableException.class, () -> rt.functions().get("matmul.f32")
                .execute(OpenClHost.context(id, d), OpenClBuiltinKernelsTest.matmul(2, 2, 2, new java.util.Random(1))));
        }
    }

    @Test
    void callErrorThatIsNotTheDevices_failsThatCallOnly() throws Exception {
        DetectedFabric d = OpenClHost.device();
        UUID id = UUID.randomUUID();
        try (OpenClRuntime rt = new OpenClRuntime(List.of())) {
            rt.attach(id, d);
            OpenClDevice dev = rt.device(id);
            FunctionException e = assertThrows(FunctionException.class, () -> dev.call(s -> {
                throw new CLException("bad size", CL.CL_INVALID_WORK_GROUP_SIZE);
            }));
            assertTrue(!(e instanceof FabricUnavailableException), e.toString());
            assertNull(rt.failure(id));
            Integer after = dev.call(s -> 1);
            assertEquals(Integer.valueOf(1), after, "the device still works");
        }
    }

    @Test
    void closedRuntime_answersUnavailable_soTheTaskFailsOver() throws Exception {
        DetectedFabric d = OpenClHost.device();
        UUID id = UUID.randomUUID();
        OpenClRuntime rt = new OpenClRuntime(List.of());
        rt.attach(id, d);
        rt.close();
        assertThrows(FabricUnavailableException.class, () -> rt.functions().get("matmul.f32")
            .execute(OpenClHost.context(id, d), OpenClBuiltinKernelsTest.matmul(2, 2, 2, new java.util.Random(1))));
    }

    @Test
    void bufferLargerThanTheDeviceAllows_isRefusedAsBadInputNamingTheLimit() throws Exception {
        DetectedFabric d = OpenClHost.device();
        UUID id = UUID.randomUUID();
        try (OpenClRuntime rt = new OpenClRuntime(List.of())) {
            rt.attach(id, d);
            OpenClDevice dev = rt.device(id);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> dev.call(s -> s.buffer(CL.CL_MEM_READ_ONLY, dev.maxAllocBytes() + 1, null)));
            assertTrue(e.getMessage().contains("(expected: at most " + dev.maxAllocBytes() + " bytes, the device's "
                + "CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
        }
    }
}
