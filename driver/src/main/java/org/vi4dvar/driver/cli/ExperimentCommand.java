package org.vi4dvar.driver.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
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
      description = "Replace an existing non-empty --out directory (only once the new one is complete).")
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
   * @param inputs what the command reads (data directory, config file), which {@code --out} must not contain
   */
  OutputDirectory output(Path... inputs) {
    return OutputDirectory.check(out, overwrite, SparkSetup.hadoopProperties(), inputs);
  }

  /** Loads the layered configuration (exit 2 on any mistake). */
  Vi4dvarSettings settings() {
    return ConfigLoader.load(config, sets);
  }

  /** Whether --stacktrace was given. */
  boolean stacktrace() {
    return stacktrace;
  }
}
