package org.vi4dvar.kernels.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Issue 15 §3: on a twin whose truth has model error, the weak-constraint posterior mean tracks the truth better
 * than the strong-constraint one (which must explain the truth's kicks by x0 alone).
 */
class WeakVsStrongTest {

  /** Model-error std of the twin (and of the weak-constraint Q): 0.1 per RK4 step, about 3 % of the state's std. */
  static final double Q = 0.1;

  static double[] rmse(Twin t, FourDVarProblem p, List<String> methods, Settings s) {
    s.methods = methods;
    ExperimentResult r = ExperimentRunner.run(new ExperimentInputs(p, t.truth(), s.build()),
        LocalParallel.threads(2), ExperimentListener.NONE, null);
    double[] out = new double[2 * methods.size()];
    for (int i = 0; i < methods.size(); i++) {
      MethodResult m = r.method(methods.get(i));
      out[2 * i] = m.available() ? m.summary().assim.rmse : Double.NaN;
      out[2 * i + 1] = m.available() ? m.summary().forecast.rmse : Double.NaN;
    }
    return out;
  }

  /**
   * MAP (+ Laplace) on three twins with model error: the weak-constraint RMSE over the assimilation window is
   * below the strong-constraint one on each. Measured (seeds 1, 2, 3): see BENCHMARKS.md.
   */
  @Test
  void weakConstraintMapTracksATruthWithModelErrorBetter() {
    for (long seed = 1; seed <= 3; seed++) {
      Twin t = TwinExperiment.generate(TwinConfig.talk(seed).withModelError(Q));
      FourDVarProblem weak = t.problem();
      FourDVarProblem strong = weak.withModelError(null);
      assertTrue(weak.weakConstraint() && !strong.weakConstraint());
      double w = rmse(t, weak, List.of("map"), Settings.small())[0];
      double s = rmse(t, strong, List.of("map"), Settings.small())[0];
      System.out.printf(Locale.ROOT, "seed %d: map rmse_a weak %.4f strong %.4f%n", seed, w, s);
      assertTrue(w < s, "seed " + seed + ": weak " + w + " vs strong " + s);
    }
  }

  /**
   * Every method, weak against strong, on the same twins (the figures of BENCHMARKS.md):
   * {@code mvn -B -q -o -pl kernels test -Dtest=WeakVsStrongTest -Dvi4dvar.bench=true}.
   */
  @Test
  @EnabledIfSystemProperty(named = "vi4dvar.bench", matches = "true")
  void everyMethodWeakAgainstStrong() {
    List<String> methods = List.of("abc", "map", "ensemble", "vi");
    for (long seed = 1; seed <= 3; seed++) {
      Twin t = TwinExperiment.generate(TwinConfig.talk(seed).withModelError(Q));
      long t0 = System.nanoTime();
      double[] w = rmse(t, t.problem(), methods, Settings.small());
      double tw = (System.nanoTime() - t0) * 1e-9;
      t0 = System.nanoTime();
      double[] s = rmse(t, t.problem().withModelError(null), methods, Settings.small());
      double ts = (System.nanoTime() - t0) * 1e-9;
      for (int i = 0; i < methods.size(); i++) {
        System.out.printf(Locale.ROOT, "| %d | %s | %.4f | %.4f | %.4f | %.4f |%n", seed, methods.get(i), w[2 * i],
            s[2 * i], w[2 * i + 1], s[2 * i + 1]);
      }
      System.out.printf(Locale.ROOT, "seed %d: weak %.1f s, strong %.1f s%n", seed, tw, ts);
    }
  }
}
