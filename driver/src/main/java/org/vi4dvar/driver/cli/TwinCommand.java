package org.vi4dvar.driver.cli;

import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Dataset;
import org.vi4dvar.driver.io.DatasetFiles;
import org.vi4dvar.driver.io.DatasetWriter;
import org.vi4dvar.driver.io.OutputDirectory;
import picocli.CommandLine.Command;

/** {@code vi4dvar twin}: writes the twin experiment of the configuration as a dataset directory. */
@Command(name = "twin", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = Version.class,
    description = {"Generate the twin experiment of the configuration (truth, observations, background) and "
        + "write it as a dataset directory that 'run --data' reads: obs.csv, obs_std.csv, background.csv, "
        + "background_std.csv, truth.csv (with model error also model_error_std.csv and the truth's model errors "
        + "model_error_truth.csv; with twin.forcing or model.estimate the truth's F, parameters_truth.csv), plus "
        + "vi4dvar.conf (the effective configuration, for provenance).",
        "'twin' then 'run --data' gives the same result as 'run' with the same configuration."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the command failed", "2:bad input (command line, configuration, --out)",
        "130:interrupted (Ctrl-C)", "143:terminated (SIGTERM)"})
public final class TwinCommand extends ExperimentCommand {

  TwinCommand(CommandContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() throws Exception {
    OutputDirectory dir = output(config);
    Vi4dvarSettings s = settings();
    Dataset d = Dataset.twin(s.experiment());
    try (ShutdownGuard guard = ShutdownGuard.install(ctx.err()); OutputDirectory o = dir) {
      o.open(ctx::progress);
      guard.protect(o);
      DatasetWriter.write(o, "", d.problem(), d.truth(), d.modelErrorTruth(), d.parameterTruth());
      o.writeString(DatasetFiles.CONFIG, "# vi4dvar twin: the effective configuration of this dataset\n"
          + ConfigLoader.renderHocon(s));
      o.commit();
    }
    ctx.progress("wrote the twin experiment (seed " + s.seed() + ": " + d.problem().nStates() + " states, "
        + d.problem().nAssim() + " assimilated, nx " + d.problem().nx() + ", " + d.problem().nObs()
        + " observations) to " + dir.location());
    return ExitCode.OK;
  }
}
