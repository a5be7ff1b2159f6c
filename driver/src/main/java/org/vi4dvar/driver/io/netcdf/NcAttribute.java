package org.vi4dvar.driver.io.netcdf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One attribute: a name and a typed vector of values (text is a {@link NcType#CHAR} vector of UTF-8 bytes).
 * Immutable; values are copied in.
 */
public final class NcAttribute {

  private final String name;
  private final NcType type;
  private final Object values; // byte[] (CHAR), int[], float[] or double[]

  private NcAttribute(String name, NcType type, Object values) {
    this.name = NcSchema.checkName(name, "attribute");
    this.type = type;
    this.values = values;
  }

  /** A text attribute (UTF-8). */
  public static NcAttribute text(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException("attribute '" + name + "': null text");
    }
    return new NcAttribute(name, NcType.CHAR, value.getBytes(StandardCharsets.UTF_8));
  }

  /** An int attribute of one or more values. */
  public static NcAttribute ints(String name, int... values) {
    nonEmpty(name, values.length);
    return new NcAttribute(name, NcType.INT, values.clone());
  }

  /** A float attribute of one or more values. */
  public static NcAttribute floats(String name, float... values) {
    nonEmpty(name, values.length);
    return new NcAttribute(name, NcType.FLOAT, values.clone());
  }

  /** A double attribute of one or more values. */
  public static NcAttribute doubles(String name, double... values) {
    nonEmpty(name, values.length);
    return new NcAttribute(name, NcType.DOUBLE, values.clone());
  }

  /** A one-value attribute of type {@code type} holding {@code value} (a fill value, say), converted exactly. */
  static NcAttribute of(String name, NcType type, Number value) {
    switch (type) {
      case INT:
        if (!(value instanceof Integer)) {
          throw new IllegalArgumentException("attribute '" + name + "' of an int variable needs an int, got "
              + value);
        }
        return ints(name, value.intValue());
      case FLOAT:
        if (!(value instanceof Float) && !(value instanceof Double && Double.isNaN((Double) value))
            && (float) value.doubleValue() != value.doubleValue()) {
          throw new IllegalArgumentException("attribute '" + name + "' of a float variable: " + value
              + " is not a float");
        }
        return floats(name, value.floatValue());
      case DOUBLE:
        if (!(value instanceof Double) && !(value instanceof Float) && !(value instanceof Integer)) {
          throw new IllegalArgumentException("attribute '" + name + "' of a double variable needs a double, got "
              + value);
        }
        return doubles(name, value.doubleValue());
      default:
        throw new IllegalArgumentException("attribute '" + name + "': a number attribute cannot be of type "
            + type.cdl());
    }
  }

  private static void nonEmpty(String name, int n) {
    if (n == 0) {
      throw new IllegalArgumentException("attribute '" + name + "' has no values");
    }
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The type. */
  public NcType type() {
    return type;
  }

  /** The number of values (bytes for text). */
  public int length() {
    if (values instanceof byte[]) {
      return ((byte[]) values).length;
    } else if (values instanceof int[]) {
      return ((int[]) values).length;
    } else if (values instanceof float[]) {
      return ((float[]) values).length;
    }
    return ((double[]) values).length;
  }

  /** The text of a CHAR attribute. */
  public String text() {
    if (!(values instanceof byte[])) {
      throw new IllegalStateException("attribute '" + name + "' is " + type.cdl() + ", not text");
    }
    return new String((byte[]) values, StandardCharsets.UTF_8);
  }

  /** The values of a numeric attribute as doubles (exact for int and float). */
  public double[] numbers() {
    if (values instanceof int[]) {
      return Arrays.stream((int[]) values).asDoubleStream().toArray();
    } else if (values instanceof float[]) {
      float[] f = (float[]) values;
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    } else if (values instanceof double[]) {
      return ((double[]) values).clone();
    }
    throw new IllegalStateException("attribute '" + name + "' is text");
  }

  /** Bytes in the header: name, nc_type, nelems, values padded to 4. */
  long headerBytes() {
    return NcSchema.nameBytes(name) + 8 + pad4((long) length() * type.size);
  }

  void write(ByteBuffer b) {
    NcSchema.putName(b, name);
    b.putInt(type.code);
    b.putInt(length());
    if (values instanceof byte[]) {
      b.put((byte[]) values);
    } else if (values instanceof int[]) {
      for (int v : (int[]) values) {
        b.putInt(v);
      }
    } else if (values instanceof float[]) {
      for (float v : (float[]) values) {
        b.putFloat(v);
      }
    } else {
      for (double v : (double[]) values) {
        b.putDouble(v);
      }
    }
    long bytes = (long) length() * type.size;
    for (long i = bytes; i < pad4(bytes); i++) {
      b.put((byte) 0);
    }
  }

  static long pad4(long n) {
    return (n + 3) & ~3L;
  }
}
