package io.fabricstitch.agent.net;

import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes and reads beacon bodies (big-endian):
 * <pre>
 * ANNOUNCE  nodeId (16: msb, lsb) | unicastPort u16 | agentName str | site str | dataPathAddress str
 *           | K u8 (&lt;= 32) | K x (type ordinal u8, status ordinal u8, count u16)
 * PING      nodeId (16) | seq i64 | sentNanos i64
 * PONG      responder nodeId (16) | seq i64 | echoed sentNanos i64
 * str       u16 byte length | UTF-8 bytes
 * </pre>
 * Reading checks every length, count and ordinal and fails with {@link IllegalArgumentException} naming it.
 */
final class BeaconBody {
    /** Size of a PING or PONG body. */
    static final int PING_BYTES = 32;

    private static final FabricType[] TYPES = FabricType.values();

    private static final FabricStatus[] STATUSES = FabricStatus.values();

    private BeaconBody() {
    }

    /** Appends the body of {@code m} to {@code out}. */
    static void write(BeaconMessage m, ByteBuf out) {
        writeUuid(m.nodeId(), out);
        if (m instanceof BeaconMessage.Announce) {
            BeaconMessage.Announce a = (BeaconMessage.Announce)m;
            Announcement ann = a.announcement();
            out.writeShort(a.unicastPort());
            writeString(ann.agentName(), out);
            writeString(ann.site(), out);
            writeString(ann.dataPathAddress(), out);
            out.writeByte(ann.fabrics().size());
            for (FabricSummary s : ann.fabrics())
                out.writeByte(s.type().ordinal()).writeByte(s.status().ordinal()).writeShort(s.count());
        }
        else if (m instanceof BeaconMessage.Ping) {
            BeaconMessage.Ping p = (BeaconMessage.Ping)m;
            out.writeLong(p.seq()).writeLong(p.sentNanos());
        }
        else {
            BeaconMessage.Pong p = (BeaconMessage.Pong)m;
            out.writeLong(p.seq()).writeLong(p.sentNanos());
        }
    }

    /**
     * Reads a whole body of type {@code type}.
     *
     * @throws IllegalArgumentException when the body is not a well-formed one of that type, naming what is wrong
     */
    static BeaconMessage read(BeaconType type, ByteBuf body) {
        if (type != BeaconType.ANNOUNCE && body.readableBytes() != PING_BYTES)
            throw new IllegalArgumentException(body.readableBytes() + " bytes (expected: " + PING_BYTES + ")");
        need(body, 16, "nodeId");
        UUID nodeId = new UUID(body.readLong(), body.readLong());
        if (type == BeaconType.PING)
            return new BeaconMessage.Ping(nodeId, body.readLong(), body.readLong());
        if (type == BeaconType.PONG)
            return new BeaconMessage.Pong(nodeId, body.readLong(), body.readLong());
        return readAnnounce(nodeId, body);
    }

    private static BeaconMessage.Announce readAnnounce(UUID nodeId, ByteBuf body) {
        need(body, 2, "unicastPort");
        int port = body.readUnsignedShort();
        if (port == 0)
            throw new IllegalArgumentException("unicastPort: 0 (expected: 1..65535)");
        String agentName = readString(body, "agentName", Announcement.MAX_AGENT_NAME_BYTES);
        String site = readString(body, "site", Announcement.MAX_SITE_BYTES);
        String dataPath = readString(body, "dataPathAddress", Announcement.MAX_DATA_PATH_BYTES);
        need(body, 1, "fabric count");
        int k = body.readUnsignedByte();
        if (k > Announcement.MAX_FABRICS)
            throw new IllegalArgumentException("fabric count: " + k + " (expected: at most " + Announcement.MAX_FABRICS
                + ")");
        need(body, 4 * k, k + " fabric summaries");
        List<FabricSummary> fabrics = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int t = body.readUnsignedByte();
            int s = body.readUnsignedByte();
            int count = body.readUnsignedShort();
            if (t >= TYPES.length || s >= STATUSES.length)
                throw new IllegalArgumentException("fabric summary " + i + ": type " + t + ", status " + s
                    + " (expected: type 0.." + (TYPES.length - 1) + ", status 0.." + (STATUSES.length - 1) + ")");
            fabrics.add(FabricSummary.of(TYPES[t], STATUSES[s], count));
        }
        if (body.isReadable())
            throw new IllegalArgumentException(body.readableBytes() + " byte(s) after the last field (expected: "
                + "none)");
        return new BeaconMessage.Announce(Announcement.of(nodeId, agentName, site, dataPath, fabrics), port);
    }

    private static void need(ByteBuf body, int bytes, String what) {
        if (body.readableBytes() < bytes)
            throw new IllegalArgumentException(what + ": " + body.readableBytes() + " bytes left (expected: "
                + bytes + ")");
    }

    private static void writeUuid(UUID id, ByteBuf out) {
        out.writeLong(id.getMostSignificantBits()).writeLong(id.getLeastSignificantBits());
    }

    private static void writeString(String s, ByteBuf out) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length).writeBytes(bytes);
    }

    private static String readString(ByteBuf body, String name, int maxBytes) {
        need(body, 2, name + " length");
        int len = body.readUnsignedShort();
        if (len > maxBytes)
            throw new IllegalArgumentException(name + ": " + len + " bytes (expected: at most " + maxBytes + ")");
        need(body, len, name);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(body.nioBuffer(body.readerIndex(), len))
                .toString();
            body.skipBytes(len);
            return s;
        }
        catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + ": " + len + " bytes that are not UTF-8 (expected: UTF-8)");
        }
    }
}
