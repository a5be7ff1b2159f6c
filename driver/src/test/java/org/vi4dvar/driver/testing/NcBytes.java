package org.vi4dvar.driver.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A NetCDF classic (CDF-1/CDF-2) file split into what a determinism test compares: the dimensions, the
 * variables' headers and data, and the global attributes (which carry the provenance: start time, command line,
 * application id, and so differ between two runs of the same computation). Follows Unidata's "NetCDF Classic
 * Format Specification".
 */
public final class NcBytes {

  private static final int NC_DIMENSION = 0x0A;
  private static final int NC_VARIABLE = 0x0B;
  private static final int NC_ATTRIBUTE = 0x0C;

  /** The dimensions' header bytes. */
  public final byte[] dimensions;
  /** The global attributes, one {@code name=value} line each. */
  public final List<String> globalAttributes = new ArrayList<>();
  /** The variables' headers without their {@code begin} offsets (which move with the header's length). */
  public final String variables;
  /** Everything after the header. */
  public final byte[] data;

  private final ByteBuffer b;
  private final boolean offset64;

  /** Parses {@code file}'s bytes. */
  public NcBytes(byte[] file) {
    b = ByteBuffer.wrap(file);
    if (file.length < 8 || file[0] != 'C' || file[1] != 'D' || file[2] != 'F' || file[3] < 1 || file[3] > 2) {
      throw new IllegalArgumentException("not a NetCDF classic (CDF-1/CDF-2) file");
    }
    offset64 = file[3] == 2;
    b.position(8); // magic, numrecs
    int d0 = b.position();
    int tag = b.getInt();
    int n = b.getInt();
    if (tag == NC_DIMENSION) {
      for (int i = 0; i < n; i++) {
        name();
        b.getInt();
      }
    }
    dimensions = java.util.Arrays.copyOfRange(file, d0, b.position());
    tag = b.getInt();
    n = b.getInt();
    if (tag == NC_ATTRIBUTE) {
      for (int i = 0; i < n; i++) {
        globalAttributes.add(attribute());
      }
    }
    StringBuilder vars = new StringBuilder();
    tag = b.getInt();
    n = b.getInt();
    long first = b.capacity();
    if (tag == NC_VARIABLE) {
      for (int i = 0; i < n; i++) {
        vars.append(name()).append(" dims");
        int nd = b.getInt();
        for (int k = 0; k < nd; k++) {
          vars.append(' ').append(b.getInt());
        }
        int at = b.getInt();
        int na = b.getInt();
        if (at == NC_ATTRIBUTE) {
          for (int k = 0; k < na; k++) {
            vars.append(' ').append(attribute());
          }
        }
        vars.append(" type ").append(b.getInt()).append(" vsize ").append(b.getInt()).append('\n');
        long begin = offset64 ? b.getLong() : b.getInt();
        first = Math.min(first, begin);
      }
    }
    if (first < b.position()) {
      throw new IllegalArgumentException("a variable begins inside the header");
    }
    variables = vars.toString();
    data = java.util.Arrays.copyOfRange(file, (int) Math.min(first, file.length), file.length);
  }

  private String name() {
    int len = b.getInt();
    byte[] s = new byte[len];
    b.get(s);
    pad(len);
    return new String(s, StandardCharsets.UTF_8);
  }

  private String attribute() {
    String name = name();
    int type = b.getInt();
    int n = b.getInt();
    int size = switch (type) {
      case 1, 2 -> 1; // byte, char
      case 3 -> 2; // short
      case 4, 5 -> 4; // int, float
      case 6 -> 8; // double
      default -> throw new IllegalArgumentException("attribute '" + name + "' has unknown type " + type);
    };
    byte[] v = new byte[n * size];
    b.get(v);
    pad(n * size);
    return name + "=" + (type == 2 ? new String(v, StandardCharsets.UTF_8) : java.util.HexFormat.of().formatHex(v));
  }

  private void pad(int len) {
    b.position(b.position() + (4 - len % 4) % 4);
  }
}
