package org.vi4dvar.driver.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.vi4dvar.driver.config.CalibrationSettings;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.output.CalibrationWriter;
import org.vi4dvar.driver.testing.FolderSink;
import org.vi4dvar.kernels.calibrate.Calibration;
import org.vi4dvar.kernels.calibrate.CalibrationInputs;
import org.vi4dvar.kernels.calibrate.CalibrationStatistics;
import org.vi4dvar.kernels.calibrate.CalibrationSummary;
import org.vi4dvar.kernels.calibrate.TwinResult;
import org.vi4dvar.kernels.experiment.LocalParallel;

/**
 * A small but real output of {@code calibrate} without Spark: four twins of the talk's problem running MAP alone
 * at tiny sizes in this JVM, written by calibrate's own writer, with its report.
 */
final class SyntheticCalibration {

  private SyntheticCalibration() {
  }

  static void write(Path dir) throws IOException {
    CalibrationSettings cs = ConfigLoader.loadCalibration(null, List.of("methods=[map]", "psis.methods=[]",
        "calibrate.set.map.starts=1", "calibrate.set.abc.trials=1000", "calibrate.set.abc.keep=0.01",
        "calibrate.set.abc.block-size=1000", "calibrate.set.abc.prior-samples=0",
        "calibrate.set.posterior.samples=40", "calibrate.set.posterior.rank-bins=10",
        "calibrate.set.output.cov-times=[]", "calibrate.set.output.trajectory-samples=0"), w -> { });
    CalibrationInputs in = new CalibrationInputs(cs.twin().experiment(), cs.settings().seed(), 4, null);
    List<TwinResult> twins = Calibration.run(in, LocalParallel.sequential(), 4);
    CalibrationSummary c = CalibrationStatistics.of(twins, cs.twin().experiment().posterior().rankBins(),
        cs.calibrate().confidence());
    CalibrationWriter.write(new FolderSink(dir), cs, twins, c, new CalibrationWriter.RunFacts(Map.of(), 0.1, 4,
        1.0));
    CalibrationReport.build(dir, dir);
  }
}
