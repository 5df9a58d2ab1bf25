package io.fabricstitch.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FunctionContextTest {
    @Test
    void checkCancelled_throwsNamingTheFabric_onceTheCallerCancels() throws FunctionCancelledException {
        AtomicBoolean cancelled = new AtomicBoolean();
        FunctionContext ctx = FunctionContext.of(FunctionFixtures.cpuFabric(), true, cancelled::get);
        ctx.checkCancelled();
        assertFalse(ctx.isCancelled());
        cancelled.set(true);
        assertTrue(ctx.isCancelled());
        FunctionCancelledException e = assertThrows(FunctionCancelledException.class, ctx::checkCancelled);
        assertEquals("cancelled on fabric 00000000-0000-0000-0000-00000000c0de (Test CPU)", e.getMessage());
        assertTrue(ctx.simulated());
    }

    @Test
    void of_refusesMissingFabricOrSwitch() {
        assertEquals("fabric: null (expected: a value)", assertThrows(IllegalArgumentException.class,
            () -> FunctionContext.of(null, false, () -> false)).getMessage());
        assertEquals("cancelled: null (expected: a value)", assertThrows(IllegalArgumentException.class,
            () -> FunctionContext.of(FunctionFixtures.cpuFabric(), false, null)).getMessage());
    }
}
