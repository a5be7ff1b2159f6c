package org.vi4dvar.driver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reading and comparing run output directories in tests. */
public final class Outputs {

  private Outputs() {
  }

  /** summary.json, checked to hold no NaN/Infinity. */
  public static JsonNode summary(Path out) {
    try {
      String text = Files.readString(out.resolve("summary.json"));
      assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CSV file as rows of fields. */
  public static List<String[]> csv(Path f) {
    try {
      return Files.readAllLines(f).stream().map(l -> l.split(",", -1)).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that two output directories hold the same results bit for bit: the same files, every file other
   * than summary.json byte-identical, and summary.json equal once the wall-clock and Spark facts (every
   * "seconds" and "*_seconds", ABC's "steps_done" and "steps_saved", the "spark" section, and
   * {@code ignoredTopLevel}) are removed; with
   * "config" ignored, config.conf is not compared either.
   */
  public static void assertSameResults(Path a, Path b, String... ignoredTopLevel) {
    Map<String, Path> fa = files(a);
    Map<String, Path> fb = files(b);
    assertEquals(fa.keySet(), fb.keySet(), "the same files in " + a + " and " + b);
    boolean configDiffers = Arrays.asList(ignoredTopLevel).contains("config");
    try {
      for (String rel : fa.keySet()) {
        if (rel.equals("summary.json") || rel.endsWith(".png") || rel.equals("report.html")
            || configDiffers && rel.equals("config.conf")) {
          continue;
        }
        byte[] x = Files.readAllBytes(fa.get(rel));
        byte[] y = Files.readAllBytes(fb.get(rel));
        if (rel.endsWith(".nc")) {
          assertSameNetcdf(x, y, configDiffers, rel + " differs between " + a + " and " + b);
        } else if (rel.endsWith(".parquet")) {
          // the same rows bit for bit, in the same row groups, in a file of the same size: parquet-mr's footer
          // lists each column's encodings in the order of a HashSet of enums (identity hash codes), which
          // differs between JVMs, so the bytes of two equal tables can differ there (and only there)
          assertEquals(x.length, y.length, rel + " sizes differ between " + a + " and " + b);
          assertEquals(parquetRows(fa.get(rel)), parquetRows(fb.get(rel)),
              rel + " differs between " + a + " and " + b);
        } else {
          assertEquals(new String(x), new String(y), rel + " differs between " + a + " and " + b);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode sa = strip(summary(a), ignoredTopLevel);
    JsonNode sb = strip(summary(b), ignoredTopLevel);
    assertEquals(sa.toPrettyString(), sb.toPrettyString(), "summary.json differs beyond timings");
  }

  /**
   * Two NetCDF files with the same dimensions, variables and data bit for bit, and the same global attributes
   * except the provenance of the run ({@code history} and the {@code vi4dvar_*} attributes but the configuration:
   * version, commit, start time, command line, Spark application id; {@code source} names the version), which
   * names when and how it ran; with {@code configDiffers}, the configuration attribute is not compared either.
   */
  private static void assertSameNetcdf(byte[] x, byte[] y, boolean configDiffers, String what) {
    NcBytes a = new NcBytes(x);
    NcBytes b = new NcBytes(y);
    assertEquals(java.util.HexFormat.of().formatHex(a.dimensions), java.util.HexFormat.of().formatHex(b.dimensions),
        what + " (dimensions)");
    assertEquals(a.variables, b.variables, what + " (variables)");
    assertEquals(withoutProvenance(a.globalAttributes, configDiffers),
        withoutProvenance(b.globalAttributes, configDiffers),
        what + " (global attributes)");
    assertTrue(Arrays.equals(a.data, b.data), what + " (data)");
  }

  private static List<String> withoutProvenance(List<String> attributes, boolean configDiffers) {
    List<String> kept = new java.util.ArrayList<>();
    for (String s : attributes) {
      boolean provenance = s.startsWith("history=") || s.startsWith("source=")
          || s.startsWith("vi4dvar_") && (configDiffers || !s.startsWith("vi4dvar_configuration="));
      if (!provenance) {
        kept.add(s);
      }
    }
    return kept;
  }

  /** The column names of a Parquet file, in order (its footer's schema). */
  public static List<String> parquetColumns(Path f) throws IOException {
    try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
        org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()),
            new org.apache.hadoop.conf.Configuration()))) {
      return r.getFooter().getFileMetaData().getSchema().getFields().stream()
          .map(org.apache.parquet.schema.Type::getName).collect(Collectors.toList());
    }
  }

  /** A Parquet file's row groups (their row counts) and every row, values printed exactly (Double.toString). */
  public static String parquetRows(Path f) throws IOException {
    StringBuilder b = new StringBuilder();
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f.toUri());
    try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
        org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(p, conf))) {
      b.append(r.getFooter().getFileMetaData().getSchema()).append('\n');
      for (org.apache.parquet.hadoop.metadata.BlockMetaData g : r.getFooter().getBlocks()) {
        b.append("row group of ").append(g.getRowCount()).append(" rows\n");
      }
    }
    try (org.apache.parquet.hadoop.ParquetReader<org.apache.parquet.example.data.Group> r =
        org.apache.parquet.hadoop.ParquetReader.builder(
            new org.apache.parquet.hadoop.example.GroupReadSupport(), p).withConf(conf).build()) {
      for (org.apache.parquet.example.data.Group g = r.read(); g != null; g = r.read()) {
        b.append(g.toString().replace('\n', ' ')).append('\n');
      }
    }
    return b.toString();
  }

  private static Map<String, Path> files(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      Map<String, Path> m = new TreeMap<>();
      s.filter(Files::isRegularFile).forEach(p -> m.put(root.relativize(p).toString(), p));
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode strip(JsonNode n, String... top) {
    ObjectNode o = (ObjectNode) n.deepCopy();
    o.remove("spark");
    o.remove("provenance");
    for (String t : top) {
      o.remove(t);
    }
    removeTimings(o);
    return o;
  }

  private static void removeTimings(JsonNode n) {
    if (n instanceof ObjectNode) {
      ObjectNode o = (ObjectNode) n;
      List<String> timings = new java.util.ArrayList<>();
      o.fieldNames().forEachRemaining(f -> {
        // ABC's early rejection: the model steps it computed depend on which tasks ran together (the result not)
        if (f.equals("seconds") || f.endsWith("_seconds") || f.equals("steps_done") || f.equals("steps_saved")) {
          timings.add(f);
        }
      });
      o.remove(timings);
      for (Iterator<JsonNode> it = o.elements(); it.hasNext();) {
        removeTimings(it.next());
      }
    } else if (n != null && n.isArray()) {
      n.forEach(Outputs::removeTimings);
    }
  }
}
