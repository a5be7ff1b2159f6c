package org.vi4dvar.driver.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.testing.TestData;
import org.vi4dvar.kernels.model.Lorenz96Spec;
import org.vi4dvar.kernels.testing.TalkData;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

class DatasetRoundTripTest {

  @TempDir
  Path tmp;

  @Test
  void talkDatasetReadsWith91ObservationsAndTheCostOfItsReadme() {
    Dataset d = DatasetReader.read(TestData.talkDir(), ConfigLoader.defaults().experiment());
    FourDVarProblem p = d.problem();
    assertEquals(91, p.nObs());
    assertEquals(16, p.nStates());
    assertEquals(12, p.nAssim());
    assertTrue(d.hasTruth());
    double j = new FourDVarCost(p).cost(java.util.Arrays.copyOf(d.truth(), 16));
    assertEquals(49.13, j, 0.05, "J at the truth, README of conf/data/l96-talk");
    // the kernel's minimal test reader agrees exactly
    Twin ref = TalkData.load();
    assertProblemsIdentical(ref.problem(), p);
    assertArrayEquals(ref.truth(), d.truth());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "model.nx=24,obs.pooling=3,obs.nonlinearity=cube,seed=5",
      "window.states=9,window.assimilated=9,obs.nonlinearity=tanh,obs.time-stride=2,seed=99",
      "obs.drop=0,model.forcing=10.5,model.dt=0.05,obs.nonlinearity=identity",
      // one observed point per state (ny = 1): an unobserved row is an empty line, forecast rows too
      "obs.pooling=16,obs.drop=0.3,seed=3",
      // issues 12 and 15: correlated B (background_cov.csv), model error (model_error_std.csv), estimated F
      "background.correlation.model=soar,background.correlation.length=2,seed=7",
      "model.error-std=0.05,twin.forcing=8.5,model.estimate=[forcing],seed=8",
      "background.correlation.model=gaussian,background.correlation.length=1.5,model.error-std=0.02,seed=9"})
  void twinWrittenAndReadBackIsIdentical(String sets) throws IOException {
    List<String> s = sets.isEmpty() ? List.of() : List.of(sets.split(","));
    Vi4dvarSettings cfg = ConfigLoader.load(null, s);
    Dataset twin = Dataset.twin(cfg.experiment());
    Path dir = tmp.resolve("twin");
    try (OutputDirectory o = OutputDirectory.check(dir, false)) {
      o.open();
      DatasetWriter.write(o, twin.problem(), twin.truth());
      o.commit();
    }
    boolean dense = !twin.problem().background().diagonal();
    assertEquals(dense, Files.exists(dir.resolve(DatasetFiles.BACKGROUND_COV)));
    assertEquals(!dense, Files.exists(dir.resolve(DatasetFiles.BACKGROUND_STD)));
    assertEquals(twin.problem().weakConstraint(), Files.exists(dir.resolve(DatasetFiles.MODEL_ERROR_STD)));
    Dataset back = DatasetReader.read(dir, cfg.experiment());
    assertProblemsIdentical(twin.problem(), back.problem());
    assertArrayEquals(twin.truth(), back.truth());
    FourDVarCost a = new FourDVarCost(twin.problem());
    FourDVarCost b = new FourDVarCost(back.problem());
    double[] c = twin.problem().control().centerVector();
    if (!dense) {
      assertEquals(Double.doubleToLongBits(a.cost(c)), Double.doubleToLongBits(b.cost(c)));
    } else {
      // the file holds B = U Uᵀ; the reader factorises it again: the same U to round-off (Cholesky is backward
      // stable: relative error ~ nx·u·cond(B) ≈ 16 × 1e-16 × 1e2 for SOAR/Gaussian at these lengths)
      double[] ua = twin.problem().background().denseMatrix();
      double[] ub = back.problem().background().denseMatrix();
      for (int k = 0; k < ua.length; k++) {
        assertEquals(ua[k], ub[k], 1e-12 * twin.problem().bStd(0) * 10, "B½ entry " + k);
      }
      double[] x = c.clone();
      for (int i = 0; i < twin.problem().nx(); i++) {
        x[i] += 0.5 * twin.problem().bStd(i) * ((i % 3) - 1);
      }
      assertEquals(a.cost(x), b.cost(x), 1e-10 * a.cost(x));
    }
  }

  /**
   * Issue 12 §1: a dataset with background_cov.csv = diag(std²) instead of background_std.csv gives the same
   * problem (the dense B½ is diag σ exactly: √(σ²) = σ in IEEE arithmetic) and the same results of every method.
   */
  @Test
  void aDiagonalCovarianceFileGivesTheResultsOfTheStdFile() throws IOException {
    Path d = TestData.copyTalk(tmp.resolve("cov"));
    String[] sd = Files.readAllLines(d.resolve(DatasetFiles.BACKGROUND_STD)).get(0).split(",");
    int n = sd.length;
    StringBuilder cov = new StringBuilder();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = Double.parseDouble(sd[i].strip());
        cov.append(j > 0 ? "," : "").append(i == j ? Double.toString(v * v) : "0");
      }
      cov.append('\n');
    }
    Files.delete(d.resolve(DatasetFiles.BACKGROUND_STD));
    Files.writeString(d.resolve(DatasetFiles.BACKGROUND_COV), cov.toString());
    Vi4dvarSettings cfg = ConfigLoader.load(null, List.of("abc.trials=20000", "abc.keep=0.005",
        "ensemble.members=8", "vi.iterations=1000", "vi.restarts=2", "map.starts=4", "posterior.samples=200"));
    Dataset std = DatasetReader.read(TestData.talkDir(), cfg.experiment());
    Dataset dense = DatasetReader.read(d, cfg.experiment());
    assertTrue(std.problem().background().diagonal());
    assertTrue(!dense.problem().background().diagonal());
    double[] u = dense.problem().background().denseMatrix();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(i == j ? std.problem().bStd(i) : 0.0, u[i * n + j], 0.0, "B½ = diag σ exactly");
      }
    }
    var runs = new org.vi4dvar.kernels.experiment.ExperimentResult[2];
    Dataset[] ds = {std, dense};
    for (int k = 0; k < 2; k++) {
      runs[k] = org.vi4dvar.kernels.experiment.ExperimentRunner.run(
          new org.vi4dvar.kernels.experiment.ExperimentInputs(ds[k].problem(), ds[k].truth(), cfg.experiment()),
          org.vi4dvar.kernels.experiment.LocalParallel.threads(2),
          org.vi4dvar.kernels.experiment.ExperimentListener.NONE, null);
    }
    double worst = 0;
    for (int m = 0; m < runs[0].methods.size(); m++) {
      var a = runs[0].methods.get(m);
      var b = runs[1].methods.get(m);
      assertEquals(a.name, b.name);
      assertTrue(a.available() && b.available(), a.name);
      for (int k = 0; k < a.summary().mean.length; k++) {
        double scale = 1e-9 * (1 + Math.abs(a.summary().mean[k]));
        worst = Math.max(worst, Math.abs(a.summary().mean[k] - b.summary().mean[k]));
        assertEquals(a.summary().mean[k], b.summary().mean[k], scale, a.name + " mean " + k);
        assertEquals(a.summary().std[k], b.summary().std[k], scale, a.name + " std " + k);
      }
    }
    System.out.println("diagonal cov file vs std file: largest difference of a posterior mean " + worst);
  }

  @Test
  void datasetWithoutTruthReads() throws IOException {
    Path d = TestData.copyTalk(tmp.resolve("d"));
    Files.delete(d.resolve("truth.csv"));
    Dataset ds = DatasetReader.read(d, ConfigLoader.defaults().experiment());
    assertNull(ds.truth());
    assertEquals(91, ds.problem().nObs());
  }

  @Test
  void toleratesCrLfBomSpacesAndTrailingBlankLines() throws IOException {
    Path d = TestData.copyTalk(tmp.resolve("d"));
    for (String f : TestData.FILES) {
      List<String> lines = Files.readAllLines(d.resolve(f));
      StringBuilder b = new StringBuilder("\uFEFF");
      for (String l : lines) {
        b.append(l.replace(",", " , ")).append("\r\n");
      }
      b.append("\r\n\n");
      Files.writeString(d.resolve(f), b.toString(), StandardCharsets.UTF_8);
    }
    Dataset ds = DatasetReader.read(d, ConfigLoader.defaults().experiment());
    assertProblemsIdentical(DatasetReader.read(TestData.talkDir(), ConfigLoader.defaults().experiment()).problem(),
        ds.problem());
  }

  @Test
  void strictNumbersOnly() throws IOException {
    for (String bad : new String[] {"0x1p3", "1d", "1f", "1_000", "1.0.0", "e5", "--1", "1e", "\"1\""}) {
      Path d = TestData.copyTalk(tmp.resolve("d" + Math.abs(bad.hashCode())));
      List<String> lines = Files.readAllLines(d.resolve("background.csv"));
      Files.writeString(d.resolve("background.csv"), lines.get(0).replaceFirst("^[^,]*", bad) + "\n");
      BadInputException e = assertThrows(BadInputException.class,
          () -> DatasetReader.read(d, ConfigLoader.defaults().experiment()), bad);
      assertTrue(e.getMessage().contains("background.csv row 1, column 1"), e.getMessage());
    }
  }

  static void assertProblemsIdentical(FourDVarProblem a, FourDVarProblem b) {
    assertEquals(a.nx(), b.nx());
    assertEquals(a.ny(), b.ny());
    assertEquals(a.nStates(), b.nStates());
    assertEquals(a.nAssim(), b.nAssim());
    assertEquals(a.nObs(), b.nObs());
    assertEquals(a.obs().pooling(), b.obs().pooling());
    assertEquals(a.obs().nonlinearity(), b.obs().nonlinearity());
    Lorenz96Spec ma = (Lorenz96Spec) a.model();
    Lorenz96Spec mb = (Lorenz96Spec) b.model();
    assertEquals(ma.forcing(), mb.forcing());
    assertEquals(ma.dt(), mb.dt());
    // assertArrayEquals on double[] compares bit patterns (doubleToLongBits): exact, NaN = NaN
    assertArrayEquals(a.xb(), b.xb());
    assertArrayEquals(a.bStd(), b.bStd());
    assertArrayEquals(a.y(), b.y());
    assertArrayEquals(a.obsStd(), b.obsStd());
    assertEquals(a.dimension(), b.dimension());
    assertEquals(a.background().diagonal(), b.background().diagonal());
    assertArrayEquals(a.modelErrorStd(), b.modelErrorStd());
    assertArrayEquals(a.estimatedParameters(), b.estimatedParameters());
  }

  @Test
  void aUtf8ByteOrderMarkIsSkipped() throws IOException {
    Path d = TestData.copyTalk(tmp.resolve("bom"));
    for (String f : TestData.FILES) {
      byte[] b = Files.readAllBytes(d.resolve(f));
      byte[] c = new byte[b.length + 3];
      c[0] = (byte) 0xEF;
      c[1] = (byte) 0xBB;
      c[2] = (byte) 0xBF;
      System.arraycopy(b, 0, c, 3, b.length);
      Files.write(d.resolve(f), c);
    }
    Dataset withBom = DatasetReader.read(d, ConfigLoader.defaults().experiment());
    assertProblemsIdentical(DatasetReader.read(TestData.talkDir(), ConfigLoader.defaults().experiment()).problem(),
        withBom.problem());
  }
}
