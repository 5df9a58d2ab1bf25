package io.fabricstitch.function.builtin;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricType;
import java.io.ByteArrayOutputStream;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * {@code deflate}: any bytes in, the zlib stream (RFC 1950: header, deflate data, Adler-32) of {@link Deflater} at
 * its default level and strategy out; {@link java.util.zip.Inflater} restores the input.
 */
public final class DeflateFunction implements AccelerationFunction {
    /** The registered name. */
    public static final String NAME = "deflate";

    /** Output buffer size; the cancellation check runs once per filled buffer. */
    static final int BUFFER = 64 * 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<FabricType> fabricTypes() {
        return Set.of(FabricType.CPU);
    }

    @Override
    public String description() {
        return "zlib-format deflate (default level) of the input";
    }

    @Override
    public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.length / 2));
            byte[] buf = new byte[BUFFER];
            while (!deflater.finished()) {
                ctx.checkCancelled();
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
        finally {
            deflater.end();
        }
    }
}
