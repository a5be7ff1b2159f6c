package org.vi4dvar.driver.io.netcdf;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;

/**
 * Writes a NetCDF classic file in the <b>64-bit offset</b> variant (CDF-2, {@code CDF\x02}), so that files over
 * 2 GiB work, following Unidata's "NetCDF Classic Format Specification": the header (from the {@link NcSchema},
 * written when the writer is created), then the data of every variable, in definition order, each padded to a
 * multiple of 4 bytes, big-endian.
 *
 * <p><b>Streamed</b>: the data of a variable is appended in chunks of any size ({@link #write(String, double[])},
 * {@link #writeChunks}, {@link #fill}), in row-major (C) order, so a variable never needs to be in memory whole;
 * only a 64 KiB buffer is. The stream is written sequentially, never sought, so any {@link OutputStream} works
 * (a local file, a Hadoop file system's stream).
 *
 * <p>Misuse throws {@link IllegalArgumentException} naming the variable, before anything of the offending call is
 * written: an unknown variable, values of the wrong type, more values than its shape holds, writing a variable
 * before the previous ones are complete or after it was complete, a string longer than the string dimension.
 * {@link #close()} with a variable incomplete throws {@link IllegalStateException} naming it (the file is then
 * truncated: the caller's all-or-nothing output directory must drop it).
 *
 * <p>Not supported (vi4dvar does not need them): the unlimited record dimension, byte and short variables,
 * CDF-1 (32-bit offsets) and CDF-5.
 *
 * <pre>{@code
 * NcSchema s = new NcSchema().conventions();
 * s.dimension("time", 16);
 * s.coordinate("time", NcType.INT).units("1").longName("model step");
 * s.variable("mean", NcType.DOUBLE, "time").units("1").fillValue(Double.NaN);
 * try (NetcdfWriter w = NetcdfWriter.create(path, s)) {
 *   w.write("time", steps);
 *   w.writeChunks("mean", chunks); // an Iterator<double[]>
 * }
 * }</pre>
 */
public final class NetcdfWriter implements Closeable {

  private static final int BUFFER = 1 << 16;

  private final NcSchema schema;
  private final List<NcVariable> vars;
  private final long[] begins;
  private final WritableByteChannel out;
  private final ByteBuffer buf = ByteBuffer.allocate(BUFFER); // big-endian
  private long position;
  private int current;
  private long written; // values of vars[current] written
  private boolean closed;

  private NetcdfWriter(NcSchema schema, WritableByteChannel out) throws IOException {
    this.begins = schema.begins(); // checks the size limits first
    schema.freeze();
    this.schema = schema;
    this.vars = schema.variables();
    this.out = out;
    ByteBuffer h = schema.header();
    position = h.remaining();
    while (h.hasRemaining()) {
      out.write(h);
    }
    current = 0;
    if (!vars.isEmpty() && position != begins[0]) {
      throw new IllegalStateException("header ends at " + position + ", first variable begins at " + begins[0]);
    }
  }

