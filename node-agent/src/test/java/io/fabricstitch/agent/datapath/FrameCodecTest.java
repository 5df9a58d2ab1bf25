package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.agent.datapath.OpenRequest.Op;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** The frame codec on {@link EmbeddedChannel}s: encoder on one, decoder and checksum verifier on the other. */
@ExtendWith(NoLeakedBuffers.class)
class FrameCodecTest {
    private static final int MAX_FRAME = 1024 + FrameDecoder.HEADER_BYTES;

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final EmbeddedChannel writer = new EmbeddedChannel(new FrameEncoder());

    private final EmbeddedChannel reader = new EmbeddedChannel(new FrameDecoder(MAX_FRAME), new ChecksumVerifier());

    @AfterEach
    void close() {
        writer.finishAndReleaseAll();
        reader.finishAndReleaseAll();
    }

    /** The bytes the encoder writes for {@code f}, in one direct buffer. */
    private ByteBuf encode(Frame f) {
        assertTrue(writer.writeOutbound(f));
        ByteBuf wire = Unpooled.directBuffer();
        for (ByteBuf b; (b = writer.readOutbound()) != null;) {
            wire.writeBytes(b);
            b.release();
        }
        return wire;
    }

    private Frame roundTrip(Frame f) {
        reader.writeInbound(encode(f));
        Frame read = reader.readInbound();
        assertNotNull(read, "a frame is read");
        assertNull(reader.readInbound(), "one frame");
        return read;
    }

