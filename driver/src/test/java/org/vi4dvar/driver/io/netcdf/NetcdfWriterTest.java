package org.vi4dvar.driver.io.netcdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.testing.Python;

/**
 * The NetCDF-3 (64-bit offset) writer, read back by Python: scipy.io.netcdf_file (and xarray.open_dataset where
 * installed) must see every dimension, attribute, value and string exactly as written (values compared as raw
 * bits: NaN, -0.0, infinities, subnormals and extreme ints included); a file over 2 GiB streamed from an iterator
 * reads back; misuse throws IllegalArgumentException naming the variable, before writing anything of the call.
 */
class NetcdfWriterTest {

  @TempDir
  Path tmp;

  static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.5, Math.PI, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1e-300, 0.1, -7.25e200};
  static final float[] SPECIAL_F = {0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE,
      Float.MAX_VALUE, 0.1f, -3.5f, 1e-40f, 123456.79f, -0.33333334f};
  static final List<String> METHODS = List.of("map", "abc", "ensemble", "vi-σ");

  /** A schema with every feature: dimensions, typed global and variable attributes, all types, strings. */
  static NcSchema everyFeature() {
    NcSchema s = new NcSchema().conventions();
    s.attribute("title", "every feature: UTF-8 σ² ✓, quotes \" and newlines\nsecond line");
    s.attribute("ints", 1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE);
    s.attribute("floats", SPECIAL_F);
    s.attribute("doubles", SPECIAL);
    s.attribute("empty", "");
    s.attribute("odd", "abcde"); // 5 bytes: 3 bytes of header padding
    s.dimension("method", METHODS.size());
    s.stringDimension("method_strlen", METHODS);
    s.dimension("time", 5);
    s.dimension("x", 7);
    s.dimension("x2", 7);
    s.stringVariable("method", "method_strlen", "method").longName("estimator");
    s.coordinate("time", NcType.INT).units("1").longName("model step").axis("T");
    s.coordinate("x", NcType.DOUBLE).units("1").longName("grid point");
    s.variable("value", NcType.DOUBLE, "method", "time", "x").units("1").longName("values").fillValue(Double.NaN)
        .coordinates("method");
    s.variable("f32", NcType.FLOAT, "time", "x").fillValue(-1f).attribute("valid_range", -10f, 10f);
    s.variable("counts", NcType.INT, "method").fillValue(-1).attribute("flags", 1, 2, 3);
    s.variable("scalar", NcType.DOUBLE).attribute("note", "a scalar");
    s.variable("label", NcType.CHAR, "time"); // 5 bytes of data: 3 bytes of padding before the next variable
    s.variable("after", NcType.INT, "x");
    s.variable("cov", NcType.DOUBLE, "x", "x2").standardName("not_a_real_cf_name_but_stored").attribute("pi",
        Math.PI);
    return s;
  }

  static double[] values() {
    double[] v = new double[METHODS.size() * 5 * 7];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < SPECIAL.length ? SPECIAL[i] : Math.sin(i) * Math.pow(10, i % 17 - 8);
    }
    return v;
  }

  static float[] floats() {
    float[] f = new float[35];
    for (int i = 0; i < f.length; i++) {
      f[i] = i < SPECIAL_F.length ? SPECIAL_F[i] : (float) Math.cos(i);
    }
    return f;
  }

  @Test
  void everyFeatureReadsBackExactlyInScipyAndXarray() throws Exception {
    Python.require();
    NcSchema s = everyFeature();
    Path f = tmp.resolve("every.nc");
    double[] value = values();
    float[] f32 = floats();
    int fillFrom = 30; // f32[30..35) written as fill
    double[] cov = new double[49];
    for (int i = 0; i < cov.length; i++) {
      cov[i] = 1.0 / (1 + i);
    }
    try (NetcdfWriter w = NetcdfWriter.create(f, s)) {
      w.writeStrings("method", METHODS);
      w.write("time", new int[] {0, 1, 2, 3, 4});
      w.write("x", new double[] {0, 1, 2, 3, 4, 5, 6});
      w.fillRest("x"); // complete already: nothing (a window without forecast states fills its observations)
      for (int i = 0; i < value.length; i += 9) { // uneven chunks
        w.write("value", value, i, Math.min(value.length, i + 9));
      }
      w.write("f32", f32, 0, fillFrom);
      w.fillRest("f32");
      w.write("counts", new int[] {Integer.MIN_VALUE, -1});
      w.fill("counts", 1);
      w.write("counts", new int[] {Integer.MAX_VALUE});
      w.write("scalar", new double[] {-0.0});
      w.write("label", "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      w.write("after", new int[] {7, 6, 5, 4, 3, 2, 1});
      w.writeChunks("cov", List.of(java.util.Arrays.copyOf(cov, 20), java.util.Arrays.copyOfRange(cov, 20, 49))
          .iterator());
      assertTrue(w.complete());
    }
    assertEquals(s.fileBytes(), Files.size(f), "file size as the schema computes it");
    for (int i = fillFrom; i < 35; i++) {
      f32[i] = -1f;
    }

    JsonNode dump = Python.json(Python.script("/netcdf/ncdump.py", tmp), f.toString());
    JsonNode sc = dump.get("scipy");
    assertEquals(2, sc.get("version_byte").asInt(), "64-bit offset format");
    assertEquals("{\"method\":4,\"method_strlen\":8,\"time\":5,\"x\":7,\"x2\":7}", sc.get("dimensions").toString(),
        "the string dimension is the longest name: 'ensemble'");
    JsonNode ga = sc.get("attributes");
    assertEquals("CF-1.8", ga.get("Conventions").get("text").asText());
    assertEquals(s.attributes().get("title").text(), ga.get("title").get("text").asText());
    assertEquals("abcde", ga.get("odd").get("text").asText());
    assertEquals("", ga.get("empty").get("text").asText());
    assertBits(new long[] {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE}, ga.get("ints"), "ints");
    assertBits(floatBits(SPECIAL_F), ga.get("floats"), "floats");
    assertBits(doubleBits(SPECIAL), ga.get("doubles"), "doubles");

    JsonNode v = sc.get("variables");
    assertEquals(List.of("method", "time", "x", "value", "f32", "counts", "scalar", "label", "after", "cov"),
        names(v));
    assertEquals(METHODS, strings(v.get("method").get("strings")));
    assertEquals("[\"method\",\"method_strlen\"]", v.get("method").get("dimensions").toString());
    assertBits(new long[] {0, 1, 2, 3, 4}, v.get("time"), "time");
    assertEquals("model step", v.get("time").get("attributes").get("long_name").get("text").asText());
    assertBits(doubleBits(new double[] {0, 1, 2, 3, 4, 5, 6}), v.get("x"), "x");
    assertBits(doubleBits(value), v.get("value"), "value");
    assertEquals("[4,5,7]", v.get("value").get("shape").toString());
    assertBits(doubleBits(new double[] {Double.NaN}), v.get("value").get("attributes").get("_FillValue"),
        "_FillValue");
    assertEquals(sha256(value), v.get("value").get("sha256").asText());
    assertBits(floatBits(f32), v.get("f32"), "f32");
    assertBits(floatBits(new float[] {-10f, 10f}), v.get("f32").get("attributes").get("valid_range"), "range");
    assertBits(new long[] {Integer.MIN_VALUE, -1, -1, Integer.MAX_VALUE}, v.get("counts"), "counts");
    assertBits(new long[] {1, 2, 3}, v.get("counts").get("attributes").get("flags"), "flags");
    assertBits(doubleBits(new double[] {-0.0}), v.get("scalar"), "scalar");
    assertEquals("[]", v.get("scalar").get("shape").toString());
    assertEquals(List.of("hello"), strings(v.get("label").get("strings")));
    assertBits(new long[] {7, 6, 5, 4, 3, 2, 1}, v.get("after"), "after (aligned after 5 chars)");
    assertBits(doubleBits(cov), v.get("cov"), "cov");
    assertBits(doubleBits(new double[] {Math.PI}), v.get("cov").get("attributes").get("pi"), "pi");

    JsonNode xr = dump.get("xarray");
    if (xr == null || xr.isNull()) {
      System.err.println("NetcdfWriterTest: xarray is not installed for " + Python.interpreter()
          + ": checked with scipy only");
      return;
    }
    JsonNode xv = xr.get("variables");
    assertEquals(METHODS, strings(xv.get("method").get("strings")), "xarray decodes the char array to strings");
    assertTrue(List.of("U", "str").contains(xv.get("method").get("kind").asText()), "str, not bytes: "
        + xv.get("method"));
    assertEquals("[\"method\"]", xv.get("method").get("dims").toString());
    assertEquals("[\"method\",\"time\",\"x\"]", xv.get("value").get("dims").toString());
    assertBits(doubleBits(value), xv.get("value"), "xarray value");
    float[] masked = f32.clone();
    double[] maskedD = new double[masked.length];
    for (int i = 0; i < masked.length; i++) {
      maskedD[i] = masked[i] == -1f ? Double.NaN : masked[i];
    }
    assertBits(doubleBits(maskedD), xv.get("f32"), "xarray masks _FillValue");
    assertEquals("CF-1.8", xr.get("attrs").get("Conventions").asText());
    assertTrue(xr.get("coords").toString().contains("\"time\""), xr.get("coords").toString());
  }

  /**
   * A file over 2 GiB, streamed chunk by chunk from an iterator through {@link NetcdfWriter#open(java.io.OutputStream,
   * NcSchema)}; the second variable begins beyond 2^31, so its offset needs the 64-bit format. The big variable is
   * zero except every 2^20-th value (i / 4), and the test's stream leaves runs of zero bytes as holes (a sparse
   * file): the test writes ~20 MB instead of 2 GiB, and Python reads what is there exactly.
   */
  @Test
  void aFileOverTwoGibibytesStreamedFromAnIteratorReadsBack() throws Exception {
    Python.require();
    final long n = (1L << 28) + 4096; // 2 GiB + 32 KiB of doubles
    final long every = 1L << 20;
    NcSchema s = new NcSchema().conventions();
    s.dimension("sample", n).dimension("k", 1000);
    s.variable("big", NcType.DOUBLE, "sample").longName("i / 4 where i % 2^20 == 0, else 0");
    s.variable("tail", NcType.INT, "k").longName("begins beyond 2^31");
    Path f = tmp.resolve("big.nc");
    long t0 = System.nanoTime();
    try (NetcdfWriter w = NetcdfWriter.open(new SparseFileStream(f), s)) {
      w.writeChunks("big", new Iterator<double[]>() {
        long next = 0;
        final double[] chunk = new double[1 << 16];

        @Override
        public boolean hasNext() {
          return next < n;
        }

        @Override
        public double[] next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int m = (int) Math.min(chunk.length, n - next);
          double[] c = m == chunk.length ? chunk : new double[m]; // the chunk array is reused: streamed
          for (int i = 0; i < m; i++) {
            long k = next + i;
            c[i] = k % every == 0 || k == n - 1 ? k * 0.25 : 0.0;
          }
          next += m;
          return c;
        }
      });
      int[] tail = new int[1000];
      for (int i = 0; i < tail.length; i++) {
        tail[i] = i * i - 500;
      }
      w.write("tail", tail);
    }
    System.err.printf("NetcdfWriterTest: streamed %.2f GB in %.1f s%n", Files.size(f) / 1e9,
        (System.nanoTime() - t0) * 1e-9);
    assertEquals(s.fileBytes(), Files.size(f));
    assertTrue(Files.size(f) > (1L << 31));
    Path py = tmp.resolve("big.py");
    Files.writeString(py, String.join("\n",
        "import sys, numpy as np",
        "from scipy.io import netcdf_file",
        "with netcdf_file(sys.argv[1], 'r', mmap=True) as f:",
        "    assert f.version_byte == 2",
        "    big = f.variables['big'].data",
        "    n = big.shape[0]",
        "    assert n == " + n + ", n",
        "    every = " + every,
        "    idx = np.unique(np.concatenate([np.random.default_rng(1).integers(0, n, 10000), [0, 1, n - 2, n - 1],",
        "                                    np.arange(0, n, every)]))",
        "    expected = np.where((idx % every == 0) | (idx == n - 1), idx * 0.25, 0.0)",
        "    assert np.array_equal(big[idx], expected), 'sampled values'",
        "    last = np.arange(n - 1000000, n)",
        "    expected = np.where((last % every == 0) | (last == n - 1), last * 0.25, 0.0)",
        "    assert np.array_equal(big[n - 1000000:], expected), 'the last 10^6 values'",
        "    k = np.arange(1000)",
        "    assert np.array_equal(f.variables['tail'].data, k * k - 500), 'tail'",
        "    del big",
        "print('ok')", ""));
    assertEquals("ok", Python.run(py, f.toString()).trim());
  }

  /** An output stream to a file that seeks over writes made only of zero bytes (leaving holes). */
  static final class SparseFileStream extends java.io.OutputStream {
    private final java.io.RandomAccessFile raf;
    private long pos;

    SparseFileStream(Path f) throws IOException {
      raf = new java.io.RandomAccessFile(f.toFile(), "rw");
      raf.setLength(0);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      boolean zero = true;
      for (int i = off; i < off + len && zero; i++) {
        zero = b[i] == 0;
      }
      if (!zero) {
        raf.seek(pos);
        raf.write(b, off, len);
      }
      pos += len;
    }

    @Override
    public void close() throws IOException {
      raf.setLength(pos);
      raf.close();
    }
  }

  @Test
  void badInputThrowsIllegalArgumentNamingTheVariable() throws Exception {
    NcSchema s = new NcSchema();
    s.dimension("t", 3).dimension("x", 2);
    assertMessage(() -> s.dimension("t", 4), "dimension 't'");
    assertMessage(() -> s.dimension("z", 0), "dimension 'z'");
    assertMessage(() -> s.dimension("1z", 2), "'1z'");
    assertMessage(() -> s.variable("v", NcType.DOUBLE, "t", "y"), "variable 'v': unknown dimension 'y'");
    assertMessage(() -> s.variable("c", NcType.DOUBLE, "x", "x"), "variable 'c' uses dimension 'x' twice");
    NcSchema other = new NcSchema().dimension("t", 3);
    assertMessage(() -> other.variable("i", NcType.INT, "t").fillValue(1.5), "_FillValue");
    assertMessage(() -> other.variable("f", NcType.FLOAT, "t").fillValue(0.1), "_FillValue");
    assertMessage(() -> other.variable("d", NcType.DOUBLE, "t").attribute(NcAttribute.ints("_FillValue", 1)),
        "variable 'd': _FillValue must be of the variable's type (double)");
    s.variable("a", NcType.DOUBLE, "t", "x");
    assertMessage(() -> s.variable("a", NcType.DOUBLE, "t"), "variable 'a' is defined twice");
    s.variable("b", NcType.INT, "t");
    s.stringVariable("names", "x", "t");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    NetcdfWriter w = NetcdfWriter.open(bytes, s);
    assertThrows(IllegalStateException.class, () -> s.dimension("late", 1), "frozen");
    long header = w.position();
    assertMessage(() -> w.write("b", new int[] {1}), "variable 'b' written before 'a' is complete (0 of 6");
    assertMessage(() -> w.write("a", new int[] {1}), "variable 'a' is double, got int");
    assertMessage(() -> w.write("nope", new double[] {1}), "unknown variable 'nope'");
    w.write("a", new double[] {1, 2, 3, 4});
    assertMessage(() -> w.write("a", new double[] {5, 6, 7}), "variable 'a': too many values (4 written, 3 more");
    assertEquals(header + 32, w.position(), "nothing of a refused call is written");
    w.write("a", new double[] {5, 6});
    assertMessage(() -> w.write("a", new double[] {1}), "variable 'a' is already complete");
    w.write("b", new int[] {1, 2, 3});
    assertMessage(() -> w.writeStrings("names", List.of("ok", "too long")), "variable 'names': string 'too long'");
    assertMessage(() -> w.writeStrings("b", List.of("x")), "variable 'b' is not a string");
    w.writeStrings("names", List.of("ab"));
    IllegalStateException e = assertThrows(IllegalStateException.class, w::close);
    assertTrue(e.getMessage().contains("variable 'names' is incomplete: 2 of 6"), e.getMessage());

    NcSchema big = new NcSchema().dimension("n", 1 << 30);
    big.variable("first", NcType.DOUBLE, "n");
    big.variable("second", NcType.INT, "n");
    assertMessage(() -> NetcdfWriter.open(new ByteArrayOutputStream(), big), "variable 'first' takes");
  }

  @Test
  void theHeaderFollowsTheSpecificationByteForByte() throws Exception {
    NcSchema s = new NcSchema();
    s.attribute("a", "xy");
    s.dimension("d", 3);
    s.variable("v", NcType.INT, "d").attribute("u", 7);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (NetcdfWriter w = NetcdfWriter.open(b, s)) {
      w.write("v", new int[] {1, 2, 3});
    }
    ByteBuffer e = ByteBuffer.allocate(200);
    e.put(new byte[] {'C', 'D', 'F', 2}).putInt(0); // magic, numrecs
    e.putInt(0x0A).putInt(1).putInt(1).put(new byte[] {'d', 0, 0, 0}).putInt(3); // dim_list
    e.putInt(0x0C).putInt(1).putInt(1).put(new byte[] {'a', 0, 0, 0}).putInt(2).putInt(2)
        .put(new byte[] {'x', 'y', 0, 0}); // gatt_list: NC_CHAR, 2 values
    e.putInt(0x0B).putInt(1).putInt(1).put(new byte[] {'v', 0, 0, 0}).putInt(1).putInt(0); // var, 1 dim: id 0
    e.putInt(0x0C).putInt(1).putInt(1).put(new byte[] {'u', 0, 0, 0}).putInt(4).putInt(1).putInt(7); // vatt
    e.putInt(4).putInt(12); // NC_INT, vsize
    int beginAt = e.position();
    e.putLong(0); // begin, patched below
    int headerEnd = e.position();
    e.putLong(beginAt, headerEnd);
    e.putInt(1).putInt(2).putInt(3);
    byte[] expected = java.util.Arrays.copyOf(e.array(), e.position());
    assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(b.toByteArray()));
    assertEquals(headerEnd, s.headerBytes());
  }

  // ------------------------------------------------------------------------------------------------------

  static void assertMessage(org.junit.jupiter.api.function.Executable x, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, x);
    assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
  }

  static void assertBits(long[] expected, JsonNode node, String what) {
    JsonNode bits = node.get("bits");
    assertEquals(expected.length, bits.size(), what + ": count");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], bits.get(i).asLong(), what + "[" + i + "]");
    }
  }

  static long[] doubleBits(double[] v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Double.doubleToRawLongBits(v[i]);
    }
    return b;
  }

  static long[] floatBits(float[] v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  static String sha256(double[] v) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    for (double d : v) {
      b.putDouble(d);
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }

  static List<String> names(JsonNode obj) {
    List<String> n = new ArrayList<>();
    obj.fieldNames().forEachRemaining(n::add);
    return n;
  }

  static List<String> strings(JsonNode arr) {
    List<String> n = new ArrayList<>();
    arr.forEach(x -> n.add(x.asText()));
    return n;
  }
}
