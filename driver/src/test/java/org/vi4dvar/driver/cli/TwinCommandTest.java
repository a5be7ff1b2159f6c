package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Dataset;
import org.vi4dvar.driver.io.DatasetReader;
import org.vi4dvar.driver.testing.Cli;

class TwinCommandTest {

  @TempDir
  Path tmp;

  @Test
  void writesTheDatasetAndItsEffectiveConfiguration() throws IOException {
    Path out = tmp.resolve("twin");
    Cli r = Cli.run("twin", "--out", out.toString(), "--set", "seed=4", "--set", "window.states=20");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.err().startsWith("vi4dvar: wrote the twin experiment (seed 4: 20 states"), r.err());
    for (String f : List.of("obs.csv", "obs_std.csv", "background.csv", "background_std.csv", "truth.csv",
        "vi4dvar.conf")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    Vi4dvarSettings s = ConfigLoader.load(out.resolve("vi4dvar.conf"), List.of());
    assertEquals(ConfigLoader.load(null, List.of("seed=4", "window.states=20")), s);
    Dataset d = DatasetReader.read(out, s.experiment());
    assertEquals(20, d.problem().nStates());
    assertEquals(Dataset.twin(s.experiment()).problem().nObs(), d.problem().nObs());
    assertEquals(20, Files.readAllLines(out.resolve("obs.csv")).size());
  }

  @Test
  void refusesToWriteOverADatasetWithoutOverwrite() {
    Path out = tmp.resolve("twin");
    assertEquals(ExitCode.OK, Cli.run("twin", "--out", out.toString()).code());
    Cli again = Cli.run("twin", "--out", out.toString(), "--set", "seed=9");
    assertEquals(ExitCode.BAD_INPUT, again.code());
    assertTrue(again.err().contains("--overwrite"), again.err());
    assertEquals(ExitCode.OK, Cli.run("twin", "--out", out.toString(), "--set", "seed=9", "--overwrite").code());
  }
}
