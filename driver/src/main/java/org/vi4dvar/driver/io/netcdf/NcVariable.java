package org.vi4dvar.driver.io.netcdf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A variable of an {@link NcSchema}: name, type, shape (dimension names, outermost first, row-major as in C) and
 * attributes, with the CF attributes as named setters ({@link #units}, {@link #longName}, {@link #standardName},
 * {@link #fillValue}, ...). Obtained from {@link NcSchema#variable}; mutable until a writer is created.
 */
public final class NcVariable {

  private final NcSchema schema;
  private final String name;
  private final NcType type;
  private final List<String> dims;
  private final Map<String, NcAttribute> attributes = new LinkedHashMap<>();

  NcVariable(NcSchema schema, String name, NcType type, List<String> dims) {
    this.schema = schema;
    this.name = name;
    this.type = type;
    this.dims = List.copyOf(dims);
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The type. */
  public NcType type() {
    return type;
  }

  /** The dimension names, outermost first. */
  public List<String> dimensions() {
    return dims;
  }

  /** The dimension lengths, outermost first. */
  public long[] shape() {
    long[] s = new long[dims.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = schema.dimensionLength(dims.get(i));
    }
    return s;
  }

  /** The number of values (the product of the dimension lengths; 1 for a scalar). */
  public long size() {
    long n = 1;
    for (long d : shape()) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The attributes, in definition order. */
  public Map<String, NcAttribute> attributes() {
    return Collections.unmodifiableMap(attributes);
  }

  /** Adds (or replaces) an attribute. */
  public NcVariable attribute(NcAttribute a) {
    schema.checkMutable();
    if (a.name().equals("_FillValue") && a.type() != type) {
      throw new IllegalArgumentException("variable '" + name + "': _FillValue must be of the variable's type ("
          + type.cdl() + "), got " + a.type().cdl());
    }
    attributes.put(a.name(), a);
    return this;
  }

  /** A text attribute. */
  public NcVariable attribute(String attribute, String text) {
    return attribute(NcAttribute.text(attribute, text));
  }

  /** A double attribute (one or more values). */
  public NcVariable attribute(String attribute, double... values) {
    return attribute(NcAttribute.doubles(attribute, values));
  }

  /** A float attribute (one or more values). */
  public NcVariable attribute(String attribute, float... values) {
    return attribute(NcAttribute.floats(attribute, values));
  }

  /** An int attribute (one or more values). */
  public NcVariable attribute(String attribute, int... values) {
    return attribute(NcAttribute.ints(attribute, values));
  }

  /** CF {@code units} (UDUNITS; {@code "1"} for dimensionless). */
  public NcVariable units(String units) {
    return attribute("units", units);
  }

  /** CF {@code long_name}: a descriptive name for people. */
  public NcVariable longName(String longName) {
    return attribute("long_name", longName);
  }

  /** CF {@code standard_name}, from the CF standard name table (only where one exists). */
  public NcVariable standardName(String standardName) {
    return attribute("standard_name", standardName);
  }

  /** CF {@code axis} (X, Y, Z or T) of a coordinate variable. */
  public NcVariable axis(String axis) {
    return attribute("axis", axis);
  }

  /** CF {@code comment}. */
  public NcVariable comment(String comment) {
    return attribute("comment", comment);
  }

  /** CF {@code coordinates}: the auxiliary coordinate variables of this one, space-separated. */
  public NcVariable coordinates(String names) {
    return attribute("coordinates", names);
  }

  /**
   * {@code _FillValue} of the variable's type: what marks a missing value ({@link NetcdfWriter#fill} writes it;
   * NaN is allowed for float and double). An int variable needs an Integer, a float one a value that is a float.
   */
  public NcVariable fillValue(Number value) {
    return attribute(NcAttribute.of("_FillValue", type, value));
  }

  /** The {@code _FillValue} attribute, or null. */
  NcAttribute fillAttribute() {
    return attributes.get("_FillValue");
  }

  /** Bytes of the data (product of the lengths times the type size), unpadded. */
  long dataBytes() {
    return Math.multiplyExact(size(), (long) type.size);
  }

  long headerBytes() {
    long n = NcSchema.nameBytes(name) + 4 + 4L * dims.size() + NcSchema.attributeListBytes(attributes.values());
    return n + 4 + 4 + 8; // nc_type, vsize, begin (64-bit)
  }

  void write(ByteBuffer b, long begin) {
    NcSchema.putName(b, name);
    b.putInt(dims.size());
    for (String d : dims) {
      b.putInt(schema.dimensionId(d));
    }
    NcSchema.putAttributeList(b, new ArrayList<>(attributes.values()));
    b.putInt(type.code);
    long vsize = NcAttribute.pad4(dataBytes());
    // spec: "2^32 - 1 is used in the vsize field for such variables" (those over 2^32 - 4 bytes; only the last)
    b.putInt(vsize > NcSchema.MAX_VSIZE ? -1 : (int) vsize);
    b.putLong(begin);
  }
}
