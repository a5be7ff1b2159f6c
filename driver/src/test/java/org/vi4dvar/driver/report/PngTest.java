package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@link Png} against the JDK's own PNG decoder: every pixel read back equals the one drawn (PNG is lossless),
 * for the report's image type (opaque {@code TYPE_INT_RGB}), an image with translucent pixels (RGBA is written,
 * alpha kept) and a type without an int raster (the {@code getRGB} path); rows of noise make the "Up" filter's
 * byte arithmetic wrap both ways.
 */
class PngTest {

  @Test
  void opaqueFigureRoundTripsPixelForPixel() throws IOException {
    BufferedImage img = new BufferedImage(301, 123, BufferedImage.TYPE_INT_RGB);
    draw(img);
    assertSamePixels(img, decode(Png.encode(img)), false);
  }

  @Test
  void translucentPixelsKeepTheirAlpha() throws IOException {
    BufferedImage img = new BufferedImage(64, 40, BufferedImage.TYPE_INT_ARGB);
    draw(img);
    img.setRGB(3, 5, 0x00123456);   // fully transparent
    img.setRGB(4, 5, 0x80FF0000);   // half-transparent red
    BufferedImage back = decode(Png.encode(img));
    assertEquals(0x80FF0000, back.getRGB(4, 5));
    assertSamePixels(img, back, true);
  }

  @Test
  void imagesWithoutAnIntRasterAreEncodedThroughGetRgb() throws IOException {
    BufferedImage img = new BufferedImage(50, 17, BufferedImage.TYPE_3BYTE_BGR);
    draw(img);
    assertSamePixels(img, decode(Png.encode(img)), false);
  }

  private static void draw(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(new Color(30, 90, 200));
    g.setStroke(new BasicStroke(2.5f));
    g.drawLine(0, img.getHeight() - 1, img.getWidth() - 1, 0);
    g.drawString("x_0", 5, 15);
    g.dispose();
    SplittableRandom r = new SplittableRandom(7);
    for (int x = 0; x < img.getWidth(); x++) {
      img.setRGB(x, img.getHeight() / 2, 0xFF000000 | r.nextInt(1 << 24));   // a row of noise
    }
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img, "the JDK decoder reads the bytes as a PNG");
    return img;
  }

  private static void assertSamePixels(BufferedImage expected, BufferedImage actual, boolean alpha) {
    assertEquals(expected.getWidth(), actual.getWidth());
    assertEquals(expected.getHeight(), actual.getHeight());
    assertEquals(alpha, actual.getColorModel().hasAlpha());
    int w = expected.getWidth();
    for (int y = 0; y < expected.getHeight(); y++) {
      int[] e = expected.getRGB(0, y, w, 1, null, 0, w);
      int[] a = actual.getRGB(0, y, w, 1, null, 0, w);
      assertArrayEquals(e, a, "row " + y);
    }
  }
}
