package io.fabricstitch.function.builtin;

import static io.fabricstitch.function.FunctionFixtures.cancelledAfter;
import static io.fabricstitch.function.FunctionFixtures.context;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Sha256FunctionTest {
    private final Sha256Function sha = new Sha256Function();

    @Test
    void sha256_matchesMessageDigest_acrossChunkBoundaries() throws Exception {
        byte[] input = new byte[3 * Sha256Function.CHUNK + 17];
        new Random(42).nextBytes(input);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(input), sha.execute(context(), input));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(new byte[0]), sha.execute(context(),
            new byte[0]));
    }

    @Test
    void sha256_ofAbc_isTheFips180Vector() throws FunctionException {
        byte[] digest = sha.execute(context(), "abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            HexFormat.of().formatHex(digest));
    }

    @Test
    void sha256_stopsBetweenChunks_whenCancelled() {
        byte[] input = new byte[3 * Sha256Function.CHUNK];
        assertThrows(FunctionCancelledException.class, () -> sha.execute(cancelledAfter(1), input));
    }

    @Test
    void sha256_isRegisteredForCpuOnly() {
        assertEquals("sha256", sha.name());
        assertEquals(Set.of(FabricType.CPU), sha.fabricTypes());
    }
}
