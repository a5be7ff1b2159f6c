package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.TestData;

/**
 * Issue 7: every class of bad input (configuration, dataset, command line) answers with exit code 2, one line
 * {@code vi4dvar: error: ...} on stderr naming the culprit, no stack trace, no output directory, and never
 * reaches Spark.
 */
class BadInputTest {

  /** Prepares the case in a fresh directory (config files, corrupted datasets) and returns its arguments. */
  @FunctionalInterface
  interface Setup {
    String[] args(Path dir, Path out) throws IOException;
  }

  private record Case(String name, Setup setup, String... culprits) {
  }

  private static final List<Case> CASES = new ArrayList<>();

  private static void add(String name, Setup setup, String... culprits) {
    CASES.add(new Case(name, setup, culprits));
  }

  private static String[] run(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("run", "--out", out.toString()));
    a.addAll(Arrays.asList(more));
    return a.toArray(new String[0]);
  }

  private static String[] set(Path out, String kv) {
    return run(out, "--set", kv);
  }

  private static Path file(Path dir, String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  /** A reference directory of {@code states} states of {@code nx} points (mean 0, std 1), std.csv optional. */
  private static Path reference(Path dir, int nx, int states, boolean withStd) throws IOException {
    Path r = Files.createDirectories(dir.resolve("ref"));
    StringBuilder b = new StringBuilder("t");
    for (int i = 0; i < nx; i++) {
      b.append(",x_").append(i);
    }
    b.append('\n');
    StringBuilder one = new StringBuilder(b);
    for (int t = 0; t < states; t++) {
      b.append(t);
      one.append(t);
      for (int i = 0; i < nx; i++) {
        b.append(",0.0");
        one.append(",1.0");
      }
      b.append('\n');
      one.append('\n');
    }
    Files.writeString(r.resolve("mean.csv"), b.toString());
    if (withStd) {
      Files.writeString(r.resolve("std.csv"), one.toString());
    }
    return r;
  }

  /** A copy of the talk's data where {@code file}'s 1-based {@code row}, {@code col} holds {@code value}. */
  private static Path dataWith(Path dir, String file, int row, int col, String value) throws IOException {
    Path d = TestData.copyTalk(dir.resolve("data"));
    List<String> lines = new ArrayList<>(Files.readAllLines(d.resolve(file)));
    String[] f = lines.get(row - 1).split(",", -1);
    f[col - 1] = value;
    lines.set(row - 1, String.join(",", f));
    Files.write(d.resolve(file), lines);
    return d;
  }

  private static Path dataEdit(Path dir, String file, java.util.function.UnaryOperator<List<String>> edit)
      throws IOException {
    Path d = TestData.copyTalk(dir.resolve("data"));
    List<String> lines = edit.apply(new ArrayList<>(Files.readAllLines(d.resolve(file))));
    Files.write(d.resolve(file), lines);
    return d;
  }

  /** diag(background_std²) of a dataset as background_cov.csv text. */
  static String diagonalCov(Path data) throws IOException {
    String[] sd = Files.readAllLines(data.resolve("background_std.csv")).get(0).split(",");
    int n = sd.length;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = Double.parseDouble(sd[i].strip());
        b.append(j > 0 ? "," : "").append(i == j ? Double.toString(s * s) : "0.0");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** The talk's data with background_cov.csv = edit(diag(std²)) instead of background_std.csv. */
  private static Path covData(Path dir, java.util.function.UnaryOperator<String> edit) throws IOException {
    Path data = TestData.copyTalk(dir.resolve("data"));
    String cov = edit.apply(diagonalCov(data));
    Files.delete(data.resolve("background_std.csv"));
    Files.writeString(data.resolve("background_cov.csv"), cov);
    return data;
  }

  static {
    // ---- configuration ------------------------------------------------------------------------------------
    add("unknown key from --set suggests the nearest", (d, o) -> set(o, "vi.iteration=5"), "vi.iteration",
        "did you mean 'vi.iterations'");
    add("unknown key in a config file suggests the nearest",
        (d, o) -> run(o, "--config", file(d, "bad.conf", "modle { nx = 8 }\n").toString()), "'modle.nx'",
        "bad.conf:1", "did you mean 'model.nx'");
    add("unknown Spark property points to spark-defaults.conf", (d, o) -> set(o, "spark.executor.memory=2g"),
        "spark.executor.memory", "spark-defaults.conf");
    add("wrong type: string for an integer", (d, o) -> set(o, "model.nx=abc"), "model.nx", "integer", "'abc'");
    add("wrong type: fraction for an integer", (d, o) -> set(o, "window.states=16.5"), "window.states",
        "integer");
    add("wrong type: list for a number", (d, o) -> set(o, "model.dt=[0.1]"), "model.dt", "number");
    add("wrong type: section replaced by a value", (d, o) -> set(o, "model=3"), "'model'", "section");
    add("nx < 4", (d, o) -> set(o, "model.nx=3"), "model.nx", ">= 4", "--set model.nx=3");
    add("dt <= 0", (d, o) -> set(o, "model.dt=0"), "model.dt", "> 0");
    add("dt not finite", (d, o) -> set(o, "model.dt=1e999"), "model.dt", "finite");
    add("forcing not a number (NaN)", (d, o) -> set(o, "model.forcing=NaN"), "model.forcing", "number");
    add("drop = 1", (d, o) -> set(o, "obs.drop=1"), "obs.drop", "[0, 1)");
    add("drop < 0", (d, o) -> set(o, "obs.drop=-0.1"), "obs.drop", "[0, 1)");
    add("keep = 0", (d, o) -> set(o, "abc.keep=0"), "abc.keep", "(0, 1]");
    add("keep > 1", (d, o) -> set(o, "abc.keep=1.5"), "abc.keep", "(0, 1]");
    add("keep × trials rounds to no trial", (d, o) -> run(o, "--set", "abc.trials=100", "--set",
        "abc.keep=0.001"), "abc.keep", "keeps no trial");
    add("trials < 1", (d, o) -> set(o, "abc.trials=0"), "abc.trials", ">= 1");
    add("restarts < 1", (d, o) -> set(o, "vi.restarts=0"), "vi.restarts", ">= 1");
    add("members < 1", (d, o) -> set(o, "ensemble.members=0"), "ensemble.members", ">= 1");
    add("assimilated > states", (d, o) -> set(o, "window.assimilated=17"), "window.assimilated",
        "window.states (16)");
    add("pooling does not divide nx", (d, o) -> set(o, "obs.pooling=3"), "obs.pooling", "divide model.nx");
    add("unknown nonlinearity", (d, o) -> set(o, "obs.nonlinearity=sqaure"), "obs.nonlinearity", "'sqaure'",
        "identity, square, cube, tanh");
    add("unknown VI family", (d, o) -> set(o, "vi.family=diagonal"), "vi.family", "meanfield, fullrank");
    add("unknown ABC distance", (d, o) -> set(o, "abc.distance=euclid"), "abc.distance", "observation, full");
    add("negative iterations", (d, o) -> set(o, "vi.iterations=-5"), "vi.iterations", ">= 1");
    add("negative max-iterations", (d, o) -> set(o, "map.max-iterations=-1"), "map.max-iterations", ">= 1");
    add("negative learning rate", (d, o) -> set(o, "vi.lr=-0.01"), "vi.lr", "> 0");
    add("unknown VI posterior", (d, o) -> set(o, "vi.posterior=average"), "vi.posterior", "best, restart-mixture");
    add("VI window longer than the run", (d, o) -> set(o, "vi.iterations=100"), "vi.iterations",
        "vi.window = 200 exceeds vi.iterations = 100");
    add("unknown init-std scale", (d, o) -> set(o, "vi.init-std-scale=prior"), "vi.init-std-scale",
        "background, absolute");
    add("negative restart jitter", (d, o) -> set(o, "vi.jitter=-1"), "vi.jitter", ">= 0");
    add("one ELBO sample", (d, o) -> set(o, "vi.elbo-samples=1"), "vi.elbo-samples", ">= 2");
    add("unknown Hessian", (d, o) -> set(o, "map.hessian=bfgs"), "map.hessian", "finite-difference, gauss-newton");
    add("wrong type: number for a boolean", (d, o) -> set(o, "debug.fail-first-attempt=1"),
        "debug.fail-first-attempt", "true or false");
    add("wrong type: string for a boolean", (d, o) -> set(o, "output.report=yes please"), "output.report",
        "true or false");
    add("early rejection not a boolean", (d, o) -> set(o, "abc.early-rejection=sometimes"),
        "abc.early-rejection", "true or false");
    add("noise range min > max", (d, o) -> set(o, "obs.noise=[0.2,0.1]"), "obs.noise", "min <= max");
    add("noise range of one value", (d, o) -> set(o, "background.noise=[0.1]"), "background.noise",
        "[min, max]");
    add("covariance time outside the window", (d, o) -> set(o, "output.cov-times=[0,16]"), "output.cov-times",
        "16");
    add("bad spark.master in the configuration", (d, o) -> set(o, "spark.master=mesos://x:5050"),
        "spark.master", "'mesos://x:5050'");
    add("bad spark.master in a config file", (d, o) -> run(o, "--config",
        file(d, "m.conf", "spark.master = \"local[two]\"\n").toString()), "spark.master", "local[two]",
        "m.conf:1");
    add("unknown method in the configuration", (d, o) -> set(o, "methods=[map,gibbs]"), "methods", "'gibbs'");
    // ---- mcmc, psis (issue 13) ----------------------------------------------------------------------------
    add("one MCMC chain (R-hat needs two)", (d, o) -> set(o, "mcmc.chains=1"), "mcmc.chains", ">= 2", "R-hat");
    add("no MCMC warm-up", (d, o) -> set(o, "mcmc.warmup=0"), "mcmc.warmup", ">= 1");
    add("no MCMC draws", (d, o) -> set(o, "mcmc.draws=0"), "mcmc.draws", ">= 1");
    add("negative MCMC draws", (d, o) -> set(o, "mcmc.draws=-10"), "mcmc.draws", ">= 1");
    add("MCMC thinning 0", (d, o) -> set(o, "mcmc.thin=0"), "mcmc.thin", ">= 1");
    add("unknown MCMC sampler", (d, o) -> set(o, "mcmc.sampler=gibbs"), "mcmc.sampler", "mala, hmc, nuts");
    add("MCMC step size 0", (d, o) -> set(o, "mcmc.step-size=0"), "mcmc.step-size", "> 0");
    add("MCMC target acceptance 1", (d, o) -> set(o, "mcmc.target-accept=1"), "mcmc.target-accept", "(0, 1)");
    add("MCMC tree depth 0", (d, o) -> set(o, "mcmc.max-depth=0"), "mcmc.max-depth", ">= 1");
    add("unknown MCMC metric", (d, o) -> set(o, "mcmc.metric=full"), "mcmc.metric", "none, diag, dense");
    add("too few PSIS draws", (d, o) -> set(o, "psis.draws=10"), "psis.draws", ">= 100");
    add("PSIS of a method without a density", (d, o) -> set(o, "psis.methods=[ensemble]"), "psis.methods",
        "'ensemble'", "no density");
    // ---- --reference (issue 13) ----------------------------------------------------------------------------
    add("--reference to a missing directory", (d, o) -> run(o, "--reference", d.resolve("nowhere").toString()),
        "--reference", "nowhere", "not a directory");
    add("--reference without std.csv", (d, o) -> run(o, "--reference", reference(d, 16, 16, false).toString()),
        "--reference", "std.csv");
    add("--reference of another nx", (d, o) -> run(o, "--reference", reference(d, 8, 16, true).toString()),
        "--reference", "mean.csv", "nx = 16");
    add("--reference of a shorter window", (d, o) -> run(o, "--reference", reference(d, 16, 12, true)
        .toString()), "--reference", "12 states", "16");
    add("--reference samples.csv with an incomplete trajectory", (d, o) -> {
      Path r = reference(d, 16, 16, true);
      StringBuilder b = new StringBuilder("sample,t");
      for (int i = 0; i < 16; i++) {
        b.append(",x_").append(i);
      }
      b.append('\n');
      for (int t = 0; t < 3; t++) {
        b.append("0,").append(t).append(",0.5".repeat(16)).append('\n');
      }
      Files.writeString(r.resolve("samples.csv"), b.toString());
      return run(o, "--reference", r.toString());
    }, "--reference", "samples.csv", "sample 0 has 3 states");
    // the re-audit of issue 10 (items 4, 10, 11) on the reference directory's files
    add("--reference mean.csv a named pipe (it said 'has no mean.csv')", (d, o) -> {
      Path r = reference(d, 16, 16, true);
      Files.delete(r.resolve("mean.csv"));
      fifo(r.resolve("mean.csv"));
      return run(o, "--reference", r.toString());
    }, "--reference", "mean.csv", "not a regular file");
    add("--reference samples.csv a named pipe (it was ignored as absent)", (d, o) -> {
      Path r = reference(d, 16, 16, true);
      fifo(r.resolve("samples.csv"));
      return run(o, "--reference", r.toString());
    }, "--reference", "samples.csv", "not a regular file");
    add("--reference samples.csv a dangling symbolic link (it was ignored as absent)", (d, o) -> {
      Path r = reference(d, 16, 16, true);
      Files.createSymbolicLink(r.resolve("samples.csv"), d.resolve("gone.csv"));
      return run(o, "--reference", r.toString());
    }, "--reference", "samples.csv", "symbolic link", "does not exist");
    add("--reference std.csv in UTF-16 (it said 'Input length = 1')", (d, o) -> {
      Path r = reference(d, 16, 16, true);
      String text = Files.readString(r.resolve("std.csv"));
      Files.write(r.resolve("std.csv"), ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE));
      return run(o, "--reference", r.toString());
    }, "--reference", "std.csv", "not UTF-8 text");
    add("reference key to a directory without files", (d, o) -> set(o, "reference=\"" + d + "\""),
        "config key 'reference'", "mean.csv");
    add("an importance correction without its method", (d, o) -> set(o, "methods=[abc,map-is]"), "methods",
        "'map-is'", "'map'");
    add("out-of-range value in a config file names file and line",
        (d, o) -> run(o, "--config", file(d, "x.conf", "seed = 3\nmodel.nx = 2\n").toString()), "model.nx",
        "x.conf:2");
    add("missing config file", (d, o) -> run(o, "--config", d.resolve("nope.conf").toString()), "nope.conf",
        "not found");
    add("config file is a directory", (d, o) -> run(o, "--config", d.toString()), "is a directory");
    add("config file with a syntax error",
        (d, o) -> run(o, "--config", file(d, "broken.conf", "model { nx = 8\n").toString()), "broken.conf",
        "line 2");
    add("unresolved substitution", (d, o) -> set(o, "seed=${nothing.here}"), "nothing.here");
    // ---- issue 10 item 13 and item 7 ------------------------------------------------------------------------
    add("an environment variable (not substituted, and the message says so)", (d, o) -> set(o, "seed=${HOME}"),
        "HOME", "environment variables are not read");
    add("an include cycle: one short line", (d, o) -> {
      file(d, "b.conf", "include \"a.conf\"\n");
      return run(o, "--config", file(d, "a.conf", "include \"b.conf\"\n").toString());
    }, "include cycle a.conf → b.conf → a.conf");
    add("an included named pipe (it would block)", (d, o) -> {
      fifo(d.resolve("p.conf"));
      return run(o, "--config", file(d, "i.conf", "include \"p.conf\"\n").toString());
    }, "p.conf", "not a regular file");
    add("a config file in UTF-16", (d, o) -> {
      Path f = d.resolve("u16.conf");
      Files.write(f, "\uFEFFseed = 3\n".getBytes(StandardCharsets.UTF_16LE));
      return run(o, "--config", f.toString());
    }, "u16.conf", "UTF-16", "expected UTF-8");
    add("seed = 2^63", (d, o) -> set(o, "seed=2^63"), "seed", "'2^63'", "arithmetic is not evaluated");
    add("seed beyond the long range", (d, o) -> set(o, "seed=9223372036854775808"), "seed",
        "range of a 64-bit long");
    add("abc.trials alone keeps too many: the message names abc.trials, not the default abc.keep",
        (d, o) -> set(o, "abc.trials=1e15"), "config key 'abc.trials' (--set abc.trials=1e15)", "keeps");
    add("window.states alone below the default window.assimilated", (d, o) -> set(o, "window.states=8"),
        "config key 'window.states' (--set window.states=8)", "window.assimilated (12)");
    add("a covariance time named twice", (d, o) -> set(o, "output.cov-times=[first,first]"), "output.cov-times",
        "names first twice");
    add("report DIR whose summary.json is a named pipe", (d, o) -> {
      Files.createDirectories(d.resolve("run"));
      fifo(d.resolve("run/summary.json"));
      return new String[] {"report", d.resolve("run").toString()};
    }, "summary.json", "not a regular file");
    add("report --coordinates outside the state", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("run/data"));
      Files.writeString(d.resolve("run/summary.json"), "{\"config\": {\"model\": {\"nx\": 16}}}\n");
      return new String[] {"report", data.getParent().toString(), "--coordinates", "0,99"};
    }, "--coordinates", "99", "0..15");

    // ---- sizes that cannot fit (issue 10, item 6): refused before Spark with the estimate and the knob -------
    add("a state too large for the heap", (d, o) -> set(o, "model.nx=65536"), "heap", "VI4DVAR_JAVA_OPTS=-Xmx",
        "output.cov-points");
    add("too many kept trials for the heap", (d, o) -> run(o, "--set", "abc.trials=1e9", "--set", "abc.keep=0.01"),
        "heap", "abc.keep");
    add("posterior.samples beyond its maximum", (d, o) -> set(o, "posterior.samples=1e9"), "posterior.samples",
        "10000000");
    add("a 32-bit key beyond 2^31 says so, not a range starting at -2^31", (d, o) -> set(o, "posterior.samples=1e12"),
        "posterior.samples", "at most 2147483647 (a 32-bit key)");
    // the re-audit: map.starts=1e9 built 10^9 starts on the driver (minutes, then out of memory)
    add("map.starts beyond its maximum", (d, o) -> set(o, "map.starts=1e9"), "map.starts", "<= 100000");
    add("map starts whose results cannot fit the heap", (d, o) -> run(o, "--set", "map.starts=100000", "--set",
        "map.max-iterations=1000000"), "heap", "map.starts", "VI4DVAR_JAVA_OPTS=-Xmx");
    add("output.trajectory-samples neither a count nor all", (d, o) -> set(o, "output.trajectory-samples=some"),
        "output.trajectory-samples", "an integer or all");
    add("negative output.cov-points", (d, o) -> set(o, "output.cov-points=-1"), "output.cov-points");

    // ---- command line ---------------------------------------------------------------------------------------
    add("unknown option", (d, o) -> run(o, "--bogus"), "'--bogus'", "vi4dvar run --help");
    add("unknown method", (d, o) -> run(o, "--methods", "map,foo"), "'foo'", "abc, map, ensemble, vi, mcmc, map-is, vi-is");
    add("method twice", (d, o) -> run(o, "--methods", "abc,abc"), "--methods", "'abc' twice");
    add("missing --out", (d, o) -> new String[] {"run"}, "--out");
    add("missing --out for twin", (d, o) -> new String[] {"twin", "--set", "seed=2"}, "--out");
    add("missing command", (d, o) -> new String[] {}, "missing command", "run, twin");
    add("unknown command", (d, o) -> new String[] {"fly", "--out", o.toString()}, "unknown command 'fly'");
    add("malformed --set without '='", (d, o) -> set(o, "model.nx"), "--set", "key=value");
    add("malformed --set value", (d, o) -> set(o, "model.nx=[1,"), "model.nx", "integer",
        "--set model.nx=[1,");
    add("--set with two values", (d, o) -> set(o, "seed=1, model.nx=8"), "'seed'", "integer");
    add("malformed --set key", (d, o) -> set(o, "model..nx=3"), "--set", "not a configuration key");
    add("invalid --master", (d, o) -> run(o, "--master", "local[0]"), "--master", "local[0]");
    add("--master with 100000 threads (issue 10 item 6)", (d, o) -> run(o, "--master", "local[100000]"),
        "--master", "at most 256 threads");
    add("spark.master with too many threads", (d, o) -> set(o, "spark.master=\"local[300,2]\""), "spark.master",
        "at most 256");
    add("spark.partitions beyond the bound", (d, o) -> set(o, "spark.partitions=2000000000"), "spark.partitions",
        "<= 1000000");
    add("invalid --master scheme", (d, o) -> run(o, "--master", "spark:/host"), "--master", "spark:/host");
    add("--out is a file", (d, o) -> {
      Files.writeString(o, "x");
      return run(o);
    }, "--out", "not a directory");
    add("--out contains the data", (d, o) -> run(o, "--data",
        TestData.copyTalk(o.resolve("data")).toString()), "--out", "contains the input");
    // issue 10 item 1: the input reached through a symbolic link, with --overwrite (it used to be deleted)
    add("--out contains the data through a symlink, with --overwrite", (d, o) -> {
      Path data = TestData.copyTalk(o.resolve("data"));
      Path link = Files.createSymbolicLink(d.resolve("data-link"), data);
      return run(o, "--data", link.toString(), "--overwrite");
    }, "--out", "contains the input", "data-link");
    add("--out reached through a symlink contains the config file", (d, o) -> {
      Files.createDirectories(o);
      Path conf = file(o, "x.conf", "seed = 2\n");
      Path outLink = Files.createSymbolicLink(d.resolve("out-link"), o);
      return new String[] {"twin", "--out", outLink.toString(), "--config", conf.toString(), "--overwrite"};
    }, "--out", "contains the input", "x.conf");
    add("a key set to null names where it was set", (d, o) -> run(o, "--set", "abc.early-rejection=null"),
        "abc.early-rejection", "got null", "(--set abc.early-rejection=null)");
    add("--out with --overwrite contains a file that --config includes (through another include)", (d, o) -> {
      Files.createDirectories(o);
      Files.writeString(o.resolve("summary.json"), "{}\n");
      file(o, "inner.conf", "seed = 3\n");
      Path middle = file(d, "middle.conf", "include file(\"" + o.resolve("inner.conf") + "\")\n");
      Path conf = file(d, "top.conf", "include \"middle.conf\"\nmodel.nx = 16\n");
      assertTrue(Files.exists(middle));
      return run(o, "--config", conf.toString(), "--overwrite");
    }, "--out", "contains the input", "inner.conf");
    // the re-audit of issue 10: the same class on the inputs added since (--reference, the key reference)
    add("--out with --overwrite contains the --reference directory (it was replaced)", (d, o) -> {
      Files.createDirectories(o);
      Files.writeString(o.resolve("summary.json"), "{}\n");
      Path ref = reference(o, 16, 16, true);
      return run(o, "--reference", Files.createSymbolicLink(d.resolve("ref-link"), ref).toString(), "--overwrite");
    }, "--out", "contains the input", "ref-link");
    add("--out contains the directory of the key reference", (d, o) -> {
      Files.createDirectories(o);
      Files.writeString(o.resolve("summary.json"), "{}\n");
      return run(o, "--set", "reference=\"" + reference(o, 16, 16, true) + "\"", "--overwrite");
    }, "--out", "contains the input", "ref");
    add("--overwrite of a directory that is not an output of vi4dvar (e.g. a dataset)", (d, o) -> {
      TestData.copyTalk(o);
      return run(o, "--overwrite");
    }, "--out", "is not an output of vi4dvar", "summary.json");
    add("--out is a dangling symlink", (d, o) -> {
      Files.createSymbolicLink(o, d.resolve("nowhere"));
      return run(o);
    }, "--out", "symbolic link");
    // issue 10 item 13: a control character in --out
    add("--out with a newline", (d, o) -> run(d.resolve("a\nb")), "--out", "control character", "line break");
    // issue 17: --out as a Hadoop URI
    add("--out with an unknown file-system scheme", (d, o) -> new String[] {"run", "--out", "nosuchfs://h/x/out"},
        "--out", "no Hadoop file system", "nosuchfs");
    add("--out s3a:// without hadoop-aws (it said 'ClassNotFoundException: Class ...S3AFileSystem not found')",
        (d, o) -> new String[] {"twin", "--out", "s3a://bucket/x/out"}, "--out", "no Hadoop file system", "s3a",
        "hadoop-aws");
    add("--out file:// with a host", (d, o) -> new String[] {"twin", "--out", "file://somehost" + o}, "--out",
        "file:///");
    // issue 10 item 14: the operating system's reason, not an exception's class name
    add("--out where nothing can be created", (d, o) -> new String[] {"twin", "--out", "/sys/vi4dvar-bad/out"},
        "--out", "/sys", "not permitted");
    add("--out URI where nothing can be created",
        (d, o) -> new String[] {"twin", "--out", "file:///sys/vi4dvar-bad/out"}, "--out", "cannot create",
        "denied");

    // ---- dataset --------------------------------------------------------------------------------------------
    add("data directory missing", (d, o) -> run(o, "--data", d.resolve("nothing").toString()), "nothing",
        "does not exist");
    add("missing required file", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.delete(data.resolve("obs_std.csv"));
      return run(o, "--data", data.toString());
    }, "obs_std.csv", "missing required file");
    add("empty file", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.writeString(data.resolve("background.csv"), "");
      return run(o, "--data", data.toString());
    }, "background.csv", "empty");
    add("header line", (d, o) -> run(o, "--data", dataEdit(d, "obs.csv", l -> {
      l.add(0, "x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,x11,x12,x13,x14,x15");
      return l;
    }).toString()), "obs.csv row 1", "header");
    add("too few rows", (d, o) -> run(o, "--data", dataEdit(d, "obs_std.csv", l -> l.subList(0, 15))
        .toString()), "obs_std.csv", "15 rows, expected 16", "window.states");
    add("too many rows", (d, o) -> run(o, "--data", dataEdit(d, "obs.csv", l -> {
      l.add(l.get(15));
      return l;
    }).toString()), "obs.csv row 17", "more than 16 rows");
    add("wrong column count", (d, o) -> run(o, "--data", dataEdit(d, "truth.csv", l -> {
      l.set(4, l.get(4) + ",1.0");
      return l;
    }).toString()), "truth.csv row 5", "17 columns, expected 16");
    add("rows vs configuration (window.states)", (d, o) -> run(o, "--data",
        TestData.copyTalk(d.resolve("data")).toString(), "--set", "window.states=20"), "obs.csv",
        "expected 20");
    add("columns vs configuration (pooling)", (d, o) -> run(o, "--data",
        TestData.copyTalk(d.resolve("data")).toString(), "--set", "obs.pooling=2"), "obs.csv row 1",
        "expected 8", "obs.pooling");
    // ---- issue 12 §1 (correlated B) and issue 15 (model error, parameters) --------------------------------
    add("unknown background correlation model", (d, o) -> set(o, "background.correlation.model=exponential"),
        "background.correlation.model", "none, gaussian, soar");
    add("background correlation length <= 0", (d, o) -> run(o, "--set", "background.correlation.model=soar",
        "--set", "background.correlation.length=0"), "background.correlation.length", "> 0");
    add("negative model error std", (d, o) -> set(o, "model.error-std=-0.1"), "model.error-std", ">= 0");
    add("non-finite model error std", (d, o) -> set(o, "model.error-std=1e999"), "model.error-std", "finite");
    add("model error std list of the wrong length", (d, o) -> set(o, "model.error-std=[0.1,0.2,0.3]"),
        "model.error-std", "16");
    add("unknown estimated parameter", (d, o) -> set(o, "model.estimate=[frocing]"), "model.estimate",
        "'frocing'", "forcing");
    add("forcing prior std <= 0", (d, o) -> run(o, "--set", "model.estimate=[forcing]", "--set",
        "model.forcing-prior=[8,0]"), "model.forcing-prior", "> 0");
    add("forcing prior not a pair", (d, o) -> set(o, "model.forcing-prior=[8]"), "model.forcing-prior",
        "[mean, std]");
    add("twin forcing not finite", (d, o) -> set(o, "twin.forcing=1e999"), "twin.forcing", "finite");
    add("both background_std.csv and background_cov.csv", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.writeString(data.resolve("background_cov.csv"), diagonalCov(data));
      return run(o, "--data", data.toString());
    }, "background_std.csv", "background_cov.csv", "both");
    add("neither background_std.csv nor background_cov.csv", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.delete(data.resolve("background_std.csv"));
      return run(o, "--data", data.toString());
    }, "background_std.csv", "background_cov.csv", "neither");
    add("background_cov.csv not nx × nx", (d, o) -> {
      Path data = covData(d, diag -> diag.substring(0, diag.lastIndexOf('\n', diag.length() - 2) + 1));
      return run(o, "--data", data.toString());
    }, "background_cov.csv", "15 rows", "expected 16");
    add("background_cov.csv not symmetric", (d, o) -> {
      Path data = covData(d, diag -> diag.replaceFirst("^([^,]*),0\\.0,", "$1,0.001,"));
      return run(o, "--data", data.toString());
    }, "background_cov.csv", "not symmetric");
    add("background_cov.csv not positive definite", (d, o) -> {
      Path data = covData(d, diag -> {
        String[] rows = diag.split("\n");
        String[] r0 = rows[0].split(",");
        String[] r1 = rows[1].split(",");
        double big = 2 * Math.sqrt(Double.parseDouble(r0[0]) * Double.parseDouble(r1[1]));
        r0[1] = Double.toString(big);
        r1[0] = Double.toString(big);
        rows[0] = String.join(",", r0);
        rows[1] = String.join(",", r1);
        return String.join("\n", rows) + "\n";
      });
      return run(o, "--data", data.toString());
    }, "background_cov.csv", "positive definite", "pivot");
    add("model_error_std.csv of the wrong shape", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.writeString(data.resolve("model_error_std.csv"), "0.1,0.1\n");
      return run(o, "--data", data.toString());
    }, "model_error_std.csv", "expected");
    add("negative value in model_error_std.csv", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      StringBuilder b = new StringBuilder();
      for (int t = 0; t < 11; t++) {
        for (int i = 0; i < 16; i++) {
          b.append(i > 0 ? "," : "").append(t == 3 && i == 4 ? "-0.1" : "0.1");
        }
        b.append('\n');
      }
      Files.writeString(data.resolve("model_error_std.csv"), b.toString());
      return run(o, "--data", data.toString());
    }, "model_error_std.csv", "row 4, column 5", ">= 0");
    add("non-numeric field", (d, o) -> run(o, "--data", dataWith(d, "obs.csv", 3, 5, "abc").toString()),
        "obs.csv row 3, column 5", "'abc' is not a number");
    add("NaN field", (d, o) -> run(o, "--data", dataWith(d, "background.csv", 1, 7, "NaN").toString()),
        "background.csv row 1, column 7", "not a finite number");
    add("infinite field", (d, o) -> run(o, "--data", dataWith(d, "truth.csv", 2, 3, "-Infinity").toString()),
        "truth.csv row 2, column 3", "not a finite number");
    add("overflowing field", (d, o) -> run(o, "--data", dataWith(d, "truth.csv", 2, 3, "1e400").toString()),
        "truth.csv row 2, column 3", "finite");
    add("empty background field", (d, o) -> run(o, "--data", dataWith(d, "background_std.csv", 1, 2, "")
        .toString()), "background_std.csv row 1, column 2", "empty field");
    add("zero observation std", (d, o) -> run(o, "--data", observedWith(d, "obs_std.csv", "0.0").toString()),
        "obs_std.csv row", "must be > 0");
    add("negative background std", (d, o) -> run(o, "--data", dataWith(d, "background_std.csv", 1, 4, "-0.5")
        .toString()), "background_std.csv row 1, column 4", "must be > 0");
    add("tiny std whose precision overflows", (d, o) -> run(o, "--data", dataWith(d, "background_std.csv", 1, 9,
        "1e-200").toString()), "background_std.csv row 1, column 9", "out of range");
    add("background far outside the model's range", (d, o) -> run(o, "--data", dataWith(d, "background.csv", 1, 3,
        "1e7").toString()), "background.csv", "not finite at state");
    add("observation whose misfit overflows", (d, o) -> {
      Path data = observedWith(d, "obs.csv", "1e200");
      return run(o, "--data", data.toString());
    }, "obs.csv row", "overflows");
    add("observation without std", (d, o) -> run(o, "--data", observedWith(d, "obs_std.csv", "").toString()),
        "obs.csv row", "obs_std.csv row", "needs a standard deviation");
    add("std without observation", (d, o) -> run(o, "--data", observedWith(d, "obs.csv", "").toString()),
        "obs_std.csv row", "leave both empty");
    add("observation in a forecast row", (d, o) -> {
      Path data = dataWith(d, "obs.csv", 14, 2, "3.5");
      List<String> s = new ArrayList<>(Files.readAllLines(data.resolve("obs_std.csv")));
      String[] f = s.get(13).split(",", -1);
      f[1] = "0.5";
      s.set(13, String.join(",", f));
      Files.write(data.resolve("obs_std.csv"), s);
      return run(o, "--data", data.toString());
    }, "obs.csv row 14, column 2", "forecast", "window.assimilated = 12");
    add("no observation in the window", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      String empty = ",".repeat(15) + "\n";
      Files.writeString(data.resolve("obs.csv"), empty.repeat(16));
      Files.writeString(data.resolve("obs_std.csv"), empty.repeat(16));
      return run(o, "--data", data.toString());
    }, "obs.csv", "no observation");
    // ---- issue 10 items 4, 10, 11, 12: non-regular files, symbolic links, encodings, blank lines, every row --
    add("a dataset file that is a named pipe (it used to block forever)", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.delete(data.resolve("obs.csv"));
      fifo(data.resolve("obs.csv"));
      return run(o, "--data", data.toString());
    }, "obs.csv", "not a regular file");
    add("truth.csv a named pipe", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.delete(data.resolve("truth.csv"));
      fifo(data.resolve("truth.csv"));
      return run(o, "--data", data.toString());
    }, "truth.csv", "not a regular file");
    add("the config file a named pipe", (d, o) -> {
      Path f = d.resolve("pipe.conf");
      fifo(f);
      return run(o, "--config", f.toString());
    }, "pipe.conf", "not a regular file");
    add("obs.csv a symbolic link loop", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.delete(data.resolve("obs.csv"));
      Files.createSymbolicLink(data.resolve("obs.csv"), data.resolve("obs.csv"));
      return run(o, "--data", data.toString());
    }, "obs.csv", "symbolic link", "loops");
    add("truth.csv a dangling symbolic link (not 'absent')", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.delete(data.resolve("truth.csv"));
      Files.createSymbolicLink(data.resolve("truth.csv"), d.resolve("gone.csv"));
      return run(o, "--data", data.toString());
    }, "truth.csv", "symbolic link", "does not exist");
    add("the dataset's own vi4dvar.conf a named pipe: one line (the note that it is read came first)", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      fifo(data.resolve("vi4dvar.conf"));
      return run(o, "--data", data.toString());
    }, "vi4dvar.conf", "not a regular file");
    add("the dataset's own vi4dvar.conf with an unknown key: one line", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.writeString(data.resolve("vi4dvar.conf"), "modle.nx = 16\n");
      return run(o, "--data", data.toString());
    }, "vi4dvar.conf", "'modle.nx'");
    add("truth.csv a directory", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.delete(data.resolve("truth.csv"));
      Files.createDirectory(data.resolve("truth.csv"));
      return run(o, "--data", data.toString());
    }, "truth.csv", "is a directory");
    add("the data directory a dangling symbolic link", (d, o) -> {
      Path link = Files.createSymbolicLink(d.resolve("data-link"), d.resolve("gone"));
      return run(o, "--data", link.toString());
    }, "data-link", "symbolic link", "does not exist");
    add("a file larger than the cap (sparse)", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(data.resolve("truth.csv").toFile(), "rw")) {
        f.setLength(600L * 1024 * 1024);
      }
      return run(o, "--data", data.toString());
    }, "truth.csv", "bytes, more than");
    add("obs.csv in UTF-16 with a byte-order mark", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      String text = Files.readString(data.resolve("obs.csv"));
      Files.write(data.resolve("obs.csv"), ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE));
      return run(o, "--data", data.toString());
    }, "obs.csv", "UTF-16", "expected UTF-8");
    add("background.csv in UTF-16 without a byte-order mark", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      String text = Files.readString(data.resolve("background.csv"));
      Files.write(data.resolve("background.csv"), text.getBytes(StandardCharsets.UTF_16LE));
      return run(o, "--data", data.toString());
    }, "background.csv", "NUL byte", "UTF-16", "expected UTF-8");
    add("obs_std.csv with a Latin-1 byte", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      byte[] b = Files.readAllBytes(data.resolve("obs_std.csv"));
      byte[] c = new byte[b.length + 1];
      int nl = 0;
      int at = 0;
      while (nl < 2) {
        if (b[at++] == '\n') {
          nl++;
        }
      }
      System.arraycopy(b, 0, c, 0, at);
      c[at] = (byte) 0xE9;
      System.arraycopy(b, at, c, at + 1, b.length - at);
      Files.write(data.resolve("obs_std.csv"), c);
      return run(o, "--data", data.toString());
    }, "obs_std.csv row 3", "not UTF-8");
    add("a blank line inside truth.csv", (d, o) -> run(o, "--data", dataEdit(d, "truth.csv", l -> {
      l.add(4, "");
      return l;
    }).toString()), "truth.csv row 5", "blank line");
    add("a blank line inside obs.csv", (d, o) -> run(o, "--data", dataEdit(d, "obs.csv", l -> {
      l.add(2, "   ");
      return l;
    }).toString()), "obs.csv row 3", "blank line", "15 commas");
    add("truth row 2 far outside the model's range (every row is checked)",
        (d, o) -> run(o, "--data", dataWith(d, "truth.csv", 2, 5, "1e200").toString()), "truth.csv row 2",
        "not finite");
    add("truth's last row far outside the model's range",
        (d, o) -> run(o, "--data", dataWith(d, "truth.csv", 16, 1, "-3e80").toString()), "truth.csv row 16",
        "not finite");
    add("background std whose prior draws all diverge (passed validation, then 'no trial was kept')",
        (d, o) -> run(o, "--data", dataWith(d, "background_std.csv", 1, 3, "1e149").toString()),
        "background_std.csv", "prior point", "1.0E149", "column 3");
    add("twin background noise whose prior draws all diverge", (d, o) -> set(o, "background.noise=[1e149,1e149]"),
        "background.noise", "prior point");
    // the re-audit of item 12 on the control's new blocks (η, parameters): they passed, then every trial diverged
    add("model_error_std.csv whose prior draws all diverge", (d, o) -> {
      Path data = TestData.copyTalk(d.resolve("data"));
      Files.writeString(data.resolve("model_error_std.csv"), (String.join(",", java.util.Collections.nCopies(16,
          "1e100")) + "\n").repeat(11));
      return run(o, "--data", data.toString());
    }, "model_error_std.csv", "prior point", "model-error standard deviations", "row 1, column 1");
    add("model.error-std whose prior draws all diverge (with --data)", (d, o) -> run(o, "--data",
        TestData.copyTalk(d.resolve("data")).toString(), "--set", "model.error-std=1e100"),
        "config key 'model.error-std'", "prior point");
    add("a twin whose truth diverges with its model error names model.error-std (it blamed model.forcing)",
        (d, o) -> set(o, "model.error-std=1e100"), "twin experiment", "model.error-std = 1.0E100");
    add("a twin whose truth diverges with twin.forcing names twin.forcing", (d, o) -> set(o, "twin.forcing=1e10"),
        "twin experiment", "twin.forcing = 1.0E10");
    add("a forcing prior whose draws all diverge", (d, o) -> run(o, "--set", "model.estimate=[forcing]", "--set",
        "model.forcing-prior=[8,1e100]"), "model.forcing-prior", "prior point", "parameter forcing");
    add("truth of the wrong shape", (d, o) -> run(o, "--data", dataEdit(d, "truth.csv", l -> l.subList(0, 12))
        .toString()), "truth.csv", "12 rows, expected 16");
    add("twin with no observation possible", (d, o) -> set(o, "window.assimilated=1"), "no observation",
        "window.assimilated");
  }

  /** Makes a named pipe at {@code f} (mkfifo). */
  private static void fifo(Path f) throws IOException {
    try {
      Process p = new ProcessBuilder("mkfifo", f.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException("mkfifo failed");
      }
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  /** A copy of the talk's data where the first observed point's field in {@code file} holds {@code value}. */
  private static Path observedWith(Path dir, String file, String value) throws IOException {
    Path d = TestData.copyTalk(dir.resolve("data"));
    List<String> obs = Files.readAllLines(d.resolve("obs.csv"));
    for (int r = 0; r < obs.size(); r++) {
      String[] f = obs.get(r).split(",", -1);
      for (int c = 0; c < f.length; c++) {
        if (!f[c].isBlank()) {
          List<String> lines = new ArrayList<>(Files.readAllLines(d.resolve(file)));
          String[] g = lines.get(r).split(",", -1);
          g[c] = value;
          lines.set(r, String.join(",", g));
          Files.write(d.resolve(file), lines);
          return d;
        }
      }
    }
    throw new IllegalStateException("no observation");
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputIsOneLineExitTwoAndLeavesNothing() {
    assertTrue(CASES.size() >= 25, "issue 7 asks for at least 25 cases");
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(Case c) throws IOException {
    Path dir = Files.createTempDirectory("vi4dvar-bad");
    try {
      Path out = dir.resolve("out");
      String[] args = c.setup().args(dir, out);
      boolean existedBefore = Files.exists(out);
      // a bad input must never block (a named pipe read to its end would, forever)
      Cli r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
          () -> Cli.run(args), c.name() + ": blocked");
      assertEquals(ExitCode.BAD_INPUT, r.code(), () -> c.name() + ": exit code; stderr: " + r.err());
      String[] lines = r.errLines();
      if (Boolean.getBoolean("vi4dvar.printErrors")) {
        System.out.println(c.name() + "  →  " + r.err().strip());
      }
      assertEquals(1, lines.length, () -> c.name() + ": stderr must be one line, got:\n" + r.err());
      assertTrue(lines[0].startsWith("vi4dvar: error: "), () -> c.name() + ": " + lines[0]);
      assertFalse(lines[0].contains("Exception"), () -> c.name() + ": no exception names: " + lines[0]);
      assertFalse(lines[0].contains("\tat "), () -> c.name() + ": no stack trace: " + lines[0]);
      for (String culprit : c.culprits()) {
        assertTrue(lines[0].toLowerCase(Locale.ROOT).contains(culprit.toLowerCase(Locale.ROOT)),
            () -> c.name() + ": message must name '" + culprit + "': " + lines[0]);
      }
      assertTrue(r.out().isEmpty(), () -> c.name() + ": nothing on stdout, got " + r.out());
      if (!existedBefore) {
        assertFalse(TestData.outputLeft(out), () -> c.name() + ": an output directory was left behind");
      }
    } finally {
      org.vi4dvar.driver.testing.Files2.deleteRecursively(dir);
    }
  }
}
