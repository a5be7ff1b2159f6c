package org.vi4dvar.kernels.vi;

import org.vi4dvar.kernels.flow.CouplingFlow;

/**
 * Settings of {@link VariationalInference}; immutable, validated (the message names the field by its proposed
 * configuration key), a plain final class (Kryo). Built with {@link #builder(long)}; {@link #defaults(long)} are
 * the values below, chosen so that both Gaussian families converge — stop reason {@code converged} — on the
 * talk's data and on linear-Gaussian problems without tuning (see {@code VariationalInferenceTest}):
 * <table>
 *   <caption>fields, proposed keys and defaults</caption>
 *   <tr><th>field</th><th>key</th><th>default</th></tr>
 *   <tr><td>{@link #family}</td><td>{@code vi.family}</td><td>fullrank</td></tr>
 *   <tr><td>{@link #samplesPerStep}</td><td>{@code vi.samples-per-step}</td><td>{@value #DEFAULT_SAMPLES}</td></tr>
 *   <tr><td>{@link #maxIterations}</td><td>{@code vi.iterations}</td><td>{@value #DEFAULT_ITERATIONS}</td></tr>
 *   <tr><td>{@link #finalSamples}</td><td>{@code vi.elbo-samples}</td><td>{@value #DEFAULT_FINAL_SAMPLES}</td></tr>
 *   <tr><td>{@link #schedule}</td><td>{@code vi.lr}, {@code vi.schedule} (plateau | inverse | cosine |
 *       constant), {@code vi.warmup}, {@code vi.plateau.factor}, {@code vi.plateau.levels}, {@code vi.decay}
 *       (inverse), {@code vi.lr-min} (cosine)</td><td>plateau, lr0 {@value #DEFAULT_RATE}, warm-up
 *       {@value #DEFAULT_WARMUP}, γ {@value #DEFAULT_FACTOR}, J {@value #DEFAULT_LEVELS}</td></tr>
 *   <tr><td>{@link #window}</td><td>{@code vi.window}</td><td>{@value #DEFAULT_WINDOW}</td></tr>
 *   <tr><td>{@link #average}</td><td>{@code vi.average}</td><td>true</td></tr>
 *   <tr><td>{@link #averageWindows}</td><td>{@code vi.average-windows}</td><td>{@value #DEFAULT_AVERAGE_WINDOWS}</td></tr>
 *   <tr><td>{@link #estimator}</td><td>{@code vi.estimator} (path | total)</td><td>path</td></tr>
 *   <tr><td>{@link #antithetic}</td><td>{@code vi.antithetic}</td><td>true</td></tr>
 *   <tr><td>{@link #jitter}</td><td>{@code vi.jitter}</td><td>0</td></tr>
 *   <tr><td>{@link #flowLayers}</td><td>{@code vi.flow.layers}</td><td>{@value #DEFAULT_FLOW_LAYERS}</td></tr>
 *   <tr><td>{@link #flowHidden}</td><td>{@code vi.flow.hidden}</td><td>{@value #DEFAULT_FLOW_HIDDEN}</td></tr>
 *   <tr><td>{@link #flowSchedule}</td><td>{@code vi.flow.lr}, {@code vi.flow.warmup}</td><td>plateau, lr0
 *       {@value #DEFAULT_FLOW_RATE}, warm-up {@value #DEFAULT_FLOW_WARMUP}, γ and J as above</td></tr>
 *   <tr><td>{@link #flowWindow}</td><td>{@code vi.flow.window}</td><td>{@value #DEFAULT_FLOW_WINDOW}</td></tr>
 *   <tr><td>{@link #mixtureComponents}</td><td>{@code vi.mixture.components}</td><td>2</td></tr>
 *   <tr><td>{@link #mixtureFamily}</td><td>{@code vi.mixture.family} (meanfield | fullrank)</td><td>fullrank</td></tr>
 * </table>
 * Adam's β1, β2, ε are Kingma &amp; Ba's (0.9, 0.999, 1e-8). {@link #seed} and {@link #tag} are the master seed
 * (restart r draws from {@code (seed, VI_RESTART, r)}) and the posterior's sample-stream tag.
 */
