package io.fabricstitch.examples;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/** One short phrase saying what a built-in function returned, for the launcher's output. */
final class OutputSummary {
    private OutputSummary() {
    }

    /** E.g. {@code sha256 3a7bd3e2...}, {@code PNG 320x200, 41230 bytes}, {@code C 64x64 float32, 16392 bytes}. */
    static String of(String function, long inputLength, byte[] output) {
        switch (function) {
            case "sha256":
                return output.length == 32 ? "sha256 " + HexFormat.of().formatHex(output, 0, 4) + "..."
                    : bytes(output);
            case "deflate":
                return "zlib " + output.length + " bytes from " + inputLength;
            case "image.gaussian-blur":
                return png(output);
            case "matmul.f32":
                return matrix(output);
            default:
                return bytes(output);
        }
    }

    private static String png(byte[] output) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(output));
            if (img != null)
                return "PNG " + img.getWidth() + 'x' + img.getHeight() + ", " + output.length + " bytes";
        }
        catch (IOException e) {
            // Not a readable image: say how long it is.
        }
        return bytes(output);
    }

    private static String matrix(byte[] output) {
        if (output.length < 8)
            return bytes(output);
        ByteBuffer b = ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN);
        return "C " + b.getInt() + 'x' + b.getInt() + " float32, " + output.length + " bytes";
    }

    private static String bytes(byte[] output) {
        return output.length + " bytes";
    }
}
