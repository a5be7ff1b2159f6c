package org.vi4dvar.kernels.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.model.Model;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.twin.Twin;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * J at the truth is J at the true control: a twin with model error keeps the η_t it drew and its forcing, and
 * {@link DataFacts}' {@code cost_at_truth} is J at (true x0, those η, F_true) — not at η = 0 and the prior mean of F,
 * which is what it was before (and what it still is where they are unknown).
 */
class TruthControlTest {

  private static final double F_TRUE = 8.5;

  @Test
  void costAtTruthIsJAtTheTrueControlTheTwinDrew() {
    Twin t = TwinExperiment.generate(TwinConfig.talk(5).withTruthForcing(F_TRUE).withModelError(0.05));
    FourDVarProblem p = t.problem().withEstimatedParameter("forcing", 8.0, 1.0);
    final int nx = p.nx();
    final int nAssim = p.nAssim();
    assertEquals(16 + 11 * 16 + 1, p.dimension());
    assertNotNull(t.modelError());
    assertEquals((nAssim - 1) * nx, t.modelError().length);
    assertEquals(List.of(F_TRUE), List.of(t.parameters()[0]));

    // the true control, rebuilt independently of the twin's η: η_t = truth_{t+1} − M(truth_t; F_true) over the window
    Model m = p.model().newModel();
    m.setParameter(0, F_TRUE);
    double[] c = new double[p.dimension()];
    System.arraycopy(t.truth(), 0, c, 0, nx);
    double[] next = new double[nx];
    double worstEta = 0;
    for (int tt = 0; tt + 1 < nAssim; tt++) {
      m.step(t.truth(), tt * nx, next, 0, null, 0);
      for (int i = 0; i < nx; i++) {
        double eta = t.truth()[(tt + 1) * nx + i] - next[i];
        c[p.control().etaStart(tt) + i] = eta;
        worstEta = Math.max(worstEta, Math.abs(eta - t.modelError()[tt * nx + i]));
      }
    }
    c[p.control().parameterOffset()] = F_TRUE;
    // the twin's η is the one its truth drew: equal to round-off of the truth's values (|x| ≲ 15, ulp ≈ 2e-15)
    assertTrue(worstEta < 1e-13, "the twin's η against the truth's increments: " + worstEta);

    Settings s = Settings.small();
    ExperimentInputs bare = new ExperimentInputs(p, t.truth(), s.build());
    ExperimentInputs in = bare.withControlTruth(t.modelError(), t.parameters());
    Map<String, Object> facts = DataFacts.compute(LocalParallel.sequential(), Shared.of(in));
    double expected = new FourDVarCost(p).cost(c);
    double got = (Double) facts.get("cost_at_truth");
    // c and the true control differ by the round-off of η above: J moves by |∇_η J|·1e-13, far below 1e-9 relative
    assertEquals(expected, got, 1e-9 * expected, "J at the true control");
    assertEquals("x0 of the truth, the model errors η_t it drew, its forcing", facts.get("cost_at_truth_control"));

    // without them: η = 0 and F at its prior mean, as before, and said so
    Map<String, Object> old = DataFacts.compute(LocalParallel.sequential(), Shared.of(bare));
    double[] c0 = p.control().centerVector();
    System.arraycopy(t.truth(), 0, c0, 0, nx);
    assertEquals(new FourDVarCost(p).cost(c0), (Double) old.get("cost_at_truth"), 0.0);
    assertTrue(((String) old.get("cost_at_truth_control")).contains("not known"), old.toString());
    // the prior terms differ by exactly the η and F ones, ½ Σ (η/q)² + ½ ((F_true − 8)/1)²: the same x0 in both
    double jq = 0.5 * 0.25;
    for (double e : t.modelError()) {
      jq += 0.5 * (e / 0.05) * (e / 0.05);
    }
    double priorTrue = (Double) facts.get("background_cost_at_truth");
    double priorZero = (Double) old.get("background_cost_at_truth");
    assertEquals(jq, priorTrue - priorZero, 1e-9 * priorTrue, "Jq + Jp at the true control");
    // and they are the η the twin drew from N(0, q²): 2 Jq ~ χ²(176), within 5 sd (√(2 · 176))
    assertEquals(176, 2 * (jq - 0.125), 5 * Math.sqrt(2 * 176.0));

    // strong constraint without parameters: the control is x0, nothing to say
    FourDVarProblem strong = t.problem().withModelError(null);
    assertNull(new ExperimentInputs(strong, t.truth(), s.build()).withControlTruth(t.modelError(), t.parameters())
        .truthControlSource());
    assertThrows(IllegalArgumentException.class, () -> bare.withControlTruth(new double[3], null));
    assertThrows(IllegalArgumentException.class, () -> new ExperimentInputs(p, null, s.build())
        .withControlTruth(t.modelError(), null));
  }
}
