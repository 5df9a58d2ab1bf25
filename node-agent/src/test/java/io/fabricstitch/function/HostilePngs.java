package io.fabricstitch.function;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Small PNGs that decode large, written chunk by chunk (8-bit RGBA): none of them is ever held decoded by the test.
 */
public final class HostilePngs {
    private static final byte[] SIGNATURE = {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private HostilePngs() {
    }

    /** A PNG whose header claims {@code width x height} and whose image data holds 1 MiB of zeros: a few KiB. */
    public static byte[] claiming(int width, int height) {
        return png(width, height, chunk("IDAT", deflatedZeros(1L << 20, new byte[0])));
    }

    /** A valid PNG of {@code width x height} transparent black pixels, compressed to about a thousandth. */
    public static byte[] zeros(int width, int height) {
        return png(width, height, chunk("IDAT", deflatedZeros((1L + 4L * width) * height, new byte[0])));
    }

    /**
     * A valid 2x2 PNG carrying a {@code zTXt} and an {@code iTXt} text chunk, each compressed from {@code bytes}
     * zeros (the JDK's reader inflates them whole when it reads metadata).
     */
    public static byte[] withCompressedText(long bytes) {
        byte[] zTxt = {'x', 0, 0}; // keyword "x", its terminator, compression method 0 (deflate)
        byte[] iTxt = {'x', 0, 1, 0, 0, 0}; // keyword, compressed, deflate, no language tag, no translated keyword
        return png(2, 2, concat(chunk("zTXt", deflatedZeros(bytes, zTxt)), chunk("iTXt", deflatedZeros(bytes, iTxt)),
            chunk("IDAT", deflatedZeros(2 * (1 + 4 * 2), new byte[0]))));
    }

    private static byte[] png(int width, int height, byte[] chunks) {
        byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte)8).put((byte)6).put((byte)0)
            .put((byte)0).put((byte)0).array();
        return concat(SIGNATURE, chunk("IHDR", ihdr), chunks, chunk("IEND", new byte[0]));
    }

    private static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(name);
            crc.update(data);
            out.writeInt(data.length);
            out.write(name);
            out.write(data);
            out.writeInt((int)crc.getValue());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code prefix}, then {@code count} zero bytes deflated (zlib), streamed in 64 KiB pieces. */
    private static byte[] deflatedZeros(long count, byte[] prefix) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(prefix);
        byte[] zeros = new byte[1 << 16];
        try (OutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION))) {
            for (long left = count; left > 0; left -= zeros.length)
                out.write(zeros, 0, (int)Math.min(zeros.length, left));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] p : parts)
            bytes.writeBytes(p);
        return bytes.toByteArray();
    }
}
