package io.fabricstitch.agent.datapath;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C (Castagnoli) of a buffer's readable bytes, with {@link CRC32C} (an intrinsic on x86 and ARM). */
final class Crc32c {
    private final CRC32C crc = new CRC32C();

    /** The CRC32C of {@code buf}'s readable bytes; does not move its indexes. */
    int of(ByteBuf buf) {
        crc.reset();
        int len = buf.readableBytes();
        if (buf.hasArray())
            crc.update(buf.array(), buf.arrayOffset() + buf.readerIndex(), len);
        else if (len > 0) {
            for (ByteBuffer b : buf.nioBuffers(buf.readerIndex(), len))
                crc.update(b);
        }
        return (int)crc.getValue();
    }

    /** {@code 0x1a2b3c4d}. */
    static String hex(int crc) {
        return String.format("0x%08x", crc);
    }
}
