package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.Python;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * The README's output section says how to open a run in xarray and in pandas: its Python blocks marked
 * {@code <!-- snippet: NAME -->} are executed here, exactly as written with {@code DIR} replaced by a real small
 * run (ABC in threshold mode and VI), followed by checks of what they opened against the run's own files. A
 * snippet whose Python modules are not installed is skipped, saying which (a missing interpreter or numpy/scipy
 * is Python.require's business). The layout block's file names are checked against the run as well.
 */
class ReadmeSnippetsTest extends SharedSpark {

  @TempDir
  static Path tmp;

  static Path run;

  static String readme;

  @BeforeAll
  static void smallRun() throws IOException {
    readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    run = tmp.resolve("run");
    Cli r = Cli.run(sharedProvider(), "run", "--out", run.toString(), "--data", TestData.talkDir().toString(),
        "--methods", "abc,vi", "--set", "abc.trials=20000", "--set", "abc.threshold=600", "--set",
        "vi.restarts=2", "--set", "vi.iterations=300", "--set", "posterior.samples=50", "--set",
        "output.report=false");
    assertEquals(ExitCode.OK, r.code(), r.err());
  }

  /** The Python of the block after {@code <!-- snippet: name -->}, with {@code DIR} the run. */
  static String snippet(String name) {
    Matcher m = Pattern.compile("<!-- snippet: " + Pattern.quote(name) + " -->\\s*```python\\n(.*?)```",
        Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "README.md has a python block marked <!-- snippet: " + name + " -->");
    String code = m.group(1);
    assertTrue(code.contains("\"DIR/"), "the snippet opens files of DIR: " + code);
    return code.replace("\"DIR/", "\"" + run.toAbsolutePath() + "/");
  }

  static String python(String what, String... modules) {
    Python.require();
    String py = Python.with(modules);
    assumeTrue(py != null, "the README's " + what + " snippet was not executed: no python3 here imports "
        + String.join(", ", modules) + " (pip or apt install them to run it)");
    return py;
  }

  static String exec(String py, String name, String code) throws IOException {
    // not NAME.py: a script named pandas.py would shadow the module it imports
    Path f = tmp.resolve("readme_snippet_" + name + ".py");
    Files.writeString(f, code, StandardCharsets.UTF_8);
    return Python.runWith(py, f).trim();
  }

  /** Checks in Python that {@code expr} (a numpy array) equals the run's CSV {@code csv} without its first column. */
  static String sameAsCsv(String expr, String csv) {
    return "import numpy as _np\n_csv = _np.loadtxt(\"" + run.resolve(csv) + "\", delimiter=\",\", skiprows=1)[:, 1:]\n"
        + "assert _np.array_equal(_np.asarray(" + expr + "), _csv), 'differs from " + csv + "'\n";
  }

  @Test
  void theXarraySnippetOpensPosteriorNc() throws IOException {
    String py = python("xarray", "xarray", "scipy");
    String out = exec(py, "xarray", snippet("xarray")
        + sameAsCsv("ds.posterior_mean.sel(estimator=\"vi\").values", "vi/mean.csv")
        + sameAsCsv("ds.posterior_std.sel(estimator=\"abc\").values", "abc/std.csv")
        + "print(list(ds.estimator.values))\n");
    assertTrue(out.contains("'abc'") && out.contains("'vi'") && out.contains("'prior'"), out);
  }

  @Test
  void thePandasSnippetOpensTheSummaryAndAMethodsMean() throws IOException {
    String py = python("pandas", "pandas");
    String out = exec(py, "pandas", snippet("pandas")
        + sameAsCsv("mean.values", "vi/mean.csv")
        + "assert mean.index.name == \"t\" and list(mean.columns)[0] == \"x_0\"\n"
        + "print(summary[\"methods\"][\"abc\"][\"counts\"][\"accepted\"])\n");
    JsonNode abc = Outputs.summary(run).get("methods").get("abc");
    assertEquals(abc.get("counts").get("accepted").asText(), out);
  }

  @Test
  void theParquetSnippetReadsEveryAcceptedTrial() throws IOException {
    String py = python("pandas.read_parquet", "pandas", "pyarrow");
    String out = exec(py, "parquet", snippet("pandas") + snippet("parquet")
        + "assert list(accepted.columns[:4]) == [\"trial\", \"distance\", \"cost\", \"x0_0\"]\n"
        + "assert (accepted.distance <= 600).all() and accepted.trial.is_unique\n"
        + "print(len(accepted))\n");
    JsonNode abc = Outputs.summary(run).get("methods").get("abc");
    assertEquals(abc.get("counts").get("accepted").asText(), out);
  }

  /** Every file the layout block names (written out, not a pattern) exists in the run, for the methods it ran. */
  @Test
  void theLayoutBlockNamesTheFilesARunWrites() throws IOException {
    String section = readme.substring(readme.indexOf("### Output directory"),
        readme.indexOf("### Calibration over many twins"));
    Matcher m = Pattern.compile("(?m)^DIR/(\\S+)").matcher(section);
    List<String> missing = new ArrayList<>();
    int checked = 0;
    while (m.find()) {
      String rel = m.group(1);
      // the run has abc and vi (and vi-is, on by default): skip the files of the methods it did not run
      boolean ran = !rel.startsWith("<") && !rel.contains("*") && !rel.startsWith("map/")
          && !rel.startsWith("map-is/") && !rel.startsWith("ensemble/") && !rel.startsWith("mcmc/")
          && !rel.startsWith("figures") && !rel.equals("report.html");
      if (ran) {
        checked++;
        if (!Files.exists(run.resolve(rel))) {
          missing.add(rel);
        }
      }
    }
    assertTrue(checked >= 8, "the layout block lists the run's files: " + checked);
    assertEquals(List.of(), missing, "README names files that a run does not write");
  }
}
