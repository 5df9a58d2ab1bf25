package io.fabricstitch.function;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * An {@link AccelerationFunction} that reads its input and writes its output as streams, so inputs of any size pass
 * through it in bounded memory (over the data path they are read from the staged file, and the output is staged the
 * same way). Functions that need the whole input at once (an image decoder, a matrix product) stay plain
 * {@link AccelerationFunction}s and get the input as bytes, up to the agent's in-memory limit.
 */
public interface StreamingFunction extends AccelerationFunction {
    /**
     * Runs on {@code ctx.fabric()}, reading {@code in} to its end and writing the output to {@code out} (neither is to
     * be closed); polls {@link FunctionContext#checkCancelled()} between chunks.
     *
     * @throws FunctionException for bad input ({@link InvalidInputException}) or a failure on the fabric
     * @throws IOException when reading the input or writing the output fails
     */
    void execute(FunctionContext ctx, InputStream in, OutputStream out) throws FunctionException, IOException;

    /** The byte-array form, through the streaming one. */
    @Override
    default byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            execute(ctx, new ByteArrayInputStream(input), out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("in-memory streams do not fail", e);
        }
        return out.toByteArray();
    }
}
