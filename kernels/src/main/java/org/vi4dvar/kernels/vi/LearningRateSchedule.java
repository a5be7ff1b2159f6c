package org.vi4dvar.kernels.vi;

import java.util.Locale;

/**
 * The step size of the stochastic ELBO ascent at step k = 1, 2, …: a linear warm-up over the first
 * {@code warmup} steps, then
 * <pre>
 *   PLATEAU:   lr = lr0 · γ^j  at level j = 0 … J: the level rises each time the convergence test passes
 *              (the ELBO is flat at the current rate: the iterates are in their noise ball), and the run has
 *              converged when the test passes at level J                                         (default)
 *   INVERSE:   lr_k = lr0 / (1 + (k − warmup) / decay)                     (Robbins–Monro: Σ lr = ∞, lr → 0)
 *   COSINE:    lr_k = lrMin + ½ (lr0 − lrMin)(1 + cos(π min(1, (k − warmup) / (horizon − warmup))))
 *   CONSTANT:  lr_k = lr0                                                  (the talk's)
 *   warm-up:   lr_k = lr0 · k / warmup   for k ≤ warmup
 * </pre>
 * A constant step ends in a cloud of size ∝ lr around the optimum (issue 12: the talk's lr 0.01 left full-rank VI
 * 0.38 sd from the mean); a decaying one, with the iterate averaging of {@link VariationalInference}, converges.
 * <b>Why PLATEAU is the default:</b> a decay fixed in advance ({@code lr0/(1 + k/k0)}, cosine) is right for one
 * distance to travel only — started far (e.g. from a tenth of the prior's scale) it shrinks the step while the
 * mean is still travelling, the ELBO then changes by less than its noise per window and the convergence test
 * passes several posterior standard deviations from the optimum (measured: 0.25–0.5 sd on the linear-Gaussian
 * test problem with k0 = 200). Reducing the rate only when the ELBO has stopped improving at the current rate
 * ("reduce on plateau") adapts to the distance; at each level {@link VariationalInference} also re-expresses the
 * parameters relative to the current fit, so the rate is in units of the current posterior scale.
 * The warm-up keeps Adam's first steps — whose second-moment estimate rests on a few gradients — small.
 * Immutable; a plain final class (Kryo).
 */
public final class LearningRateSchedule implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The shape after the warm-up. */
  public enum Kind implements org.vi4dvar.kernels.config.ConfigChoice {
    /** {@code lr0 · γ^j}, the level j raised on each plateau of the ELBO, converged at level J. */
    PLATEAU,
    /** lr0 throughout (the talk's). */
    CONSTANT,
    /** {@code lr0 / (1 + (k − warmup)/decay)}. */
    INVERSE,
    /** Half a cosine from lr0 down to lrMin over the iteration limit. */
    COSINE;

    /** {@code plateau | constant | inverse | cosine}. */
    @Override
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@link #configName()}. */
    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.configName().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown learning-rate schedule '" + s
          + "' (expected plateau, inverse, cosine or constant)");
    }
  }

  /** The shape. */
  public final Kind kind;
  /** The peak rate lr0. */
  public final double rate;
  /** Warm-up steps (0 = none). */
  public final int warmup;
  /** INVERSE: the step count k0 over which the rate halves. */
  public final double decay;
  /** COSINE: the final rate. */
  public final double minRate;
  /** COSINE: the step at which lrMin is reached (the iteration limit). */
  public final int horizon;
  /** PLATEAU: the factor γ in (0, 1) of each reduction. */
  public final double factor;
  /** PLATEAU: the number J ≥ 0 of reductions before the convergence test may stop the run. */
  public final int levels;

  /** Validates every field; the message names the field. */
  public LearningRateSchedule(Kind kind, double rate, int warmup, double decay, double minRate, int horizon,
      double factor, int levels) {
    if (kind == null) {
      throw new IllegalArgumentException("schedule kind must be given");
    }
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw new IllegalArgumentException("learning rate must be finite and > 0, got " + rate);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up must be >= 0, got " + warmup);
    }
    if (!(decay > 0) || !Double.isFinite(decay)) {
      throw new IllegalArgumentException("decay must be finite and > 0, got " + decay);
    }
    if (!(minRate >= 0) || !(minRate <= rate)) {
      throw new IllegalArgumentException("minimum rate must be in [0, rate], got " + minRate);
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
    }
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("plateau factor must be in (0, 1), got " + factor);
    }
    if (levels < 0 || levels > 30) {
      throw new IllegalArgumentException("plateau levels must be in [0, 30], got " + levels);
    }
    this.kind = kind;
    this.rate = rate;
    this.warmup = warmup;
    this.decay = decay;
    this.minRate = minRate;
    this.horizon = horizon;
    this.factor = factor;
    this.levels = kind == Kind.PLATEAU ? levels : 0;
  }

  /** PLATEAU: lr0, warm-up, then lr0 γ^j for levels j = 0 … J. */
  public static LearningRateSchedule plateau(double rate, int warmup, double factor, int levels) {
    return new LearningRateSchedule(Kind.PLATEAU, rate, warmup, 1.0, 0.0, 1, factor, levels);
  }

  /** INVERSE with the given peak rate, warm-up and decay. */
  public static LearningRateSchedule inverse(double rate, int warmup, double decay) {
    return new LearningRateSchedule(Kind.INVERSE, rate, warmup, decay, 0.0, 1, 0.5, 0);
  }

  /** COSINE from rate to minRate over {@code horizon} steps, after the warm-up. */
  public static LearningRateSchedule cosine(double rate, int warmup, double minRate, int horizon) {
    return new LearningRateSchedule(Kind.COSINE, rate, warmup, 1.0, minRate, horizon, 0.5, 0);
  }

  /** CONSTANT (the talk's Adam), with an optional warm-up. */
  public static LearningRateSchedule constant(double rate, int warmup) {
    return new LearningRateSchedule(Kind.CONSTANT, rate, warmup, 1.0, 0.0, 1, 0.5, 0);
  }

  /** The rate of step k ≥ 1 at level 0. */
  public double rate(int k) {
    return rate(k, 0);
  }

  /** The rate of step k ≥ 1 (counted from the start of the run) at plateau level {@code level}. */
  public double rate(int k, int level) {
    if (k <= warmup) {
      return rate * k / warmup;
    }
    final int j = k - warmup;
    switch (kind) {
      case PLATEAU:
        return rate * Math.pow(factor, level);
      case INVERSE:
        return rate / (1.0 + j / decay);
      case COSINE:
        double x = horizon > warmup ? Math.min(1.0, (double) j / (horizon - warmup)) : 1.0;
        return minRate + 0.5 * (rate - minRate) * (1.0 + Math.cos(Math.PI * x));
      default:
        return rate;
    }
  }

  @Override
  public String toString() {
    switch (kind) {
      case PLATEAU:
        return "plateau(lr0=" + rate + ", warmup=" + warmup + ", factor=" + factor + ", levels=" + levels + ")";
      case INVERSE:
        return "inverse(lr0=" + rate + ", warmup=" + warmup + ", k0=" + decay + ")";
      case COSINE:
        return "cosine(lr0=" + rate + " -> " + minRate + ", warmup=" + warmup + ", horizon=" + horizon + ")";
      default:
        return "constant(lr=" + rate + ", warmup=" + warmup + ")";
    }
  }
}
