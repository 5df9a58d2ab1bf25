package io.fabricstitch.examples.api;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The image the demo and the examples blur when given none. */
public final class DemoImage {
    private DemoImage() {
    }

    /** A colourful test image: a gradient with a few shapes, as PNG. */
    public static byte[] png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++)
                img.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x80);
        }
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillOval(width / 4, height / 4, width / 2, height / 2);
            g.setColor(Color.BLACK);
            g.fillRect(width / 3, height / 2 - 4, width / 3, 8);
        }
        finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", png);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
