package org.vi4dvar.driver.io.netcdf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a NetCDF file holds, defined before any data is written: dimensions (fixed lengths), global attributes and
 * variables (type, shape by dimension names, attributes). Since every size is known here, the header and the
 * offset of every variable follow from the schema alone ({@link #headerBytes()}, {@link #fileBytes()}), and
 * {@link NetcdfWriter} can stream the data of each variable in chunks.
 *
 * <p>There is no unlimited (record) dimension: vi4dvar knows every size up front, and fixed-size variables are
 * laid out one after the other, which is what makes chunked, sequential writing possible.
 *
 * <p>Names: a letter or underscore, then letters, digits, {@code _ . + - @} (a safe subset of the classic
 * format's names). Bad definitions (duplicate or invalid names, unknown dimensions, a dimension used twice in one
 * variable, non-positive lengths) throw {@link IllegalArgumentException} naming the culprit.
 */
public final class NcSchema {

  /** The largest {@code vsize} a variable may have unless it is the last one (2^32 − 4 bytes, CDF-2). */
  static final long MAX_VSIZE = 0xFFFF_FFFCL;

  /** {@code NC_DIMENSION}, {@code NC_VARIABLE}, {@code NC_ATTRIBUTE} tags of the header lists. */
  static final int NC_DIMENSION = 0x0A;
  static final int NC_VARIABLE = 0x0B;
  static final int NC_ATTRIBUTE = 0x0C;

  /** The CF version of {@link #conventions()}. */
  public static final String CF_CONVENTIONS = "CF-1.8";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.+@-]*");

  private final Map<String, Long> dims = new LinkedHashMap<>();
  private final Map<String, NcAttribute> globals = new LinkedHashMap<>();
  private final Map<String, NcVariable> vars = new LinkedHashMap<>();
  private boolean frozen;

  /** An empty schema. */
  public NcSchema() {
  }

  static String checkName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' is not a valid NetCDF name (a letter or _, "
          + "then letters, digits, _ . + - @)");
    }
    return name;
  }

  void checkMutable() {
    if (frozen) {
      throw new IllegalStateException("the schema is in use by a writer and can no longer change");
    }
  }

  void freeze() {
    frozen = true;
  }

  /**
   * Defines a dimension.
   *
   * @param name its name
   * @param length its length, at least 1 (length 0 means "unlimited" in the format, which this writer does not do)
   */
  public NcSchema dimension(String name, long length) {
    checkMutable();
    checkName(name, "dimension");
    if (dims.containsKey(name)) {
      throw new IllegalArgumentException("dimension '" + name + "' is defined twice");
    }
    if (length < 1 || length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("dimension '" + name + "' must have a length in 1.." + Integer.MAX_VALUE
          + ", got " + length);
    }
    dims.put(name, length);
    return this;
  }

  /**
   * Defines the string-length dimension for {@code values} (its length is the longest UTF-8 encoding, at least 1)
   * and returns that length.
   */
  public int stringDimension(String name, Collection<String> values) {
    int n = 1;
    for (String v : values) {
      n = Math.max(n, v.getBytes(StandardCharsets.UTF_8).length);
    }
    dimension(name, n);
    return n;
  }

  /** Whether dimension {@code name} is defined. */
  public boolean hasDimension(String name) {
    return dims.containsKey(name);
  }

  /** The length of dimension {@code name}. */
  public long dimensionLength(String name) {
    Long n = dims.get(name);
    if (n == null) {
      throw new IllegalArgumentException("unknown dimension '" + name + "'");
    }
    return n;
  }

  /** The dimensions, name to length, in definition order. */
  public Map<String, Long> dimensions() {
    return Collections.unmodifiableMap(dims);
  }

  int dimensionId(String name) {
    int i = 0;
    for (String d : dims.keySet()) {
      if (d.equals(name)) {
        return i;
      }
      i++;
    }
    throw new IllegalArgumentException("unknown dimension '" + name + "'");
  }

  /** Adds (or replaces) a global attribute. */
  public NcSchema attribute(NcAttribute a) {
    checkMutable();
    globals.put(a.name(), a);
    return this;
  }

  /** A global text attribute. */
  public NcSchema attribute(String name, String text) {
    return attribute(NcAttribute.text(name, text));
  }

  /** A global double attribute. */
  public NcSchema attribute(String name, double... values) {
    return attribute(NcAttribute.doubles(name, values));
  }

  /** A global float attribute. */
  public NcSchema attribute(String name, float... values) {
    return attribute(NcAttribute.floats(name, values));
  }

  /** A global int attribute. */
  public NcSchema attribute(String name, int... values) {
    return attribute(NcAttribute.ints(name, values));
  }

  /** The CF global attribute {@code Conventions = "CF-1.8"}. */
  public NcSchema conventions() {
    return attribute("Conventions", CF_CONVENTIONS);
  }

  /** The global attributes, in definition order. */
  public Map<String, NcAttribute> attributes() {
    return Collections.unmodifiableMap(globals);
  }

  /**
   * Defines a variable; its data is written in definition order.
   *
   * @param name its name
   * @param type its type
   * @param dimensions its shape by dimension names, outermost first (none: a scalar)
   */
  public NcVariable variable(String name, NcType type, String... dimensions) {
    checkMutable();
    checkName(name, "variable");
    if (vars.containsKey(name)) {
      throw new IllegalArgumentException("variable '" + name + "' is defined twice");
    }
    for (int i = 0; i < dimensions.length; i++) {
      if (!dims.containsKey(dimensions[i])) {
        throw new IllegalArgumentException("variable '" + name + "': unknown dimension '" + dimensions[i]
            + "' (defined: " + dims.keySet() + ")");
      }
      for (int j = 0; j < i; j++) {
        if (dimensions[j].equals(dimensions[i])) {
          throw new IllegalArgumentException("variable '" + name + "' uses dimension '" + dimensions[i]
              + "' twice (xarray cannot read that; define a second dimension)");
        }
      }
    }
    NcVariable v = new NcVariable(this, name, type, Arrays.asList(dimensions));
    vars.put(name, v);
    return v;
  }

  /** A CF coordinate variable: named as its dimension, one-dimensional along it. */
  public NcVariable coordinate(String dimension, NcType type) {
    return variable(dimension, type, dimension);
  }

  /**
   * A string variable as a char array: shape {@code (dims..., strlenDimension)}, each string one row of the last
   * dimension, padded with NUL bytes, UTF-8 (the attribute {@code _Encoding = "utf-8"} makes {@code xarray}
   * decode them into str rather than bytes). Write it with {@link NetcdfWriter#writeStrings}.
   */
  public NcVariable stringVariable(String name, String strlenDimension, String... dimensions) {
    String[] all = Arrays.copyOf(dimensions, dimensions.length + 1);
    all[dimensions.length] = strlenDimension;
    return variable(name, NcType.CHAR, all).attribute("_Encoding", "utf-8");
  }

  /** The variable {@code name}, or null. */
  public NcVariable variable(String name) {
    return vars.get(name);
  }

  /** The variables, in definition (and data) order. */
  public List<NcVariable> variables() {
    return List.copyOf(vars.values());
  }

  // ---------------------------------------------------------------------------------------------------------
  // Layout

  /** Bytes of the header. */
  public long headerBytes() {
    long n = 4 + 4; // magic, numrecs
    n += 8;
    for (String d : dims.keySet()) {
      n += nameBytes(d) + 4;
    }
    n += attributeListBytes(globals.values());
    n += 8;
    for (NcVariable v : vars.values()) {
      n += v.headerBytes();
    }
    return n;
  }

  /** The offset of every variable's data, in definition order; checks the CDF-2 size limits. */
  long[] begins() {
    List<NcVariable> vs = variables();
    long[] b = new long[vs.size()];
    long at = headerBytes();
    for (int i = 0; i < vs.size(); i++) {
      NcVariable v = vs.get(i);
      long bytes = NcAttribute.pad4(v.dataBytes());
      if (bytes > MAX_VSIZE && i + 1 < vs.size()) {
        throw new IllegalArgumentException("variable '" + v.name() + "' takes " + bytes + " bytes: in the 64-bit "
            + "offset format only the last variable may exceed 2^32 - 4 bytes (define it last)");
      }
      b[i] = at;
      at = Math.addExact(at, bytes);
    }
    return b;
  }

  /** Bytes of the whole file (header and every variable's padded data). */
  public long fileBytes() {
    long n = headerBytes();
    for (NcVariable v : vars.values()) {
      n = Math.addExact(n, NcAttribute.pad4(v.dataBytes()));
    }
    return n;
  }

  /** The header, as the format specifies it (CDF-2: 64-bit offsets). */
  ByteBuffer header() {
    long[] begins = begins();
    long size = headerBytes();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the header would take " + size + " bytes (attributes too large)");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size); // big-endian
    b.put((byte) 'C').put((byte) 'D').put((byte) 'F').put((byte) 2);
    b.putInt(0); // numrecs: no record dimension
    if (dims.isEmpty()) {
      b.putInt(0).putInt(0); // ABSENT
    } else {
      b.putInt(NC_DIMENSION).putInt(dims.size());
      for (Map.Entry<String, Long> d : dims.entrySet()) {
        putName(b, d.getKey());
        b.putInt((int) (long) d.getValue());
      }
    }
    putAttributeList(b, new ArrayList<>(globals.values()));
    if (vars.isEmpty()) {
      b.putInt(0).putInt(0);
    } else {
      b.putInt(NC_VARIABLE).putInt(vars.size());
      int i = 0;
      for (NcVariable v : vars.values()) {
        v.write(b, begins[i++]);
      }
    }
    if (b.position() != size) {
      throw new IllegalStateException("header size " + b.position() + " != computed " + size);
    }
    b.flip();
    return b;
  }

  static long nameBytes(String name) {
    return 4 + NcAttribute.pad4(name.getBytes(StandardCharsets.UTF_8).length);
  }

  static void putName(ByteBuffer b, String name) {
    byte[] u = name.getBytes(StandardCharsets.UTF_8);
    b.putInt(u.length);
    b.put(u);
    for (long i = u.length; i < NcAttribute.pad4(u.length); i++) {
      b.put((byte) 0);
    }
  }

  static long attributeListBytes(Collection<NcAttribute> as) {
    long n = 8;
    for (NcAttribute a : as) {
      n += a.headerBytes();
    }
    return n;
  }

  static void putAttributeList(ByteBuffer b, List<NcAttribute> as) {
    if (as.isEmpty()) {
      b.putInt(0).putInt(0);
      return;
    }
    b.putInt(NC_ATTRIBUTE).putInt(as.size());
    for (NcAttribute a : as) {
      a.write(b);
    }
  }
}