  /** Creates (or truncates) {@code file} and writes the header. */
  public static NetcdfWriter create(Path file, NcSchema schema) throws IOException {
    WritableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    try {
      return new NetcdfWriter(schema, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Writes the header to {@code out}; {@link #close()} closes it. */
  public static NetcdfWriter open(OutputStream out, NcSchema schema) throws IOException {
    return new NetcdfWriter(schema, Channels.newChannel(out));
  }

  /** The schema (frozen). */
  public NcSchema schema() {
    return schema;
  }

  /** Bytes written so far. */
  public long position() {
    return position;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Data

  /** Appends {@code values} to double variable {@code var}. */
  public NetcdfWriter write(String var, double[] values) throws IOException {
    return write(var, values, 0, values.length);
  }

  /** Appends {@code values[from, to)} to double variable {@code var}. */
  public NetcdfWriter write(String var, double[] values, int from, int to) throws IOException {
    checkRange(var, values.length, from, to);
    begin(var, NcType.DOUBLE, to - from);
    for (int i = from; i < to;) {
      room(8);
      int n = Math.min(buf.remaining() / 8, to - i);
      buf.asDoubleBuffer().put(values, i, n);
      buf.position(buf.position() + 8 * n);
      i += n;
    }
    return advance(to - from);
  }

  /** Appends {@code values} to float variable {@code var}. */
  public NetcdfWriter write(String var, float[] values) throws IOException {
    return write(var, values, 0, values.length);
  }

  /** Appends {@code values[from, to)} to float variable {@code var}. */
  public NetcdfWriter write(String var, float[] values, int from, int to) throws IOException {
    checkRange(var, values.length, from, to);
    begin(var, NcType.FLOAT, to - from);
    for (int i = from; i < to;) {
      room(4);
      int n = Math.min(buf.remaining() / 4, to - i);
      buf.asFloatBuffer().put(values, i, n);
      buf.position(buf.position() + 4 * n);
      i += n;
    }
    return advance(to - from);
  }

  /** Appends {@code values} to int variable {@code var}. */
  public NetcdfWriter write(String var, int[] values) throws IOException {
    return write(var, values, 0, values.length);
  }

  /** Appends {@code values[from, to)} to int variable {@code var}. */
  public NetcdfWriter write(String var, int[] values, int from, int to) throws IOException {
    checkRange(var, values.length, from, to);
    begin(var, NcType.INT, to - from);
    for (int i = from; i < to;) {
      room(4);
      int n = Math.min(buf.remaining() / 4, to - i);
      buf.asIntBuffer().put(values, i, n);
      buf.position(buf.position() + 4 * n);
      i += n;
    }
    return advance(to - from);
  }

  /** Appends raw bytes to char variable {@code var}. */
  public NetcdfWriter write(String var, byte[] chars) throws IOException {
    begin(var, NcType.CHAR, chars.length);
    for (byte c : chars) {
      room(1);
      buf.put(c);
    }
    return advance(chars.length);
  }

  /**
   * Appends every chunk of {@code chunks} to double variable {@code var} (the streaming form: chunks of any size,
   * consumed one at a time). A chunk that would overflow the variable throws before any of it is written.
   */
  public NetcdfWriter writeChunks(String var, Iterator<double[]> chunks) throws IOException {
    while (chunks.hasNext()) {
      write(var, chunks.next());
    }
    return this;
  }

  /**
   * Appends strings to a char variable whose last dimension is the string length: each string fills one row,
   * UTF-8, padded with NUL bytes.
   */
  public NetcdfWriter writeStrings(String var, List<String> strings) throws IOException {
    NcVariable v = variable(var);
    if (v.type() != NcType.CHAR || v.dimensions().isEmpty()) {
      throw new IllegalArgumentException("variable '" + var + "' is not a string (char) variable with a "
          + "string-length dimension");
    }
    long[] shape = v.shape();
    int strlen = (int) shape[shape.length - 1];
    byte[] row = new byte[strlen];
    byte[][] rows = new byte[strings.size()][];
    for (int i = 0; i < rows.length; i++) {
      byte[] u = strings.get(i).getBytes(StandardCharsets.UTF_8);
      if (u.length > strlen) {
        throw new IllegalArgumentException("variable '" + var + "': string '" + strings.get(i) + "' takes "
            + u.length + " bytes, more than its string dimension '" + v.dimensions().get(shape.length - 1)
            + "' (" + strlen + ")");
      }
      rows[i] = u;
    }
    begin(var, NcType.CHAR, (long) strlen * rows.length);
    for (byte[] u : rows) {
      java.util.Arrays.fill(row, (byte) 0);
      System.arraycopy(u, 0, row, 0, u.length);
      for (byte c : row) {
        room(1);
        buf.put(c);
      }
    }
    return advance((long) strlen * rows.length);
  }

  /** Writes {@code count} fill values into {@code var} (its {@code _FillValue}, else netCDF-C's default fill). */
  public NetcdfWriter fill(String var, long count) throws IOException {
    NcVariable v = variable(var);
    if (count < 0) {
      throw new IllegalArgumentException("variable '" + var + "': cannot fill " + count + " values");
    }
    begin(var, v.type(), count);
    NcAttribute f = v.fillAttribute();
    long bits;
    switch (v.type()) {
      case DOUBLE:
        bits = Double.doubleToRawLongBits(f != null ? f.numbers()[0] : NcType.FILL_DOUBLE);
        break;
      case FLOAT:
        bits = Float.floatToRawIntBits(f != null ? (float) f.numbers()[0] : NcType.FILL_FLOAT);
        break;
      case INT:
        bits = f != null ? (int) f.numbers()[0] : NcType.FILL_INT;
        break;
      default:
        bits = f != null && f.length() > 0 ? f.text().getBytes(StandardCharsets.UTF_8)[0] : 0;
    }
    int size = v.type().size();
    for (long i = 0; i < count; i++) {
      room(size);
      switch (size) {
        case 8:
          buf.putLong(bits);
          break;
        case 4:
          buf.putInt((int) bits);
          break;
        default:
          buf.put((byte) bits);
      }
    }
    return advance(count);
  }

  /**
   * Fills the rest of {@code var} (see {@link #fill(String, long)}); nothing when it is complete already (e.g. the
   * observations of a window without forecast states fill their variable).
   */
  public NetcdfWriter fillRest(String var) throws IOException {
    long left = remaining(var);
    return left == 0 && index(var) < current ? this : fill(var, left);
  }

  /** How many values of {@code var} are still to be written. */
  public long remaining(String var) {
    int i = index(var);
    return i < current ? 0 : i > current ? vars.get(i).size() : vars.get(i).size() - written;
  }

  /** Whether every variable is completely written. */
  public boolean complete() {
    return current >= vars.size();
  }

  /**
   * Flushes and closes the output.
   *
   * @throws IllegalStateException if a variable is incomplete (the output is closed all the same)
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (complete()) {
        flush();
      }
    } finally {
      out.close();
    }
    if (!complete()) {
      NcVariable v = vars.get(current);
      throw new IllegalStateException("variable '" + v.name() + "' is incomplete: " + written + " of " + v.size()
          + " values written (the file is truncated)");
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  private NcVariable variable(String var) {
    return vars.get(index(var));
  }

  private int index(String var) {
    for (int i = 0; i < vars.size(); i++) {
      if (vars.get(i).name().equals(var)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown variable '" + var + "'");
  }

  private static void checkRange(String var, int length, int from, int to) {
    if (from < 0 || to > length || from > to) {
      throw new IllegalArgumentException("variable '" + var + "': range [" + from + ", " + to + ") outside an "
          + "array of " + length);
    }
  }

  /** Checks that {@code count} values of {@code type} may be appended to {@code var} now. */
  private void begin(String var, NcType type, long count) {
    if (closed) {
      throw new IllegalStateException("the writer is closed");
    }
    int i = index(var);
    NcVariable v = vars.get(i);
    if (v.type() != type) {
      throw new IllegalArgumentException("variable '" + var + "' is " + v.type().cdl() + ", got " + type.cdl()
          + " values");
    }
    if (i < current) {
      throw new IllegalArgumentException("variable '" + var + "' is already complete (" + v.size() + " values); "
          + "variables are written once, in definition order");
    }
    if (i > current) {
      NcVariable c = vars.get(current);
      throw new IllegalArgumentException("variable '" + var + "' written before '" + c.name() + "' is complete ("
          + written + " of " + c.size() + " values): variables are written in definition order");
    }
    if (count > v.size() - written) {
      throw new IllegalArgumentException("variable '" + var + "': too many values (" + written + " written, "
          + count + " more, shape " + java.util.Arrays.toString(v.shape()) + " holds " + v.size() + ")");
    }
  }

  private NetcdfWriter advance(long count) throws IOException {
    written += count;
    position += count * vars.get(current).type().size();
    NcVariable v = vars.get(current);
    if (written == v.size()) {
      long bytes = v.dataBytes();
      for (long p = bytes; p < NcAttribute.pad4(bytes); p++) {
        room(1);
        buf.put((byte) 0); // padding; char's fill is NUL, and only char data can need padding
        position++;
      }
      current++;
      written = 0;
      if (current < vars.size() && position != begins[current]) {
        throw new IllegalStateException("variable '" + vars.get(current).name() + "' begins at " + begins[current]
            + " but the data is at " + position);
      }
    }
    return this;
  }

  private void room(int bytes) throws IOException {
    if (buf.remaining() < bytes) {
      flush();
    }
  }

  private void flush() throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    buf.clear();
  }
}
