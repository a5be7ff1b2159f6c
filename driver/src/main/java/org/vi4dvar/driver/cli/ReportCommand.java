package org.vi4dvar.driver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.output.CalibrationWriter;
import org.vi4dvar.driver.report.CalibrationReport;
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
      description = "Grid points whose trajectories are drawn (default: 0, nx/2, nx-1); a run's report only.")
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
    Path cwd = Path.of("").toAbsolutePath().toRealPath();
    Path figures = real.resolve("figures");
    if (Files.isDirectory(figures, java.nio.file.LinkOption.NOFOLLOW_LINKS) && cwd.startsWith(figures)) {
      throw new BadInputException("report: the working directory is inside " + figures + ", which the report "
          + "replaces; run it from elsewhere");
    }
    Path summary = real.resolve("summary.json");
    Path calibration = real.resolve(CalibrationWriter.JSON);
    if (!Files.exists(summary, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        && Files.exists(calibration, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // the output of calibrate: its figures and calibration.html, all or nothing as for a run
      if (!Files.isRegularFile(calibration)) {
        throw new BadInputException("report: " + calibration + " is not a regular file (a directory, named pipe, "
            + "device, socket or broken symbolic link)");
      }
      if (coordinates != null) {
        throw new BadInputException("report: --coordinates selects the trajectories of a run's report; " + real
            + " is the output of calibrate, whose report has no trajectories: leave --coordinates out");
      }
      long t0 = System.nanoTime();
      try (ShutdownGuard guard = ShutdownGuard.install(ctx.err())) {
        CalibrationReport.build(real, real, guard::protect, ctx::progress);
      } catch (Report.BadRequest e) {
        throw new BadInputException("report: " + e.getMessage(), e);
      }
      ctx.progress(String.format(Locale.ROOT, "wrote %s and %s in %.2f s", figures,
          real.resolve(CalibrationWriter.HTML), (System.nanoTime() - t0) * 1e-9));
      return ExitCode.OK;
    }
    if (!Files.exists(summary)) {
      throw new BadInputException("report: '" + dir + "' has no summary.json (expected the output directory of "
          + "'run' or 'calibrate')");
    }
    if (!Files.isRegularFile(summary)) {
      throw new BadInputException("report: " + summary + " is not a regular file (a directory, named pipe, device "
          + "or socket)");
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
