package io.fabricstitch.function.builtin;

import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a PNG's IHDR chunk says of its image, read from the first 33 bytes without decoding anything: width, height,
 * bit depth and colour type, and so the heap its decoded pixels take.
 * <pre>
 * 89 50 4E 47 0D 0A 1A 0A   signature
 * 00 00 00 0D  "IHDR"       length 13, type: the first chunk
 * width(4) height(4)        big-endian, 1..2^31-1 each
 * depth(1) colour(1)        1, 2, 4, 8 or 16; 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
 * compression filter interlace (1 each), CRC(4)
 * </pre>
 */
public final class PngHeader {
    /** The PNG signature, {@code 89 50 4E 47 0D 0A 1A 0A}. */
    static final byte[] SIGNATURE = {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static final byte[] IHDR = "IHDR".getBytes(StandardCharsets.US_ASCII);

    private static final int LENGTH = SIGNATURE.length + 4 + 4 + 13 + 4;

    private final int width;
    private final int height;
    private final int bitDepth;
    private final int colourType;

    private PngHeader(int width, int height, int bitDepth, int colourType) {
        this.width = width;
        this.height = height;
        this.bitDepth = bitDepth;
        this.colourType = colourType;
    }

    /**
     * The header of {@code input}.
     *
     * @throws InvalidInputException when {@code input} lacks the PNG signature, or its first chunk is not a valid
     *     IHDR
     */
    public static PngHeader read(byte[] input) throws FunctionException {
        if (input.length < SIGNATURE.length
            || !Arrays.equals(input, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length))
            throw new InvalidInputException("input: " + describe(input) + " (expected: a PNG image, starting with the "
                + "PNG signature 89 50 4E 47 0D 0A 1A 0A)");
        if (input.length < LENGTH)
            throw badHeader(input.length + " bytes, too short for its IHDR chunk");
        ByteBuffer b = ByteBuffer.wrap(input);
        if (b.getInt(8) != 13 || !Arrays.equals(input, 12, 16, IHDR, 0, 4))
            throw badHeader("its first chunk is not a 13-byte IHDR");
        int width = b.getInt(16);
        int height = b.getInt(20);
        if (width <= 0 || height <= 0)
            throw badHeader("width " + Integer.toUnsignedString(width) + ", height " + Integer.toUnsignedString(height)
                + " (each must be 1..2147483647)");
        int depth = input[24] & 0xFF;
        int colour = input[25] & 0xFF;
        if (samples(colour) == 0 || !validDepth(colour, depth))
            throw badHeader("bit depth " + depth + " with colour type " + colour);
        return new PngHeader(width, height, depth, colour);
    }

    private static InvalidInputException badHeader(String what) {
        return new InvalidInputException("input: a PNG with an invalid IHDR header: " + what + " (expected: a valid "
            + "PNG image)");
    }

    private static int samples(int colour) {
        switch (colour) {
            case 0: return 1;
            case 2: return 3;
            case 3: return 1;
            case 4: return 2;
            case 6: return 4;
            default: return 0;
        }
    }

    private static boolean validDepth(int colour, int depth) {
        if (colour == 0)
            return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
        if (colour == 3)
            return depth == 1 || depth == 2 || depth == 4 || depth == 8;
        return depth == 8 || depth == 16;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** {@code width * height}. */
    public long pixels() {
        return (long)width * height;
    }

    /**
     * Heap the JDK's PNG reader needs for the decoded image, at most: one byte per sample (two at bit depth 16), an
     * alpha sample counted for grey and RGB too (a {@code tRNS} chunk makes the reader add one), a whole byte per
     * palette index.
     */
    public long decodedBytes() {
        int samples = colourType == 0 || colourType == 4 ? 2 : colourType == 3 ? 1 : 4;
        return pixels() * samples * (bitDepth == 16 ? 2 : 1);
    }

    /** For messages: {@code a 4000x3000 PNG}. */
    @Override
    public String toString() {
        return "a " + width + 'x' + height + " PNG";
    }

    private static String describe(byte[] input) {
        StringBuilder sb = new StringBuilder().append(input.length).append(" bytes");
        if (input.length > 0)
            sb.append(" starting");
        for (int i = 0; i < Math.min(8, input.length); i++)
            sb.append(String.format(" %02X", input[i] & 0xFF));
        return sb.toString();
    }
}
