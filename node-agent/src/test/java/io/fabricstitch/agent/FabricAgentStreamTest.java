package io.fabricstitch.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.model.FabricType;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Functions over streams: streaming functions take inputs larger than the in-memory limit; others are refused. */
class FabricAgentStreamTest {
    @TempDir
    Path claimDir;

    /** {@code length} pseudo-random bytes, generated as they are read (never held whole). */
    static InputStream generated(long length) {
        return new InputStream() {
            long left = length;
            long x = 42;

            @Override
            public int read() {
                if (left == 0)
                    return -1;
                left--;
                x = x * 6364136223846793005L + 1442695040888963407L;
                return (int)(x >>> 56) & 0xFF;
            }
        };
    }

    private FabricAgent agent() {
        return new FabricAgent(AgentConfiguration.builder().agentName("n0").nodeId(UUID.randomUUID()).hostId("h")
            .claimDirectory(claimDir).maxInMemoryInputBytes(1 << 20)
            .probe(new DeclaredFabricProbe(List.of(new DeclaredFabric().setName("g").setType(FabricType.GPU)
                .setModel("GPU (declared)").setResourceUnit("MiB").setResourceCount(1024)
                .setFunctions(List.of("sha256", "image.gaussian-blur"))))).build());
    }

    @Test
    void streamingFunction_takesAnInputLargerThanTheInMemoryLimit() throws Exception {
        long length = 8L << 20;
        try (FabricAgent a = agent()) {
            UUID id = a.start().stream().filter(f -> f.getFabricType() == FabricType.GPU).findFirst().orElseThrow()
                .getFabricId();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(32, a.execute(id, "sha256", generated(length), length, out, () -> false));
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(generated(length).readAllBytes());
            assertArrayEquals(md.digest(), out.toByteArray());
        }
    }

    @Test
    void wholeInputFunction_refusesAnInputOverTheLimit_namingTheLimitAndTheWayOut() throws Exception {
        try (FabricAgent a = agent()) {
            UUID id = a.start().stream().filter(f -> f.getFabricType() == FabricType.GPU).findFirst().orElseThrow()
                .getFabricId();
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> a.execute(id,
                "image.gaussian-blur", generated(2 << 20), 2 << 20, new ByteArrayOutputStream(), () -> false));
            assertEquals("input: 2097152 bytes for image.gaussian-blur (expected: at most 1048576 bytes: "
                + "image.gaussian-blur needs its whole input in memory; streaming functions such as sha256 and deflate "
                + "take any size)", e.getMessage());
        }
    }
}
