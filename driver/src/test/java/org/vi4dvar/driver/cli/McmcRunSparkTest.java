package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Outputs;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * Issue 13 end to end on local Spark with the talk's data: {@code mcmc} chains as Spark tasks (Kryo with
 * registration required, so every shipped class is registered), its tables and diagnostics, the importance
 * corrections, the scores against this run's mcmc (the default reference) and against an earlier run's
 * {@code mcmc/} given with {@code --reference}; bit-identical outputs for another partitioning with every task
 * retried once.
 */
class McmcRunSparkTest extends SharedSpark {

  /** Small sizes: 4 chains of 150 + 150 iterations, a few seconds. */
  static final String[] SMALL = {"--set", "abc.trials=20000", "--set", "abc.block-size=2048", "--set",
      "map.starts=4", "--set", "posterior.samples=100", "--set", "output.report=false", "--set", "mcmc.chains=4",
      "--set", "mcmc.warmup=150", "--set", "mcmc.draws=150", "--set", "psis.draws=500", "--methods",
      "map,mcmc"};

  @TempDir
  Path tmp;

  static String[] args(String... a) {
    List<String> l = new ArrayList<>(Arrays.asList(a));
    l.addAll(Arrays.asList(SMALL));
    return l.toArray(new String[0]);
  }

  @Test
  void mcmcChainsRunAsTasksAreScoredAndReproducibleForAnyPartitioning() {
    Path a = tmp.resolve("a");
    Cli r = Cli.run(providerForMaster(), args("run", "--out", a.toString(), "--data",
        TestData.talkDir().toString(), "--master", "local[2]"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode s = Outputs.summary(a);
    JsonNode mc = s.get("methods").get("mcmc");
    assertTrue(mc.get("available").asBoolean(), mc.toPrettyString());
    assertEquals(600, mc.get("posterior").get("draws").asInt(), "4 chains x 150 draws");
    assertEquals(4, Outputs.csv(a.resolve("mcmc/chains.csv")).size() - 1, "one row per chain");
    List<String[]> diag = Outputs.csv(a.resolve("mcmc/diagnostics.csv"));
    assertEquals(17, diag.size(), "header + one row per x0 component");
    assertTrue(Arrays.asList(diag.get(0)).containsAll(List.of("rhat", "ess_bulk", "ess_tail", "mcse_mean",
        "mcse_std")), Arrays.toString(diag.get(0)));
    // map-is runs with map (psis.methods), with its Pareto k-hat
    JsonNode is = s.get("methods").get("map-is");
    assertTrue(is.get("available").asBoolean(), is.toPrettyString());
    assertTrue(is.toString().contains("pareto_k"), is.toString());
    // this run's mcmc is the reference of the others, not of itself
    JsonNode ref = s.get("methods").get("map").get("reference");
    assertEquals("mcmc (this run)", ref.get("reference").asText());
    assertTrue(ref.get("assim").get("mean_error").asDouble() >= 0);
    assertTrue(ref.get("assim").get("std_ratio").asDouble() > 0);
    assertTrue(Double.isFinite(ref.get("assim").get("energy_distance").asDouble()), ref.toString());
    assertFalse(mc.has("reference"));
    assertTrue(r.out().contains("against the reference mcmc (this run)"), r.out());

    // bit-identical on another partitioning (chains grouped differently into tasks) with every task retried once
    Path b = tmp.resolve("b");
    Cli rb = Cli.run(providerForMaster(), args("run", "--out", b.toString(), "--data",
        TestData.talkDir().toString(), "--master", "local[2,3]", "--set", "spark.partitions=3", "--set",
        "debug.fail-first-attempt=true"));
    assertEquals(ExitCode.OK, rb.code(), rb.err());
    Outputs.assertSameResults(a, b, "config");

    // an earlier run's mcmc/ as the reference: this run's mcmc (same seed) matches it exactly
    Path c = tmp.resolve("c");
    Cli rc = Cli.run(providerForMaster(), args("run", "--out", c.toString(), "--data",
        TestData.talkDir().toString(), "--master", "local[2]", "--reference", a.resolve("mcmc").toString()));
    assertEquals(ExitCode.OK, rc.code(), rc.err());
    JsonNode own = Outputs.summary(c).get("methods").get("mcmc").get("reference");
    assertEquals(a.resolve("mcmc").toString(), own.get("reference").asText());
    assertEquals(0.0, own.get("assim").get("mean_error").asDouble(), "the same draws, written and read back");
    assertEquals(1.0, own.get("assim").get("std_ratio").asDouble(), 1e-15);
    assertEquals(Outputs.summary(a).get("methods").get("map").get("reference").get("assim").get("mean_error")
        .asDouble(), Outputs.summary(c).get("methods").get("map").get("reference").get("assim").get("mean_error")
        .asDouble(), 1e-12, "map against the mcmc of the run or of its directory: the same score");
  }
}
