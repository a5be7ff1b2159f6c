package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * Issue 10 item 21: {@code twin} with another {@code model.nx}, then {@code run --data DIR}: the dataset's own
 * {@code vi4dvar.conf} is read when no {@code --config} is given (and stderr says so); with another
 * {@code --config} the error names the dataset's shape.
 */
class DatasetConfigTest extends SharedSpark {

  @TempDir
  Path tmp;

  @Test
  void runDataReadsTheDatasetsOwnConfigurationWithoutConfig() throws IOException {
    Path data = tmp.resolve("twin24");
    Cli t = Cli.run("twin", "--out", data.toString(), "--set", "model.nx=24", "--set", "seed=3");
    assertEquals(ExitCode.OK, t.code(), t.err());
    Path out = tmp.resolve("run");
    Cli r = Cli.run(sharedProvider(), "run", "--out", out.toString(), "--data", data.toString(), "--methods",
        "abc", "--set", "abc.trials=4000", "--set", "posterior.samples=40", "--set", "output.report=false",
        "--master", "local[2]");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.err().contains("reading the dataset's own configuration " + data.resolve("vi4dvar.conf")),
        r.err());
    assertEquals(24, Outputs.summary(out).get("data").get("nx").asInt());
    assertEquals(3, Outputs.summary(out).get("config").get("seed").asInt(), "the twin's seed came along");
  }

  @Test
  void anotherConfigThatDoesNotFitTheDatasetNamesItsShape() {
    Path data = tmp.resolve("twin24");
    assertEquals(ExitCode.OK, Cli.run("twin", "--out", data.toString(), "--set", "model.nx=24").code());
    Cli r = Cli.run("run", "--out", tmp.resolve("run").toString(), "--data", data.toString(), "--config",
        TestData.talkConf().toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains("24 columns, expected 16"), r.err());
    assertTrue(r.err().contains("the dataset was written with model.nx = 24 (not 16)"), r.err());
  }
}
