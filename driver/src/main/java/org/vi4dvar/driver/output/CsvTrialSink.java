package org.vi4dvar.driver.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.spark.TaskContext;
import org.vi4dvar.kernels.experiment.TrialSink;

/**
 * ABC's accepted trials (threshold mode), written by the tasks as {@code abc/accepted/part-<first block>.csv}
 * ({@code trial,distance,cost,x0_0,…}) inside the output being built: each task writes a file named after its
 * attempt and renames it into place when its blocks are done, so a retried or rerun task rewrites the same
 * content; {@link #cleanUp} removes the files of attempts that died. The directory must be visible to every
 * executor (local mode, a single host, or a shared file system).
 */
public final class CsvTrialSink implements TrialSink {

  private static final long serialVersionUID = 1L;

  /** The folder, relative to the output. */
  public static final String DIR = "abc/accepted/";

  private final String dir;

  /** Writes into {@code dir} (created now). */
  public CsvTrialSink(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    this.dir = dir.toAbsolutePath().toString();
  }

  @Override
  public Writer open(long firstBlock, long endBlock, int n) {
    return new PartWriter(Path.of(dir), firstBlock, n);
  }

  @Override
  public void cleanUp() {
    try (var files = Files.newDirectoryStream(Path.of(dir), ".part-*")) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
  }

  private static final class PartWriter implements Writer {
    private final Path target;
    private final Path temp;
    private final BufferedWriter w;
    private final StringBuilder line = new StringBuilder();

    PartWriter(Path dir, long firstBlock, int n) {
      TaskContext tc = TaskContext.get();
      String attempt = tc == null ? "local" : tc.stageId() + "-" + tc.partitionId() + "-" + tc.attemptNumber();
      this.target = dir.resolve(String.format(Locale.ROOT, "part-%012d.csv", firstBlock));
      this.temp = dir.resolve(String.format(Locale.ROOT, ".part-%012d.csv.%s", firstBlock, attempt));
      try {
        this.w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
        w.write("trial,distance,cost," + OutputLayout.header(null, OutputLayout.X0, n) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + temp, e);
      }
    }

    @Override
    public void accept(long trial, double distance, double cost, double[] x0) {
      line.setLength(0);
      line.append(trial).append(',').append(distance).append(',').append(cost);
      for (double v : x0) {
        line.append(',').append(v);
      }
      line.append('\n');
      try {
        w.write(line.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + temp, e);
      }
    }

    @Override
    public void commit() {
      try {
        w.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot commit " + target, e);
      }
    }

    @Override
    public void abort() {
      try {
        w.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // the attempt failed anyway; a leftover temporary file starts with '.' and is removed by cleanUp
      }
    }
  }
}
