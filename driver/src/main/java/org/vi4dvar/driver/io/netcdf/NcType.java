package org.vi4dvar.driver.io.netcdf;

/**
 * The external types of the NetCDF classic format that this writer supports, with their {@code nc_type} codes
 * and sizes (Unidata, "NetCDF Classic Format Specification": {@code NC_CHAR = \x00 \x00 \x00 \x02},
 * {@code NC_INT = ...\x04}, {@code NC_FLOAT = ...\x05}, {@code NC_DOUBLE = ...\x06}), and the default fill values
 * of netCDF-C ({@code NC_FILL_CHAR}, {@code NC_FILL_INT}, {@code NC_FILL_FLOAT}, {@code NC_FILL_DOUBLE}).
 */
public enum NcType {
  /** 8-bit characters (text: UTF-8 bytes). */
  CHAR(2, 1),
  /** 32-bit signed big-endian integers. */
  INT(4, 4),
  /** IEEE 754 binary32, big-endian. */
  FLOAT(5, 4),
  /** IEEE 754 binary64, big-endian. */
  DOUBLE(6, 8);

  /** netCDF-C's {@code NC_FILL_INT}. */
  public static final int FILL_INT = -2147483647;
  /** netCDF-C's {@code NC_FILL_FLOAT}. */
  public static final float FILL_FLOAT = 9.9692099683868690e+36f;
  /** netCDF-C's {@code NC_FILL_DOUBLE}. */
  public static final double FILL_DOUBLE = 9.9692099683868690e+36;

  final int code;
  final int size;

  NcType(int code, int size) {
    this.code = code;
    this.size = size;
  }

  /** Bytes per value. */
  public int size() {
    return size;
  }

  /** The CDL name (char, int, float, double). */
  public String cdl() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
