package org.vi4dvar.driver.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Dataset;
import org.vi4dvar.driver.io.DatasetFiles;
import org.vi4dvar.driver.io.DatasetReader;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.spark.SparkSetup;
import picocli.CommandLine.Option;

/** The options of every command that reads a configuration and writes an output directory. */
abstract class ExperimentCommand implements Callable<Integer> {

  protected final CommandContext ctx;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory (required): a local path, or a Hadoop file-system URI (file:///..., "
          + "hdfs://..., s3a://... with hadoop-aws). Written as a whole or not at all: a hidden temporary sibling "
          + "directory is renamed into place on success. Must not exist or be empty, unless --overwrite.")
  String out;

  @Option(names = "--config", paramLabel = "FILE",
      description = "HOCON configuration file layered over the built-in defaults (the talk's experiment), "
          + "e.g. conf/talk-l96.conf. Every key is documented in vi4dvar-defaults.conf.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Set one configuration key over --config (repeatable; later ones win); the value is "
          + "HOCON, e.g. --set model.nx=40 --set obs.noise=[0.05,0.1] --set vi.family=fullrank.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--overwrite",
      description = "Replace an existing non-empty --out directory that is an earlier output of vi4dvar (it has "
          + "summary.json or vi4dvar.conf), only once the new one is complete; any other directory is refused.")
  boolean overwrite;

  @Option(names = "--stacktrace",
      description = "On an unexpected failure (exit code 1), also print the stack trace.")
  boolean stacktrace;

  ExperimentCommand(CommandContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Checks {@code --out} against the inputs (exit 2 on any mistake; nothing is created).
   *
   * @param inputs what the command reads (data directory, config file, reference directory), which {@code --out}
   *     must not contain; the files that {@code --config} includes are added here
   */
  OutputDirectory output(Path... inputs) {
    List<Path> all = new ArrayList<>(java.util.Arrays.asList(inputs));
    all.addAll(ConfigLoader.includedFiles(config));
    return OutputDirectory.check(out, overwrite, SparkSetup.hadoopProperties(), all.toArray(new Path[0]));
  }

  /** Loads the layered configuration (exit 2 on any mistake). */
  Vi4dvarSettings settings() {
    return ConfigLoader.load(config, sets, ctx::progress);
  }

  /**
   * The layered configuration of a command that reads the dataset {@code data} (or null): without
   * {@code --config}, a dataset directory's own {@code vi4dvar.conf} (written by {@code twin}: the configuration
   * that made it) takes the place of {@code --config}, and a line on stderr says so.
   */
  Vi4dvarSettings settings(Path data) {
    Path own = data == null ? null : data.resolve(DatasetFiles.CONFIG);
    if (config == null && own != null && Files.exists(own, LinkOption.NOFOLLOW_LINKS)) {
      // said once it is read: a bad file is one line of its own, naming it
      Vi4dvarSettings s = ConfigLoader.load(own, sets, ctx::progress);
      ctx.progress("reading the dataset's own configuration " + own + " (written with it by 'twin'; --config "
          + "replaces it)");
      return s;
    }
    return settings();
  }

  /**
   * Reads the dataset {@code data} for {@code s}; when its shape does not fit and the dataset's own
   * {@code vi4dvar.conf} (which {@code --config} replaced) has another shape, the message says so.
   */
  Dataset readData(Path data, Vi4dvarSettings s) {
    try {
      return DatasetReader.read(data, s.experiment());
    } catch (BadInputException e) {
      Path own = data.resolve(DatasetFiles.CONFIG);
      if (config == null || !Files.isRegularFile(own)) {
        throw e;
      }
      Vi4dvarSettings o;
      try {
        o = ConfigLoader.load(own, List.of());
      } catch (BadInputException unreadable) {
        throw e;
      }
      List<String> differ = new ArrayList<>();
      differ(differ, "model.nx", o.experiment().model().nx(), s.experiment().model().nx());
      differ(differ, "obs.pooling", o.experiment().obs().pooling(), s.experiment().obs().pooling());
      differ(differ, "window.states", o.experiment().window().states(), s.experiment().window().states());
      differ(differ, "window.assimilated", o.experiment().window().assimilated(), s.experiment().window().assimilated());
      if (differ.isEmpty()) {
        throw e;
      }
      throw new BadInputException(e.getMessage() + "; the dataset was written with " + String.join(", ", differ)
          + " (" + own + "; this run uses --config " + config + ")", e);
    }
  }

  private static void differ(List<String> out, String key, int dataset, int run) {
    if (dataset != run) {
      out.add(key + " = " + dataset + " (not " + run + ")");
    }
  }

  /** Whether --stacktrace was given. */
  boolean stacktrace() {
    return stacktrace;
  }
}
