package io.fabricstitch.ignite.compute;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricType;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST FIXTURE: {@code test.gated-echo} returns its input once the test opens {@link #gate}, so that a test can act
 * while every call is running; a call whose fabric turns OFFLINE (or that is cancelled) ends at once.
 */
public final class GatedEchoFunction implements AccelerationFunction {
    static final String NAME = "test.gated-echo";

    /** Calls that have started, in this JVM. */
    static final AtomicInteger STARTED = new AtomicInteger();

    /** Opened by the test to let running calls return. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<FabricType> fabricTypes() {
        return EnumSet.of(FabricType.ASIC, FabricType.CPU);
    }

    @Override
    public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        STARTED.incrementAndGet();
        try {
            while (!gate.await(10, TimeUnit.MILLISECONDS))
                ctx.checkCancelled();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionException("interrupted");
        }
        return input;
    }
}
