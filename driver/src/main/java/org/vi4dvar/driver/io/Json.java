package org.vi4dvar.driver.io;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer for {@code summary.json}: maps (keys in iteration order), lists, {@code double[]},
 * numbers, strings, booleans and null, pretty-printed with two-space indents. Doubles are written with
 * {@link Double#toString(double)} (exact: they parse back to the same double); NaN and infinities, which JSON
 * cannot hold, are written as {@code null} and counted ({@link Result#nonFinite()}), never silently.
 */
public final class Json {

  /**
   * The text and how many non-finite numbers it holds as null.
   *
   * @param text the JSON text, ending in a newline
   * @param nonFinite NaN or infinite values written as null
   */
  public record Result(String text, int nonFinite) {
  }

  private final StringBuilder b = new StringBuilder();
  private int nonFinite;

  private Json() {
  }

  /** Writes {@code tree}. */
  public static Result write(Object tree) {
    Json j = new Json();
    j.value(tree, 0);
    j.b.append('\n');
    return new Result(j.b.toString(), j.nonFinite);
  }

  /** How many NaN or infinite doubles {@code tree} holds (what {@link #write} writes as null). */
  public static int countNonFinite(Object tree) {
    return write(tree).nonFinite();
  }

  private void value(Object v, int indent) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      string((String) v);
    } else if (v instanceof Boolean) {
      b.append(v.toString());
    } else if (v instanceof Double || v instanceof Float) {
      number(((Number) v).doubleValue());
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      b.append(v.toString());
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          b.append(", ");
        }
        number(a[i]);
      }
      b.append(']');
    } else if (v instanceof int[]) {
      int[] a = (int[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(a[i]);
      }
      b.append(']');
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        pad(indent + 1);
        string(String.valueOf(e.getKey()));
        b.append(": ");
        value(e.getValue(), indent + 1);
        if (it.hasNext()) {
          b.append(',');
        }
        b.append('\n');
      }
      pad(indent);
      b.append('}');
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      boolean flat = true;
      for (Object o : l) {
        flat &= !(o instanceof Map || o instanceof List);
      }
      if (flat) {
        b.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            b.append(", ");
          }
          value(l.get(i), indent);
        }
        b.append(']');
        return;
      }
      b.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        pad(indent + 1);
        value(l.get(i), indent + 1);
        if (i + 1 < l.size()) {
          b.append(',');
        }
        b.append('\n');
      }
      pad(indent);
      b.append(']');
    } else if (v instanceof Enum) {
      string(((Enum<?>) v).name().toLowerCase(java.util.Locale.ROOT));
    } else {
      throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  private void number(double d) {
    if (Double.isFinite(d)) {
      b.append(Double.toString(d));
    } else {
      nonFinite++;
      b.append("null");
    }
  }

  private void pad(int indent) {
    for (int i = 0; i < indent; i++) {
      b.append("  ");
    }
  }

  private void string(String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
