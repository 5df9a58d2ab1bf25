package io.fabricstitch.function.builtin;

import static io.fabricstitch.function.FunctionFixtures.context;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.function.DecodeBudgetExceededException;
import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionFixtures;
import io.fabricstitch.function.HostilePngs;
import io.fabricstitch.function.InvalidInputException;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Hostile inputs that decode large, against {@code image.gaussian-blur} (and {@code matmul.f32}, whose output can
 * dwarf its input): each is refused from its header, or takes what it will decode to from the node's decode budget
 * before decoding, and gives it back however the call ends.
 */
class DecodeBombTest {
    private static final long MIB = 1 << 20;

    private final GaussianBlurFunction blur = new GaussianBlurFunction();

    private static FunctionContext within(DecodeBudget budget) {
        return context().withDecodeBudget(budget);
    }

    private static byte[] randomPng(int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Random r = new Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++)
                img.setRGB(x, y, r.nextInt());
        }
        return GaussianBlurFunction.encode(img);
    }

    /** Heap this thread allocates while {@code call} runs, or -1 where the JVM cannot tell. */
    private static long allocatedBy(Runnable call) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean))
            return -1;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled())
            return -1;
        long before = threads.getCurrentThreadAllocatedBytes();
        call.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void tinyPngClaiming60000x60000_isRefusedFromItsHeader_beforeAnyPixelIsDecoded() {
        byte[] bomb = HostilePngs.claiming(60_000, 60_000);
        assertTrue(bomb.length < 16 * 1024, "a few KiB: " + bomb.length);
        DecodeBudget budget = DecodeBudget.of(64 * MIB, Duration.ofSeconds(30), DecodeBudget.DFLT_MAX_PIXELS);
        InvalidInputException[] refused = new InvalidInputException[1];
        long allocated = allocatedBy(() -> refused[0] = assertThrows(InvalidInputException.class,
            () -> blur.execute(within(budget), bomb)));
        assertEquals("input: a 60000x60000 PNG, 3600000000 pixels (expected: at most 64000000 pixels, the node's "
            + "agent.maxDecodePixels)", refused[0].getMessage());
        assertTrue(allocated < 8 * MIB, "allocated " + allocated + " bytes for a claim of 14 GB decoded");
        assertEquals(0, budget.inUseBytes());
    }

    @Test
    void zeroFilledPngWithinThePixelLimit_needingMoreThanTheWholeBudget_isRefusedAtOnce_namingBoth() {
        byte[] bomb = HostilePngs.zeros(4000, 4000);
        assertTrue(bomb.length < 256 * 1024, "compressed a thousandfold: " + bomb.length);
        DecodeBudget budget = DecodeBudget.of(16 * MIB, Duration.ofSeconds(30), DecodeBudget.DFLT_MAX_PIXELS);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> blur.execute(within(budget), bomb));
        // 16 000 000 pixels x (4 decoded + 8 output) bytes = 192 000 000 bytes
        assertEquals("input: a 4000x4000 PNG needs 183.1 MiB to decode (expected: at most the node's decode budget, "
            + "16.0 MiB; see agent.decodeBudgetBytes)", e.getMessage());
        assertEquals(0, budget.inUseBytes());
    }

    @Test
    void nextDecode_whenTheBudgetIsNearlyUsed_waitsThenIsRefused_namingItsNeedTheBudgetAndWhatIsInUse()
        throws Exception {
        DecodeBudget budget = DecodeBudget.of(4 * MIB, Duration.ofMillis(100), DecodeBudget.DFLT_MAX_PIXELS);
        byte[] png = randomPng(256, 256); // 65 536 pixels x 12 bytes: 0.75 MiB
        byte[] expected = blur.execute(context(), png);
        try (DecodeBudget.Reservation other = budget.reserve("another call", 3 * MIB + MIB / 2)) {
            DecodeBudgetExceededException e = assertThrows(DecodeBudgetExceededException.class,
                () -> blur.execute(within(budget), png));
            assertEquals("input: a 256x256 PNG needs 0.8 MiB to decode, but 3.5 MiB of the node's decode budget of "
                + "4.0 MiB stayed in use for 100 ms (expected: that much free within agent.decodeWaitMs; retry later, "
                + "or raise agent.decodeBudgetBytes)", e.getMessage());
            assertEquals(3 * MIB + MIB / 2, budget.inUseBytes(), "the refused call took nothing");
        }
        assertArrayEquals(expected, blur.execute(within(budget), png), "fits once the other call is done");
        assertEquals(0, budget.inUseBytes());
    }

    @Test
    void waitingDecode_runsOnceAnotherCallGivesItsBudgetBack() throws Exception {
        DecodeBudget budget = DecodeBudget.of(4 * MIB, Duration.ofMinutes(10), DecodeBudget.DFLT_MAX_PIXELS);
        byte[] png = randomPng(256, 256);
        byte[] expected = blur.execute(context(), png);
        CompletableFuture<byte[]> waiting;
        try (DecodeBudget.Reservation other = budget.reserve("another call", 3 * MIB + MIB / 2)) {
            waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return blur.execute(within(budget), png);
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the blur waiting for budget", () -> budget.waiting() == 1, budget::toString);
            assertFalse(waiting.isDone(), "waits while the other call holds the budget");
        }
        assertArrayEquals(expected, waiting.join());
        assertEquals(0, budget.inUseBytes());
    }

    @Test
    void budgetIsGivenBack_afterAnUndecodablePng_andACancelledCall() throws Exception {
        DecodeBudget budget = DecodeBudget.of(64 * MIB, Duration.ofSeconds(30), DecodeBudget.DFLT_MAX_PIXELS);
        byte[] png = randomPng(64, 64);
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        assertThrows(InvalidInputException.class, () -> blur.execute(within(budget), truncated));
        assertEquals(0, budget.inUseBytes());
        FunctionContext cancelled = FunctionFixtures.cancelledAfter(3).withDecodeBudget(budget);
        assertThrows(FunctionCancelledException.class, () -> blur.execute(cancelled, png));
        assertEquals(0, budget.inUseBytes());
    }

    @Test
    void nodesPixelLimit_refusesImagesAboveIt_andAdmitsThoseAtIt() throws Exception {
        DecodeBudget budget = DecodeBudget.of(64 * MIB, Duration.ofSeconds(30), 64 * 64);
        assertEquals(64, GaussianBlurFunction.decode(randomPng(64, 64)).getWidth());
        blur.execute(within(budget), randomPng(64, 64));
        assertEquals("input: a 65x64 PNG, 4160 pixels (expected: at most 4096 pixels, the node's "
            + "agent.maxDecodePixels)",
            assertThrows(InvalidInputException.class, () -> blur.execute(within(budget), randomPng(65, 64)))
                .getMessage());
    }

    @Test
    void matrixProductWithAThousandfoldOutput_takesItFromTheBudget_beforeAllocatingIt() {
        int d = MatmulF32Function.MAX_DIMENSION;
        byte[] input = java.nio.ByteBuffer.allocate(12 + 4 * (d + d)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putInt(d).putInt(1).putInt(d).array(); // 128 KiB of zeros in, 1 GiB out
        DecodeBudget budget = DecodeBudget.of(64 * MIB, Duration.ofSeconds(30), DecodeBudget.DFLT_MAX_PIXELS);
        InvalidInputException[] refused = new InvalidInputException[1];
        long allocated = allocatedBy(() -> refused[0] = assertThrows(InvalidInputException.class,
            () -> new MatmulF32Function().execute(within(budget), input)));
        assertEquals("input: a 16384x1 by 1x16384 matrix product needs 1024.1 MiB to decode (expected: at most the "
            + "node's decode budget, 64.0 MiB; see agent.decodeBudgetBytes)", refused[0].getMessage());
        assertTrue(allocated < 8 * MIB, "allocated " + allocated + " bytes");
        assertEquals(0, budget.inUseBytes());
    }

    @Test
    void compressedTextChunksOf64MiB_areSkipped_notInflated() {
        byte[] png = HostilePngs.withCompressedText(64 * MIB);
        long allocated = allocatedBy(() -> {
            try {
                assertEquals(2, GaussianBlurFunction.decode(blur.execute(context(), png)).getWidth());
            }
            catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assumeTrue(allocated >= 0, "this JVM does not count allocated bytes per thread");
        assertTrue(allocated < 16 * MIB, "allocated " + allocated + " bytes for chunks inflating to 128 MiB");
    }
}
