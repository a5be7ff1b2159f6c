package org.vi4dvar.driver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vi4dvar report DIR}: redraws the figures and report.html of an existing run, without Spark. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
    description = {"Draw the figures (DIR/figures/*.png) and the self-contained page DIR/report.html from the "
        + "output directory of a 'run' (summary.json and the per-method CSVs), without rerunning the estimators; "
        + "for the output of 'calibrate', DIR/calibration.html from calibration.json and twins.csv.",
        "Figures that cannot be drawn from what DIR holds are listed in the report instead. DIR/figures/ and "
        + "DIR/report.html are replaced all or nothing: the new ones are drawn aside and swapped in at the end."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the report failed (the old figures and report.html are kept)",
        "2:bad input (DIR missing or not the output of run or calibrate, --coordinates outside the state)",
        "130:interrupted (Ctrl-C)", "143:terminated (SIGTERM); the old figures and report.html are kept"})
public final class ReportCommand implements Callable<Integer> {

  private final CommandContext ctx;

  @Parameters(index = "0", paramLabel = "DIR", description = "The output directory of a run.")
  Path dir;

  @Option(names = "--coordinates", paramLabel = "I", split = ",",
      description = "Grid points whose trajectories are drawn (default: 0, nx/2, nx-1).")
  List<Integer> coordinates;

  ReportCommand(CommandContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("report: '" + dir + "' is not a directory");
    }
    // the real directory: the figures are replaced there, whatever symbolic links lead to it
    Path real = dir.toRealPath();
    if (Files.isRegularFile(real.resolve(org.vi4dvar.driver.output.CalibrationWriter.JSON))
        && !Files.isRegularFile(real.resolve("summary.json"))) {
      // the output of calibrate: its figures and calibration.html
      long t0 = System.nanoTime();
      org.vi4dvar.driver.report.CalibrationReport.build(real);
      ctx.progress(String.format(Locale.ROOT, "wrote %s and %s in %.2f s", real.resolve("figures"),
          real.resolve(org.vi4dvar.driver.output.CalibrationWriter.HTML), (System.nanoTime() - t0) * 1e-9));
      return ExitCode.OK;
    }
    Path summary = real.resolve("summary.json");
    if (!Files.exists(summary)) {
      throw new BadInputException("report: '" + dir + "' has no summary.json (expected the output directory of "
          + "'run')");
    }
    if (!Files.isRegularFile(summary)) {
      throw new BadInputException("report: " + summary + " is not a regular file (a directory, named pipe, device "
          + "or socket)");
    }
    Path cwd = Path.of("").toAbsolutePath().toRealPath();
    Path figures = real.resolve("figures");
    if (Files.isDirectory(figures, java.nio.file.LinkOption.NOFOLLOW_LINKS) && cwd.startsWith(figures)) {
      throw new BadInputException("report: the working directory is inside " + figures + ", which the report "
          + "replaces; run it from elsewhere");
    }
    if (coordinates != null) {
      for (int c : coordinates) {
        if (c < 0) {
          throw new BadInputException("--coordinates: grid points are >= 0, got " + c);
        }
      }
    }
    long t0 = System.nanoTime();
    try (ShutdownGuard guard = ShutdownGuard.install(ctx.err())) {
      Report.build(real, coordinates == null ? List.of() : coordinates, real, guard::protect, ctx::progress);
    } catch (Report.BadRequest e) {
      throw new BadInputException("report: " + e.getMessage(), e);
    }
    ctx.progress(String.format(Locale.ROOT, "wrote %s and %s in %.2f s", real.resolve("figures"),
        real.resolve("report.html"), (System.nanoTime() - t0) * 1e-9));
    return ExitCode.OK;
  }
}
