package io.fabricstitch.function.builtin;

import static io.fabricstitch.function.FunctionFixtures.cancelledAfter;
import static io.fabricstitch.function.FunctionFixtures.context;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.function.FunctionCancelledException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class DeflateFunctionTest {
    private final DeflateFunction deflate = new DeflateFunction();

    private static byte[] text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++)
            sb.append("fabric ").append(i % 97).append(" runs deflate; ");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    private static byte[] inflate(byte[] zlib) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(zlib);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1000];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary()))
                    throw new DataFormatException("truncated zlib stream");
                out.write(buf, 0, n);
            }
            assertEquals(0, inflater.getRemaining(), "bytes after the zlib stream");
            return out.toByteArray();
        }
        finally {
            inflater.end();
        }
    }

    /** What Deflater gives when asked directly, output taken in one large buffer. */
    private static byte[] deflaterDirect(byte[] input) {
        Deflater d = new Deflater();
        try {
            d.setInput(input);
            d.finish();
            byte[] buf = new byte[input.length + 1024];
            int n = d.deflate(buf);
            assertTrue(d.finished());
            return Arrays.copyOf(buf, n);
        }
        finally {
            d.end();
        }
    }

    @Test
    void deflate_roundTripsThroughInflater() throws Exception {
        for (byte[] input : new byte[][] {text(), random(300_000), new byte[0]})
            assertArrayEquals(input, inflate(deflate.execute(context(), input)));
    }

    @Test
    void deflate_matchesDeflaterAtDefaultLevel_withZlibHeader() throws Exception {
        byte[] input = text();
        byte[] out = deflate.execute(context(), input);
        assertArrayEquals(deflaterDirect(input), out);
        assertTrue(out.length < input.length / 10, "compressible text compressed: " + out.length);
        assertEquals(0x78, out[0] & 0xFF, "zlib CMF: deflate, 32K window");
        assertEquals(0x9C, out[1] & 0xFF, "zlib FLG: default level");
        byte[] large = random(3 * DeflateFunction.BUFFER);
        assertArrayEquals(deflaterDirect(large), deflate.execute(context(), large));
    }

    @Test
    void deflate_stopsBetweenOutputBuffers_whenCancelled() {
        byte[] input = random(8 * DeflateFunction.BUFFER);
        assertThrows(FunctionCancelledException.class, () -> deflate.execute(cancelledAfter(1), input));
    }
}
