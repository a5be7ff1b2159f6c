package org.vi4dvar.driver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The talk's dataset ({@code conf/data/l96-talk}) and copies of it to corrupt. */
public final class TestData {

  /** The dataset's files. */
  public static final String[] FILES = {"obs.csv", "obs_std.csv", "background.csv", "background_std.csv",
      "truth.csv"};

  private TestData() {
  }

  /** {@code conf/data/l96-talk}, from the module directory or the repository root. */
  public static Path talkDir() {
    for (String p : new String[] {"../conf/data/l96-talk", "conf/data/l96-talk"}) {
      Path d = Path.of(p);
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    throw new IllegalStateException("conf/data/l96-talk not found");
  }

  /** {@code conf/talk-l96.conf}. */
  public static Path talkConf() {
    return talkDir().resolve("../../talk-l96.conf").normalize();
  }

  /** A copy of the talk's dataset (CSV files only) in {@code dir}. */
  public static Path copyTalk(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String f : FILES) {
        Files.copy(talkDir().resolve(f), dir.resolve(f));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code out} or a temporary sibling of it ({@code .<name>.tmp-*}) exists. */
  public static boolean outputLeft(Path out) {
    if (Files.exists(out)) {
      return true;
    }
    try (Stream<Path> s = Files.list(out.toAbsolutePath().getParent())) {
      String prefix = "." + out.getFileName() + ".";
      return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    } catch (IOException e) {
      return false;
    }
  }
}