    /** The data path failure {@code body} throws, unwrapped from Netty's DecoderException. */
    private static DataPathException failure(Executable body) {
        try {
            body.execute();
        }
        catch (Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof DataPathException)
                    return (DataPathException)c;
            }
            throw new AssertionError("not a DataPathException", t);
        }
        return fail("no failure");
    }

    @Test
    void openFrame_roundTrip_keepsOpTransferIdDeclaredLengthAndToken() {
        UUID id = UUID.randomUUID();
        byte[] token = DataPathFixtures.uploadToken(id).bytes();
        Frame f = roundTrip(Frame.open(ALLOC, new OpenRequest(Op.PUT, id, 5_000_000_000L, token)));
        try {
            assertEquals(FrameType.OPEN, f.type());
            assertEquals(1, f.index());
            OpenRequest req = f.openRequest("from test");
            assertEquals(Op.PUT, req.op());
            assertEquals(id, req.transferId());
            assertEquals(5_000_000_000L, req.declaredLength());
            assertArrayEquals(token, req.token());
        }
        finally {
            f.release();
        }
    }

    @Test
    void dataFrame_hasTheDrawnLayout_andRoundTrips() {
        byte[] payload = DataPathFixtures.random(1000, 1);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuf wire = encode(Frame.data(Unpooled.wrappedBuffer(payload)));

        assertEquals(FrameDecoder.HEADER_BYTES + 1000, wire.readableBytes());
        assertEquals(FrameType.DATA.code(), wire.getUnsignedByte(0));
        assertEquals(1000, wire.getInt(1));
        assertEquals((int)crc.getValue(), wire.getInt(5));
        reader.writeInbound(wire);
        Frame f = reader.readInbound();
        try {
            assertEquals(FrameType.DATA, f.type());
            assertEquals(Unpooled.wrappedBuffer(payload), f.content());
        }
        finally {
            f.release();
        }
    }

    @Test
    void endAckAndErrorFrames_roundTrip() {
        Frame end = roundTrip(Frame.end(ALLOC, 123_456_789_012L));
        Frame ack = roundTrip(Frame.ack(ALLOC, "committed"));
        Frame error = roundTrip(Frame.error(ALLOC, Failure.CHECKSUM, "data path: bad frame ü"));
        try {
            assertEquals(123_456_789_012L, end.endTotal("from test"));
            assertEquals(0, ack.ackStatus("from test"));
            assertEquals("committed", ack.message());
            assertEquals(Failure.CHECKSUM, error.errorKind());
            assertEquals("data path: bad frame ü", error.message());
            assertEquals(3, error.index(), "frames are numbered in the connection");
        }
        finally {
            end.release();
            ack.release();
            error.release();
        }
    }

    @Test
    void framesSplitAcrossReads_andSeveralInOneRead_areReassembled() {
        ByteBuf two = encode(Frame.data(Unpooled.wrappedBuffer(DataPathFixtures.random(600, 2))));
        ByteBuf end = encode(Frame.end(ALLOC, 600));
        two.writeBytes(end);
        end.release();
        while (two.isReadable())
            reader.writeInbound(two.readRetainedSlice(Math.min(7, two.readableBytes())));
        two.release();

        Frame data = reader.readInbound();
        Frame last = reader.readInbound();
        try {
            assertEquals(FrameType.DATA, data.type());
            assertEquals(600, data.length());
            assertEquals(600, last.endTotal("from test"));
        }
        finally {
            data.release();
            last.release();
        }
    }

    @Test
    void dataFrameSplitAcrossDirectReads_isAViewOfTheReadBuffers_notACopy_andByteExact() {
        byte[] payload = DataPathFixtures.random(1000, 3);
        ByteBuf wire = encode(Frame.data(Unpooled.wrappedBuffer(payload)));
        // Three socket reads, each its own direct buffer, as a transport hands them over.
        int[] cuts = {0, 5, 400, wire.readableBytes()};
        for (int i = 0; i + 1 < cuts.length; i++) {
            ByteBuf read = ALLOC.directBuffer(cuts[i + 1] - cuts[i]);
            read.writeBytes(wire, cuts[i], cuts[i + 1] - cuts[i]);
            reader.writeInbound(read);
        }
        wire.release();

        Frame data = reader.readInbound();
        try {
            assertFalse(data.content().hasArray(), "the payload stays in the direct read buffers, not copied to heap");
            assertEquals(2, data.content().nioBuffers().length, "its bytes stay in the two reads that brought them (the "
                + "CRC is checked and the file written over both), not merged into one buffer");
            byte[] got = new byte[data.length()];
            data.content().getBytes(data.content().readerIndex(), got);
            assertArrayEquals(payload, got);
        }
        finally {
            data.release();
        }
    }

    @Test
    void crc32c_isTheSame_overHeapDirectAndCompositeBuffers() {
        byte[] bytes = DataPathFixtures.random(70_000, 9);
        CRC32C expected = new CRC32C();
        expected.update(bytes, 1, bytes.length - 2);
        ByteBuf heap = Unpooled.wrappedBuffer(bytes).slice(1, bytes.length - 2);
        ByteBuf direct = ALLOC.directBuffer(bytes.length).writeBytes(bytes).skipBytes(1);
        direct.writerIndex(bytes.length - 1);
        ByteBuf composite = Unpooled.compositeBuffer().addComponents(true,
            ALLOC.directBuffer().writeBytes(bytes, 0, 30_000), ALLOC.directBuffer().writeBytes(bytes, 30_000, 40_000))
            .skipBytes(1);
        composite.writerIndex(bytes.length - 1);
        try {
            Crc32c crc = new Crc32c();
            assertEquals((int)expected.getValue(), crc.of(heap));
            assertEquals((int)expected.getValue(), crc.of(direct));
            assertEquals((int)expected.getValue(), crc.of(composite));
            assertEquals(1, direct.readerIndex(), "indexes untouched");
        }
        finally {
            direct.release();
            composite.release();
        }
    }

    @Test
    void wrongCrc_failsWithChecksum_namingBothValues() {
        ByteBuf wire = encode(Frame.data(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        wire.setInt(5, 0x1a2b3c4d);

        DataPathException e = failure(() -> reader.writeInbound(wire));

        assertEquals(Failure.CHECKSUM, e.kind());
        assertTrue(e.getMessage().startsWith("data path: frame 1 from "), e::getMessage);
        assertTrue(e.getMessage().contains(" has CRC32C 0x1a2b3c4d, computed 0x"), e::getMessage);
        assertTrue(e.getMessage().endsWith(" (expected: equal; the transfer is discarded)"), e::getMessage);
        assertNull(reader.readInbound(), "the frame is dropped (and released)");
    }

    @Test
    void oversizedFrame_failsOnItsHeader_andWhatFollowsIsDiscarded() {
        ByteBuf header = Unpooled.directBuffer().writeByte(FrameType.DATA.code()).writeInt(1025).writeInt(0);

        DataPathException e = failure(() -> reader.writeInbound(header));

        assertEquals(Failure.OVERSIZED_FRAME, e.kind());
        assertTrue(e.getMessage().contains("DATA frame 1 from "), e::getMessage);
        assertTrue(e.getMessage().contains("declares 1025 payload bytes, 1034 with the header (expected: at most "
            + "maxFrameBytes = 1033"), e::getMessage);
        assertFalse(reader.writeInbound(encode(Frame.end(ALLOC, 0))), "nothing is decoded after the failure");
    }

    @Test
    void truncatedFrame_failsWhenTheConnectionCloses() {
        ByteBuf wire = encode(Frame.data(Unpooled.wrappedBuffer(new byte[100])));
        reader.writeInbound(wire.readRetainedSlice(50));
        wire.release();
        assertNull(reader.readInbound());

        DataPathException e = failure(reader::finish);

        assertEquals(Failure.TRUNCATED, e.kind());
        assertTrue(e.getMessage().contains("frame 1 from "), e::getMessage);
        assertTrue(e.getMessage().endsWith("was cut off: the connection closed after 50 of its bytes (expected: 109 "
            + "bytes; the transfer is discarded)"), e::getMessage);
    }

    @Test
    void unknownType_failsWithProtocol() {
        ByteBuf wire = Unpooled.directBuffer().writeByte(9).writeInt(0).writeInt(0);

        DataPathException e = failure(() -> reader.writeInbound(wire));

        assertEquals(Failure.PROTOCOL, e.kind());
        assertTrue(e.getMessage().endsWith("has type 9 (expected: 1 OPEN, 2 DATA, 3 END, 4 ACK or 5 ERROR)"),
            e::getMessage);
    }

    @Test
    void aTlsRecord_isRecognised_asAPeerUsingTls() {
        ByteBuf hello = Unpooled.directBuffer().writeBytes("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc"
            .getBytes(StandardCharsets.ISO_8859_1));

        DataPathException e = failure(() -> reader.writeInbound(hello));

        assertEquals(Failure.PROTOCOL, e.kind());
        assertTrue(e.getMessage().endsWith("a TLS record starts with 22: the peer uses TLS, this side DIRECT"),
            e::getMessage);
    }

    @Test
    void openFrameWithoutToken_roundTrips_withNoToken() {
        Frame f = roundTrip(Frame.open(ALLOC, new OpenRequest(Op.GET, UUID.randomUUID(), -1, null)));
        try {
            assertNull(f.openRequest("from test").token());
        }
        finally {
            f.release();
        }
    }

    @Test
    void openPayloadWhoseTokenLengthDisagrees_failsWithProtocol() {
        ByteBuf p = Unpooled.directBuffer().writeByte(1).writeLong(1).writeLong(2).writeLong(-1).writeShort(82)
            .writeBytes(new byte[10]);
        Frame f = roundTrip(new Frame(FrameType.OPEN, p, 0, 0));
        try {
            DataPathException e = failure(() -> f.openRequest("from 127.0.0.1:5"));
            assertEquals(Failure.PROTOCOL, e.kind());
            assertEquals("data path: OPEN frame 1 from 127.0.0.1:5 has 37 payload bytes (expected: 25, or 27 and the "
                + "token's length)", e.getMessage());
        }
        finally {
            f.release();
        }
    }

    @Test
    void serverDecoder_refusesAFirstFrameOtherThanASmallOpen() {
        EmbeddedChannel server = new EmbeddedChannel(new FrameDecoder(MAX_FRAME, true));
        DataPathException e = failure(() -> server.writeInbound(Unpooled.wrappedBuffer(DataPathFixtures.data(
            new byte[100]))));
        assertEquals(Failure.PROTOCOL, e.kind());
        assertTrue(e.getMessage().endsWith(" is DATA (expected: OPEN first)"), e::getMessage);

        EmbeddedChannel bigOpen = new EmbeddedChannel(new FrameDecoder(MAX_FRAME, true));
        ByteBuf header = Unpooled.buffer().writeByte(FrameType.OPEN.code()).writeInt(OpenRequest.MAX_BYTES + 1)
            .writeInt(0);
        e = failure(() -> bigOpen.writeInbound(header));
        assertEquals(Failure.OVERSIZED_FRAME, e.kind());
        assertTrue(e.getMessage().endsWith("declares " + (OpenRequest.MAX_BYTES + 1) + " payload bytes (expected: at "
            + "most " + OpenRequest.MAX_BYTES + ")"), e::getMessage);
        server.finishAndReleaseAll();
        bigOpen.finishAndReleaseAll();
    }

    @Test
    void malformedOpenPayload_failsWithProtocol() {
        ByteBuf p = Unpooled.directBuffer().writeByte(7).writeLong(1).writeLong(2).writeLong(-1);
        Frame f = roundTrip(new Frame(FrameType.OPEN, p, 0, 0));
        try {
            DataPathException e = failure(() -> f.openRequest("from 127.0.0.1:5"));
            assertEquals(Failure.PROTOCOL, e.kind());
            assertEquals("data path: OPEN frame 1 from 127.0.0.1:5 has op 7 (expected: 1 PUT or 2 GET)",
                e.getMessage());
        }
        finally {
            f.release();
        }
    }
}
