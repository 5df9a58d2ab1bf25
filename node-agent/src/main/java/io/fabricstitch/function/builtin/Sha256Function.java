package io.fabricstitch.function.builtin;

import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.StreamingFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.fabricstitch.model.FabricType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/** {@code sha256}: any bytes in, their 32-byte SHA-256 digest out; streams, so inputs of any size fit. */
public final class Sha256Function implements StreamingFunction {
    /** The registered name. */
    public static final String NAME = "sha256";

    /** Bytes hashed between two cancellation checks. */
    static final int CHUNK = 256 * 1024;

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
        return "SHA-256 digest of the input (32 bytes)";
    }

    @Override
    public void execute(FunctionContext ctx, InputStream in, OutputStream out) throws FunctionException, IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new FunctionException("SHA-256: not available in this JVM (expected: every Java SE JVM has it)", e);
        }
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            ctx.checkCancelled();
            md.update(buf, 0, n);
        }
        out.write(md.digest());
    }
}
