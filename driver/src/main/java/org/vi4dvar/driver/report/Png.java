package org.vi4dvar.driver.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A PNG encoder for the report's figures: 8-bit truecolour (RGB, or RGBA when the image has alpha), every row
 * with the "Up" filter, zlib at {@link Deflater#BEST_SPEED}. Why not {@code ImageIO}: its writer tries the five
 * PNG filters on every row and copies the raster through {@code getData}; on the talk's 14 figures it takes
 * 2.5× the time of this encoder (260 against 106 ms, one thread) for files of the same size (1520 KB against
 * 1497 KB; BENCHMARKS.md, "Issue 11: the talk end to end"), and the report is on the critical path of every run.
 * The format (ISO/IEC 15948, the PNG specification): signature,
 * IHDR, one IDAT, IEND, each chunk {@code length, type, data, CRC-32(type + data)}; a row is the filter byte
 * then the bytes of the row minus those of the row above (the first row against zeros).
 */
final class Png {

  private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};
  private static final int FILTER_UP = 2;

  private Png() {}

  /** The PNG bytes of {@code image}. */
  static byte[] encode(BufferedImage image) {
    final int w = image.getWidth();
    final int h = image.getHeight();
    final boolean alpha = image.getColorModel().hasAlpha();
    final int channels = alpha ? 4 : 3;
    // the pixels straight from an int raster that is exactly the image (not a sub-image), else through getRGB
    final boolean intRaster = (image.getType() == BufferedImage.TYPE_INT_RGB
        || image.getType() == BufferedImage.TYPE_INT_ARGB)
        && image.getRaster().getDataBuffer().getSize() == w * h;
    final int[] direct = intRaster ? ((DataBufferInt) image.getRaster().getDataBuffer()).getData() : null;
    int[] argb = new int[w];
    byte[] line = new byte[channels * w];
    byte[] above = new byte[channels * w];
    byte[] filtered = new byte[1 + channels * w];
    filtered[0] = FILTER_UP;
    ByteArrayOutputStream idat = new ByteArrayOutputStream(1 << 16);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
      for (int y = 0; y < h; y++) {
        if (direct != null) {
          System.arraycopy(direct, y * w, argb, 0, w);
        } else {
          image.getRGB(0, y, w, 1, argb, 0, w);
        }
        for (int x = 0, k = 0; x < w; x++) {
          final int p = argb[x];
          line[k++] = (byte) (p >>> 16);
          line[k++] = (byte) (p >>> 8);
          line[k++] = (byte) p;
          if (alpha) {
            line[k++] = (byte) (p >>> 24);
          }
        }
        for (int k = 0; k < line.length; k++) {
          filtered[1 + k] = (byte) (line[k] - above[k]);
        }
        z.write(filtered);
        byte[] t = above;
        above = line;
        line = t;
      }
    } catch (IOException e) {
      throw new IllegalStateException("in-memory PNG encoding failed", e);   // a ByteArrayOutputStream cannot fail
    } finally {
      deflater.end();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
    out.writeBytes(SIGNATURE);
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream(13);
    DataOutputStream d = new DataOutputStream(ihdr);
    try {
      d.writeInt(w);
      d.writeInt(h);
      d.writeByte(8);                    // bit depth
      d.writeByte(alpha ? 6 : 2);        // colour type: truecolour with alpha | truecolour
      d.writeByte(0);                    // compression: deflate
      d.writeByte(0);                    // filter method 0 (adaptive, per-row filter byte)
      d.writeByte(0);                    // no interlace
      chunk(out, "IHDR", ihdr.toByteArray());
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory PNG encoding failed", e);
    }
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    d.write(t);
    d.write(data);
    d.writeInt((int) crc.getValue());
  }
}
