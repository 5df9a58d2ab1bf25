package io.fabricstitch.function.builtin;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/** {@code sha256}: any bytes in, their 32-byte SHA-256 digest out. */
public final class Sha256Function implements AccelerationFunction {
    /** The registered name. */
    public static final String NAME = "sha256";

    /** Bytes hashed between two cancellation checks. */
    static final int CHUNK = 1 << 20;

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
    public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new FunctionException("SHA-256: not available in this JVM (expected: every Java SE JVM has it)", e);
        }
        for (int off = 0; off < input.length; off += CHUNK) {
            ctx.checkCancelled();
            md.update(input, off, Math.min(CHUNK, input.length - off));
        }
        return md.digest();
    }
}
