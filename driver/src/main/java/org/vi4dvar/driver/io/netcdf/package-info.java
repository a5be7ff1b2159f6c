/**
 * A small writer of the NetCDF classic format, 64-bit offset variant (CDF-2), with the CF conventions' attributes
 * as named setters, and the layout of a run's {@code posterior.nc} ({@link org.vi4dvar.driver.io.netcdf.PosteriorNetcdf}).
 *
 * <p>Why our own: NetCDF-Java (Unidata's {@code cdm-core}) is not served by Maven Central (Unidata publishes it
 * only on its own repository: Unidata/netcdf-java#1452), and no maintained pure-Java NetCDF-3 writer is; the
 * one old {@code edu.ucar:netcdf:4.3.22} (2014) there does not resolve, its parent POM was never published
 * (Unidata/thredds#98). The classic format is small and frozen (Unidata, "NetCDF Classic Format Specification"): a header
 * of dimensions, attributes and variables with their offsets, then each variable's big-endian data padded to 4
 * bytes. The tests read every feature back with Python (scipy.io.netcdf_file, and xarray where installed).
 */
package org.vi4dvar.driver.io.netcdf;
