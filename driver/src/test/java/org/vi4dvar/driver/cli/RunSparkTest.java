package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/** The {@code run} path end to end on the shared {@code local[2]} context (broadcast, Kryo, tasks, output). */
class RunSparkTest extends SharedSpark {

  @TempDir
  Path tmp;

  private static JsonNode summary(Path out) throws IOException {
    String text = Files.readString(out.resolve("summary.json"));
    assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
    return new ObjectMapper().readTree(text);
  }

  @Test
  void runOnTheTalksDataEvaluatesTheCostsInTasks() throws IOException {
    Path out = tmp.resolve("talk");
    Cli r = Cli.run(sharedProvider(), "run", "--out", out.toString(), "--data", TestData.talkDir().toString(),
        "--config", TestData.talkConf().toString(), "--master", "local[2]", "--methods", "abc,vi");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.out().contains("background") && r.out().contains("truth"), r.out());
    JsonNode s = summary(out);
    assertEquals(91, s.get("data").get("observations").asInt());
    assertEquals(49.13, s.get("cost").get("truth").get("J").asDouble(), 0.05);
    assertEquals(s.get("cost").get("truth").get("J").asDouble(), s.get("cost").get("truth").get("Jb").asDouble()
        + s.get("cost").get("truth").get("Jo").asDouble(), 1e-9);
    assertEquals(0, s.get("non_finite_written_as_null").asInt());
    assertEquals(16, s.get("config").get("model").get("nx").asInt());
    assertEquals("abc", s.get("config").get("methods").get(0).asText());
    assertEquals(0, s.get("methods").size(), "phase 1: no estimator results, none faked");
    assertEquals(2, s.get("spark").get("default_parallelism").asInt());
    try (var l = Files.list(tmp)) {
      assertEquals(1, l.count(), "only the output, no temporary sibling");
    }
  }

  @Test
  void twinThenRunDataGivesTheSameResultAsRun() throws IOException {
    Path data = tmp.resolve("data");
    Cli t = Cli.run("twin", "--out", data.toString(), "--set", "seed=17", "--set", "obs.pooling=2");
    assertEquals(ExitCode.OK, t.code(), t.err());
    Cli a = Cli.run(sharedProvider(), "run", "--out", tmp.resolve("a").toString(), "--set", "seed=17", "--set",
        "obs.pooling=2");
    Cli b = Cli.run(sharedProvider(), "run", "--out", tmp.resolve("b").toString(), "--data", data.toString(),
        "--config", data.resolve("vi4dvar.conf").toString());
    assertEquals(ExitCode.OK, a.code(), a.err());
    assertEquals(ExitCode.OK, b.code(), b.err());
    JsonNode sa = summary(tmp.resolve("a"));
    JsonNode sb = summary(tmp.resolve("b"));
    assertEquals(sa.get("cost"), sb.get("cost"), "bit-identical costs (doubles are written exactly)");
    assertEquals(sa.get("config"), sb.get("config"));
    assertEquals(a.out(), b.out());
  }

  @Test
  void overwriteReplacesAPreviousRun() throws IOException {
    Path out = tmp.resolve("o");
    assertEquals(ExitCode.OK, Cli.run(sharedProvider(), "run", "--out", out.toString()).code());
    Files.writeString(out.resolve("stale.txt"), "x");
    Cli again = Cli.run(sharedProvider(), "run", "--out", out.toString());
    assertEquals(ExitCode.BAD_INPUT, again.code());
    assertTrue(Files.exists(out.resolve("stale.txt")), "refused: the old output is untouched");
    Cli over = Cli.run(sharedProvider(), "run", "--out", out.toString(), "--overwrite", "--set", "seed=2");
    assertEquals(ExitCode.OK, over.code(), over.err());
    assertFalse(Files.exists(out.resolve("stale.txt")));
    assertEquals(2, summary(out).get("config").get("seed").asInt());
  }
}
