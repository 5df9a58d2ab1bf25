package io.fabricstitch.agent.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Defaults and the checks of {@link DataPathConfiguration.Builder#build()}, with their messages. */
class DataPathConfigurationTest {
    private static String refused(UnaryOperator<DataPathConfiguration.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(DataPathConfiguration.builder())
            .build()).getMessage();
    }

    @Test
    void defaults_areThoseDocumented() {
        DataPathConfiguration cfg = DataPathConfiguration.builder().build();

        assertEquals("127.0.0.1", cfg.bindHost());
        assertEquals(0, cfg.port());
        assertEquals(1, cfg.portRange());
        assertEquals(256 << 10, cfg.chunkBytes());
        assertEquals((1 << 20) + FrameDecoder.HEADER_BYTES, cfg.maxFrameBytes());
        assertEquals(Duration.ofSeconds(10), cfg.readTimeout());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "fabric-stitch-staging").toAbsolutePath(),
            cfg.stagingDirectory());
        assertEquals(64L << 30, cfg.maxTransferBytes());
        assertEquals(Duration.ofMinutes(10), cfg.stagedTtl());
        assertEquals(Duration.ofSeconds(10), cfg.spareFileTtl());
        assertNull(cfg.tls());
        assertEquals("agent", cfg.agentName());
        assertEquals(0, cfg.stagingCapacityBytes(), "0: half the free space");
        assertEquals(512, cfg.maxConnections());
        assertEquals(64, cfg.maxConnectionsPerPeer());
        assertEquals(Duration.ofSeconds(5), cfg.openTimeout());
        assertEquals(64 << 10, cfg.minReceiveRate());
        assertEquals(Duration.ofSeconds(5), cfg.minRateWindow());
        assertNull(cfg.transferKey().get(), "no key: every transfer refused");
        assertFalse(cfg.hostsFabric().test(java.util.UUID.randomUUID()), "no fabric: every token refused");
        assertTrue(cfg.nativeTransport(), "epoll where it loads");
        assertEquals(cfg.toString(), cfg.toBuilder().build().toString());
        assertFalse(cfg.toBuilder().nativeTransport(false).build().toBuilder().build().nativeTransport(),
            "toBuilder keeps nativeTransport");
    }

    @Test
    void eachInvalidSetting_isRefusedByItsPathInTheTree_withWhatWasFoundAndWhatIsAccepted() {
        assertEquals("dataPath.port: 70000 (expected: 0..65535)", refused(b -> b.port(70000)));
        assertEquals("dataPath.portRange: 10 (expected: 1..6 with dataPath.port 65530)",
            refused(b -> b.port(65530).portRange(10)));
        assertEquals("dataPath.chunkBytes: 512 (expected: 1024..1048576)", refused(b -> b.chunkBytes(512)));
        assertEquals("dataPath.readTimeoutMs: 5 (expected: 100..3600000)",
            refused(b -> b.readTimeout(Duration.ofMillis(5))));
        assertEquals("dataPath.stagingCapacityBytes: -1 (expected: 0..9223372036854775807)",
            refused(b -> b.stagingCapacityBytes(-1)));
        assertEquals("dataPath.maxConnections: 0 (expected: 1..1048576)", refused(b -> b.maxConnections(0)));
        assertEquals("dataPath.maxConnectionsPerPeer: 20 (expected: 1..10, at most dataPath.maxConnections)",
            refused(b -> b.maxConnections(10).maxConnectionsPerPeer(20)));
        assertEquals("dataPath.openTimeoutMs: 0 (expected: 10..3600000)", refused(b -> b.openTimeout(Duration.ZERO)));
        assertEquals("dataPath.minRateBytesPerSecond: -1 (expected: 0..9223372036854775807)",
            refused(b -> b.minReceiveRate(-1)));
        assertEquals("dataPath.spareFileTtlMs: -1 (expected: 0..3600000)",
            refused(b -> b.spareFileTtl(Duration.ofMillis(-1))));
    }

    @Test
    void eachInvalidRunTimeValue_isRefusedWithWhatWasFoundAndWhatIsAccepted() {
        assertEquals("bindHost: ' ' (expected: a non-blank string)", refused(b -> b.bindHost(" ")));
        assertEquals("maxFrameBytes: 4096 (expected: 262153..16777225, at least dataPath.chunkBytes 262144 + the "
            + "9-byte header)", refused(b -> b.maxFrameBytes(4096)));
        assertEquals("stagingDirectory: null (expected: a value)", refused(b -> b.stagingDirectory(null)));
        assertEquals("maxTransferBytes: -1 (expected: 0..9223372036854775807)",
            refused(b -> b.maxTransferBytes(-1)));
        assertEquals("stagedTtl: 500 ms (expected: 1 s..30 d)", refused(b -> b.stagedTtl(Duration.ofMillis(500))));
        assertEquals("agentName: ' ' (expected: a non-blank string)", refused(b -> b.agentName(" ")));
        assertEquals("transferKey: null (expected: a value)",
            refused(b -> b.transferKey((java.util.function.Supplier<TransferKey>)null)));
        assertEquals("listen port range: 2 (expected: 1..1)", refused(b -> b.listenPorts(0, 2)));
    }

    @Test
    void readsEverySettingFromTheBeanItWasGiven_asItIs() {
        FabricDataPathConfiguration bean = new FabricDataPathConfiguration().setPort(9100).setPortRange(4)
            .setChunkBytes(4096).setReadTimeoutMs(2500).setMaxConnections(7).setMaxConnectionsPerPeer(3);
        DataPathConfiguration cfg = DataPathConfiguration.builder(bean).build();
        assertSame(bean, cfg.settings());
        assertEquals(9100, cfg.port());
        assertEquals(4, cfg.portRange());
        assertEquals(4096, cfg.chunkBytes());
        assertEquals(Duration.ofMillis(2500), cfg.readTimeout());
        assertEquals(3, cfg.maxConnectionsPerPeer());
        assertEquals(1, DataPathConfiguration.builder(bean.setPort(0)).build().portRange(), "port 0: one port");
    }

    @Test
    void listenPorts_moveOneServerOnlyAndSurviveToBuilder() {
        DataPathConfiguration first = DataPathConfiguration.builder().port(9000).portRange(3).build();
        DataPathConfiguration second = first.toBuilder().listenPorts(9001, 2).build();
        assertEquals(9001, second.port());
        assertEquals(2, second.portRange());
        assertEquals(9001, second.toBuilder().build().port());
        assertEquals(9000, first.settings().getPort(), "the settings keep their port");
        assertSame(first.settings(), second.settings());
    }

    @Test
    void smallerChunks_acceptASmallerMaxFrame() {
        DataPathConfiguration cfg = DataPathConfiguration.builder().chunkBytes(1024).maxFrameBytes(1033).port(9000)
            .portRange(3).build();

        assertEquals(1033, cfg.maxFrameBytes());
        assertTrue(cfg.toString().contains("bind=127.0.0.1:9000..9002"), cfg::toString);
    }
}
