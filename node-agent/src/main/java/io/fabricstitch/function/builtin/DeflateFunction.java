package io.fabricstitch.function.builtin;

import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.StreamingFunction;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * {@code deflate}: any bytes in, the zlib stream (RFC 1950: header, deflate data, Adler-32) of {@link Deflater} at
 * its default level and strategy out; {@link java.util.zip.Inflater} restores the input. Streams, so inputs of any
 * size fit.
 */
public final class DeflateFunction implements StreamingFunction {
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
    public void execute(FunctionContext ctx, InputStream in, OutputStream out) throws FunctionException, IOException {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            byte[] input = new byte[BUFFER];
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.readNBytes(input, 0, input.length)) > 0) {
                deflater.setInput(input, 0, n);
                while (!deflater.needsInput()) {
                    ctx.checkCancelled();
                    out.write(buf, 0, deflater.deflate(buf));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                ctx.checkCancelled();
                out.write(buf, 0, deflater.deflate(buf));
            }
        }
        finally {
            deflater.end();
        }
    }
}