public final class VariationalConfig implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** Default Monte Carlo samples per gradient step. */
  public static final int DEFAULT_SAMPLES = 8;
  /** Default iteration limit (per stage: the flow's Gaussian stage and its flow stage each have it). */
  public static final int DEFAULT_ITERATIONS = 20000;
  /** Default samples of the final ELBO estimate. */
  public static final int DEFAULT_FINAL_SAMPLES = 4000;
  /** Default peak learning rate, in units of the start's scale. */
  public static final double DEFAULT_RATE = 0.05;
  /** Default warm-up steps. */
  public static final int DEFAULT_WARMUP = 50;
  /** Default factor γ of each plateau reduction. */
  public static final double DEFAULT_FACTOR = 0.25;
  /** Default number of plateau reductions J. */
  public static final int DEFAULT_LEVELS = 2;
  /** Default convergence window. */
  public static final int DEFAULT_WINDOW = 200;
  /** Default minimum number of windows averaged at the last level. */
  public static final int DEFAULT_AVERAGE_WINDOWS = 10;
  /** Default flow depth. */
  public static final int DEFAULT_FLOW_LAYERS = 4;
  /** Default hidden units per coupling network. */
  public static final int DEFAULT_FLOW_HIDDEN = 16;
  /** Default peak learning rate of the flow stage. */
  public static final double DEFAULT_FLOW_RATE = 0.01;
  /** Default warm-up of the flow stage. */
  public static final int DEFAULT_FLOW_WARMUP = 200;
  /** Default convergence window of the flow stage. */
  public static final int DEFAULT_FLOW_WINDOW = 400;
  /** Largest accepted flow depth (bad-input bound). */
  public static final int MAX_FLOW_LAYERS = 64;
  /** Largest accepted hidden width (bad-input bound). */
  public static final int MAX_FLOW_HIDDEN = 4096;
  /** Largest accepted number of mixture components (bad-input bound). */
  public static final int MAX_MIXTURE_COMPONENTS = 256;

  /** Master seed. */
  public final long seed;
  /** Sample-stream tag of the posteriors built, in [0, 2²³). */
  public final long tag;
  /** The family. */
  public final VariationalFamily family;
  /** Monte Carlo samples per gradient step (per component for a mixture). */
  public final int samplesPerStep;
  /** Iteration limit of one stage. */
  public final int maxIterations;
  /** Samples of the final ELBO estimate. */
  public final int finalSamples;
  /** The step sizes. */
  public final LearningRateSchedule schedule;
  /** Adam β1. */
  public final double beta1;
  /** Adam β2. */
  public final double beta2;
  /** Adam ε. */
  public final double epsilon;
  /** Convergence-test window W ({@link ElboConvergenceTest}); also the averaging window. */
  public final int window;
  /** Whether the result is the average of the iterates of the last level (Polyak–Ruppert averaging). */
  public final boolean average;
  /** The last level runs until at least this many windows are in the average (and the test passes). */
  public final int averageWindows;
  /** The gradient estimator. */
  public final GradientEstimator estimator;
  /** Whether the samples of a step come in antithetic pairs {@code (ε, −ε)} (when S is even). */
  public final boolean antithetic;
  /** Restart r &gt; 0 starts at {@code μ0 + jitter · z} (prior standard deviations in v). */
  public final double jitter;
  /** Coupling layers of the flow family. */
  public final int flowLayers;
  /** Hidden units of each coupling network. */
  public final int flowHidden;
  /**
   * The step sizes of the flow stage: smaller than the Gaussian's, because Adam moves every parameter by ~lr per
   * step whatever its gradient, and a coupling network's hundreds of weights moving together by lr0 = 0.05 turn
   * the identity into a random map within a few dozen steps (measured on the banana: the ELBO fell from −0.45 to
   * −2600 at 0.05; 0.02 was unstable in one run of five, 0.01 in none).
   */
  public final LearningRateSchedule flowSchedule;
  /**
   * The convergence window of the flow stage: longer than the Gaussian's, because a flow's ELBO keeps rising
   * slowly for thousands of iterations and over 200 of them the rise is below the noise (measured on the banana:
   * ELBO 0.004–0.036 nats short of log Z with 200, 0.004–0.011 with 400).
   */
  public final int flowWindow;
  /** Components of the mixture family (the number of starts the caller passes). */
  public final int mixtureComponents;
  /** The family of each mixture component: MEAN_FIELD or FULL_RANK. */
  public final VariationalFamily mixtureFamily;
  /** Whether to record the ELBO of every iteration. */
  public final boolean recordTrace;

  private VariationalConfig(Builder b) {
    if (b.family == null) {
      throw new IllegalArgumentException("vi.family must be given");
    }
    if (b.tag < 0 || b.tag >= (1L << 23)) {
      throw new IllegalArgumentException("tag must be in [0, 2^23), got " + b.tag);
    }
    requireRange("vi.samples-per-step", b.samplesPerStep, 1, 1_000_000);
    requireRange("vi.iterations", b.maxIterations, 1, 100_000_000);
    requireRange("vi.elbo-samples", b.finalSamples, 2, 100_000_000);
    requireRange("vi.window", b.window, 2, Math.max(2, b.maxIterations));
    requireRange("vi.average-windows", b.averageWindows, 1, 100_000);
    // the flow stage's window matters only for flows (a window longer than the run could never be tested)
    requireRange("vi.flow.window", b.flowWindow, 2,
        b.family == VariationalFamily.FLOW ? Math.max(2, b.maxIterations) : Integer.MAX_VALUE);
    if (b.schedule == null || b.flowSchedule == null) {
      throw new IllegalArgumentException("vi.schedule must be given");
    }
    if (!(b.beta1 >= 0 && b.beta1 < 1) || !(b.beta2 >= 0 && b.beta2 < 1)) {
      throw new IllegalArgumentException("Adam beta1, beta2 must be in [0, 1), got " + b.beta1 + ", " + b.beta2);
    }
    if (!(b.epsilon > 0) || !Double.isFinite(b.epsilon)) {
      throw new IllegalArgumentException("Adam epsilon must be finite and > 0, got " + b.epsilon);
    }
    if (b.estimator == null) {
      throw new IllegalArgumentException("vi.estimator must be given");
    }
    if (!(b.jitter >= 0) || !Double.isFinite(b.jitter)) {
      throw new IllegalArgumentException("vi.jitter must be finite and >= 0, got " + b.jitter);
    }
    requireRange("vi.flow.layers", b.flowLayers, 1, MAX_FLOW_LAYERS);
    requireRange("vi.flow.hidden", b.flowHidden, 1, MAX_FLOW_HIDDEN);
    requireRange("vi.mixture.components", b.mixtureComponents, 1, MAX_MIXTURE_COMPONENTS);
    if (b.mixtureFamily != VariationalFamily.MEAN_FIELD && b.mixtureFamily != VariationalFamily.FULL_RANK) {
      throw new IllegalArgumentException("vi.mixture.family must be meanfield or fullrank, got "
          + (b.mixtureFamily == null ? "nothing" : b.mixtureFamily.configName()));
    }
    this.seed = b.seed;
    this.tag = b.tag;
    this.family = b.family;
    this.samplesPerStep = b.samplesPerStep;
    this.maxIterations = b.maxIterations;
    this.finalSamples = b.finalSamples;
    this.schedule = b.schedule;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.epsilon = b.epsilon;
    this.window = b.window;
    this.average = b.average;
    this.averageWindows = b.averageWindows;
    this.estimator = b.estimator;
    this.antithetic = b.antithetic;
    this.jitter = b.jitter;
    this.flowLayers = b.flowLayers;
    this.flowHidden = b.flowHidden;
    this.flowSchedule = b.flowSchedule;
    this.flowWindow = b.flowWindow;
    this.mixtureComponents = b.mixtureComponents;
    this.mixtureFamily = b.mixtureFamily;
    this.recordTrace = b.recordTrace;
  }

  private static void requireRange(String key, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(key + " must be in [" + lo + ", " + hi + "], got " + v);
    }
  }

  /** The defaults (class comment). */
  public static VariationalConfig defaults(long seed) {
    return builder(seed).build();
  }

  /** A builder holding the defaults. */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(seed);
    b.tag = tag;
    b.family = family;
    b.samplesPerStep = samplesPerStep;
    b.maxIterations = maxIterations;
    b.finalSamples = finalSamples;
    b.schedule = schedule;
    b.beta1 = beta1;
    b.beta2 = beta2;
    b.epsilon = epsilon;
    b.window = window;
    b.average = average;
    b.averageWindows = averageWindows;
    b.estimator = estimator;
    b.antithetic = antithetic;
    b.jitter = jitter;
    b.flowLayers = flowLayers;
    b.flowHidden = flowHidden;
    b.flowSchedule = flowSchedule;
    b.flowWindow = flowWindow;
    b.mixtureComponents = mixtureComponents;
    b.mixtureFamily = mixtureFamily;
    b.recordTrace = recordTrace;
    return b;
  }

  /** A copy with another family. */
  public VariationalConfig withFamily(VariationalFamily f) {
    return toBuilder().family(f).build();
  }

  /**
   * Parameters of q for control dimension n (of one component for a mixture), and an upper bound of the bytes one
   * {@link VariationalInference} allocates for this configuration: θ, its gradient, Adam's two moments, the
   * averaging sum and the previous iterate (6 arrays of the parameter count), the trace, the flow's workspace —
   * for a bad-input check before building one.
   */
  public long memoryEstimateBytes(int n) {
    long p;
    switch (family) {
      case MEAN_FIELD:
        p = 2L * n;
        break;
      case FLOW:
        p = CouplingFlow.parameterCount(n, flowLayers, flowHidden, false);
        break;
      case MIXTURE:
        p = mixtureComponents * (mixtureFamily == VariationalFamily.MEAN_FIELD ? 2L * n
            : 2L * n + (long) n * (n - 1) / 2) + mixtureComponents;
        break;
      default:
        p = 2L * n + (long) n * (n - 1) / 2;
        break;
    }
    long flowWork = family == VariationalFamily.FLOW ? (long) (flowLayers + 1) * n + 3L * flowLayers
        * Math.max(flowHidden, n) : 0;
    long matrices = family == VariationalFamily.MEAN_FIELD ? 4L * n : 3L * n * n
        * (family == VariationalFamily.MIXTURE ? mixtureComponents : 1);
    return 8L * (6 * p + (recordTrace ? 2L * maxIterations : 0) + flowWork + matrices + 16L * n);
  }

  @Override
  public String toString() {
    return "VariationalConfig[seed=" + seed + ", tag=" + tag + ", " + family.configName() + ", samples/step="
        + samplesPerStep + ", iterations<=" + maxIterations + ", final=" + finalSamples + ", " + schedule
        + ", window=" + window + (average ? ", averaged over >= " + averageWindows + " windows" : "") + ", " + estimator.configName() + (antithetic ? " antithetic" : "")
        + (jitter > 0 ? ", jitter=" + jitter : "")
        + (family == VariationalFamily.FLOW ? ", layers=" + flowLayers + ", hidden=" + flowHidden : "")
        + (family == VariationalFamily.MIXTURE ? ", components=" + mixtureComponents + " "
            + mixtureFamily.configName() : "") + "]";
  }

  /** Builder of {@link VariationalConfig}; starts at the defaults. */
  public static final class Builder {
    private final long seed;
    private long tag;
    private VariationalFamily family = VariationalFamily.FULL_RANK;
    private int samplesPerStep = DEFAULT_SAMPLES;
    private int maxIterations = DEFAULT_ITERATIONS;
    private int finalSamples = DEFAULT_FINAL_SAMPLES;
    private LearningRateSchedule schedule = LearningRateSchedule.plateau(DEFAULT_RATE, DEFAULT_WARMUP,
        DEFAULT_FACTOR, DEFAULT_LEVELS);
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private int window = DEFAULT_WINDOW;
    private boolean average = true;
    private int averageWindows = DEFAULT_AVERAGE_WINDOWS;
    private GradientEstimator estimator = GradientEstimator.PATH;
    private boolean antithetic = true;
    private double jitter;
    private int flowLayers = DEFAULT_FLOW_LAYERS;
    private int flowHidden = DEFAULT_FLOW_HIDDEN;
    private LearningRateSchedule flowSchedule = LearningRateSchedule.plateau(DEFAULT_FLOW_RATE,
        DEFAULT_FLOW_WARMUP, DEFAULT_FACTOR, DEFAULT_LEVELS);
    private int flowWindow = DEFAULT_FLOW_WINDOW;
    private int mixtureComponents = 2;
    private VariationalFamily mixtureFamily = VariationalFamily.FULL_RANK;
    private boolean recordTrace = true;

    private Builder(long seed) {
      this.seed = seed;
    }

    /** Posterior sample-stream tag. */
    public Builder tag(long t) {
      this.tag = t;
      return this;
    }

    /** {@code vi.family}. */
    public Builder family(VariationalFamily f) {
      this.family = f;
      return this;
    }

    /** {@code vi.samples-per-step}. */
    public Builder samplesPerStep(int s) {
      this.samplesPerStep = s;
      return this;
    }

    /** {@code vi.iterations}. */
    public Builder maxIterations(int n) {
      this.maxIterations = n;
      return this;
    }

    /** {@code vi.elbo-samples}. */
    public Builder finalSamples(int m) {
      this.finalSamples = m;
      return this;
    }

    /** {@code vi.schedule}, {@code vi.lr}, {@code vi.warmup}, {@code vi.plateau.*}, {@code vi.decay}. */
    public Builder schedule(LearningRateSchedule s) {
      this.schedule = s;
      return this;
    }

    /** Adam's β1, β2, ε. */
    public Builder adam(double b1, double b2, double eps) {
      this.beta1 = b1;
      this.beta2 = b2;
      this.epsilon = eps;
      return this;
    }

    /** {@code vi.window}. */
    public Builder window(int w) {
      this.window = w;
      return this;
    }

    /** {@code vi.average}. */
    public Builder average(boolean a) {
      this.average = a;
      return this;
    }

    /** {@code vi.average-windows}. */
    public Builder averageWindows(int w) {
      this.averageWindows = w;
      return this;
    }

    /** {@code vi.estimator}. */
    public Builder estimator(GradientEstimator e) {
      this.estimator = e;
      return this;
    }

    /** {@code vi.antithetic}. */
    public Builder antithetic(boolean a) {
      this.antithetic = a;
      return this;
    }

    /** {@code vi.jitter}. */
    public Builder jitter(double j) {
      this.jitter = j;
      return this;
    }

    /** {@code vi.flow.layers} and {@code vi.flow.hidden}. */
    public Builder flow(int layers, int hidden) {
      this.flowLayers = layers;
      this.flowHidden = hidden;
      return this;
    }

    /** {@code vi.flow.lr} (and the flow stage's warm-up and levels). */
    public Builder flowSchedule(LearningRateSchedule s) {
      this.flowSchedule = s;
      return this;
    }

    /** {@code vi.flow.window}. */
    public Builder flowWindow(int w) {
      this.flowWindow = w;
      return this;
    }

    /** {@code vi.mixture.components} and {@code vi.mixture.family}. */
    public Builder mixture(int components, VariationalFamily componentFamily) {
      this.mixtureComponents = components;
      this.mixtureFamily = componentFamily;
      return this;
    }

    /** Whether to record the per-iteration ELBO. */
    public Builder recordTrace(boolean r) {
      this.recordTrace = r;
      return this;
    }

    /** The validated configuration. */
    public VariationalConfig build() {
      return new VariationalConfig(this);
    }
  }
}
