package org.vi4dvar.kernels.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vi4dvar.kernels.model.ModelSpec;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * {@code model.*}: Lorenz96 integrated by RK4, its model error and the parameters estimated with the state.
 *
 * <p>Weak constraint (issue 15): {@code x_{t+1} = M(x_t; F) + η_t}, {@code η_t ~ N(0, Q)},
 * {@code Q = diag(q_i²)} over the assimilation window ({@code t = 0 … T−2}); the control becomes
 * {@code c = (x0, η_0 … η_{T−2}, F)} (the control-variable formulation, not the state one). A dataset's
 * {@code model_error_std.csv} ({@code (T−1) × nx}), when present, replaces {@link #errorStd}.
 *
 * @param nx grid points ({@code model.nx}, {@code >= 4})
 * @param forcing the forcing F ({@code model.forcing}, finite): the model's F, or the prior mean's default
 * @param dt the RK4 step ({@code model.dt}, finite and {@code > 0})
 * @param errorStd model-error std q ({@code model.error-std}): empty or all zero = strong constraint, one value
 *     (every component) or nx values (per component); each finite and {@code >= 0}
 * @param estimate model parameters estimated with the state ({@code model.estimate}, names of
 *     {@link ModelSpec#parameterNames()}: {@code forcing}); no repeats
 * @param forcingPriorMean prior mean of F when estimated ({@code model.forcing-prior[0]}, finite)
 * @param forcingPriorStd prior std of F when estimated ({@code model.forcing-prior[1]}, finite and {@code > 0})
 */
public record ModelSettings(int nx, double forcing, double dt, List<Double> errorStd, List<String> estimate,
    double forcingPriorMean, double forcingPriorStd) implements Serializable {

  /**
   * Largest accepted nx. Every method's memory is estimated before a run and a run that cannot fit is refused
   * with the knob to turn; MAP+Laplace (a dense Hessian) fits to a few thousand, ABC, the ensemble and mean-field
   * VI to this limit with a heap of several GB.
   */
  public static final int MAX_NX = 65_536;

  /** Strong constraint, no parameter estimated (the settings before issue 15). */
  public ModelSettings(int nx, double forcing, double dt) {
    this(nx, forcing, dt, List.of(), List.of(), forcing, 1.0);
  }

  /** Validates every field. */
  public ModelSettings {
    Require.atLeast("model.nx", nx, 4);
    Require.atMost("model.nx", nx, MAX_NX);
    Require.finite("model.forcing", forcing);
    Require.positive("model.dt", dt);
    Require.notNull("model.error-std", errorStd);
    if (errorStd.size() > 1 && errorStd.size() != nx) {
      throw new ConfigError("model.error-std", "must be one number or a list of model.nx = " + nx
          + " numbers, got a list of " + errorStd.size());
    }
    for (int i = 0; i < errorStd.size(); i++) {
      Double q = errorStd.get(i);
      if (q == null || !(q >= 0) || !Double.isFinite(q)) {
        throw new ConfigError("model.error-std", "must hold finite numbers >= 0 (0 = no model error), got " + q
            + (errorStd.size() > 1 ? " at position " + (i + 1) : ""));
      }
    }
    // no positive value = strong constraint, one representation (so that `error-std = 0` equals the default)
    boolean any = false;
    for (double q : errorStd) {
      any |= q > 0;
    }
    errorStd = any ? List.copyOf(errorStd) : List.of();
    Require.notNull("model.estimate", estimate);
    List<String> known = List.of(ModelSpec.lorenz96(nx, forcing, dt).parameterNames());
    List<String> seen = new ArrayList<>();
    for (String name : estimate) {
      if (name == null || !known.contains(name)) {
        throw new ConfigError("model.estimate", "names the unknown model parameter '" + name + "' (known: "
            + String.join(", ", known) + ")");
      }
      if (seen.contains(name)) {
        throw new ConfigError("model.estimate", "names '" + name + "' twice");
      }
      seen.add(name);
    }
    estimate = List.copyOf(estimate);
    Require.finite("model.forcing-prior", forcingPriorMean);
    if (!(forcingPriorStd > 0) || !Double.isFinite(forcingPriorStd)) {
      throw new ConfigError("model.forcing-prior", "is [mean, std]: std must be a finite number > 0, got "
          + forcingPriorStd);
    }
  }

  /** Whether the settings ask for model error (some q &gt; 0). */
  public boolean hasModelError() {
    for (double q : errorStd) {
      if (q > 0) {
        return true;
      }
    }
    return false;
  }

  /** {@link #errorStd} as an array (empty when none). */
  public double[] errorStdArray() {
    double[] q = new double[errorStd.size()];
    for (int i = 0; i < q.length; i++) {
      q[i] = errorStd.get(i);
    }
    return q;
  }

  /**
   * The problem with this section's estimated parameters added to its control, each with its Gaussian prior
   * ({@code forcing ~ N(forcingPriorMean, forcingPriorStd²)}); the problem itself when none is estimated. The
   * model error is the dataset's or the twin's (see {@link FourDVarProblem#withModelError}), not set here.
   */
  public FourDVarProblem withEstimatedParameters(FourDVarProblem p) {
    FourDVarProblem out = p;
    for (String name : estimate) {
      if (name.equals(org.vi4dvar.kernels.model.Lorenz96.FORCING)) {
        out = out.withEstimatedParameter(name, forcingPriorMean, forcingPriorStd);
      } else {
        throw new ConfigError("model.estimate", "has no prior for '" + name + "'");
      }
    }
    return out;
  }

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nx", nx);
    m.put("forcing", forcing);
    m.put("dt", dt);
    m.put("error-std", errorStd.size() == 1 ? errorStd.get(0) : errorStd.isEmpty() ? 0.0 : errorStd);
    m.put("estimate", estimate);
    m.put("forcing-prior", List.of(forcingPriorMean, forcingPriorStd));
    return m;
  }
}
