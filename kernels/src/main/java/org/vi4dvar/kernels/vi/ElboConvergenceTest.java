package org.vi4dvar.kernels.vi;

/**
 * The convergence test of stochastic VI (issue 12 §2): the ELBO estimates of consecutive iterations are cut into
 * windows of W; at the end of each window, with the window means {@code ē_j} and sample variances {@code s_j²},
 * <pre>
 *   Δ = ē_j − ē_{j−1},   se(Δ) = √(s_j²/W + s_{j−1}²/W),   converged  ⇔  |Δ| ≤ max(se(Δ), floor)
 *   floor = 1e-12 · (1 + |ē_j|)   (round-off: with the path-derivative estimator at an exact optimum every
 *                                  estimate equals log Z and both Δ and se(Δ) are round-off)
 * </pre>
 * i.e. the ELBO has stopped changing by more than its own Monte Carlo error can tell. The variances are the
 * within-window ones (the estimates of one window are independent given the iterates; a trend within the window
 * adds {@code (WΔ')²/12} to s², which matters only when the change itself is many standard errors). Values are
 * centred on the first estimate for a stable one-pass variance. Allocation-free; not thread-safe.
 */
public final class ElboConvergenceTest {

  private final int window;
  private double shift;
  private boolean shifted;
  private double sum;
  private double sumSq;
  private int count;
  private boolean hasPrevious;
  private double prevMean;
  private double prevVar;
  private double lastChange = Double.NaN;
  private double lastStdErr = Double.NaN;
  private double lastMean = Double.NaN;
  private double lastTolerance = Double.NaN;

  /** A test over windows of {@code window ≥ 2} iterations. */
  public ElboConvergenceTest(int window) {
    if (window < 2) {
      throw new IllegalArgumentException("window must be >= 2, got " + window);
    }
    this.window = window;
  }

  /** Forgets everything. */
  public void reset() {
    shifted = false;
    sum = 0.0;
    sumSq = 0.0;
    count = 0;
    hasPrevious = false;
    lastChange = Double.NaN;
    lastStdErr = Double.NaN;
    lastMean = Double.NaN;
    lastTolerance = Double.NaN;
  }

  /**
   * Adds one finite ELBO estimate.
   *
   * @return whether this estimate closed a window and the test passed
   */
  public boolean add(double e) {
    if (!shifted) {
      shift = e;
      shifted = true;
    }
    final double d = e - shift;
    sum += d;
    sumSq += d * d;
    count++;
    if (count < window) {
      return false;
    }
    final double mean = sum / window;
    final double var = Math.max(0.0, (sumSq - window * mean * mean) / (window - 1));
    sum = 0.0;
    sumSq = 0.0;
    count = 0;
    boolean passed = false;
    if (hasPrevious) {
      lastChange = mean - prevMean;
      lastStdErr = Math.sqrt((var + prevVar) / window);
      lastMean = mean + shift;
      double floor = 1e-12 * (1.0 + Math.abs(lastMean));
      lastTolerance = Math.max(lastStdErr, floor);
      passed = Math.abs(lastChange) <= lastTolerance;
    }
    hasPrevious = true;
    prevMean = mean;
    prevVar = var;
    return passed;
  }

  /** Whether the last {@link #add} closed a window. */
  public boolean windowClosed() {
    return count == 0 && shifted;
  }

  /** The window W. */
  public int window() {
    return window;
  }

  /** Δ of the last closed window (NaN before the second one). */
  public double lastChange() {
    return lastChange;
  }

  /** se(Δ) of the last closed window (NaN before the second one). */
  public double lastStdErr() {
    return lastStdErr;
  }

  /** {@code max(se(Δ), floor)} of the last closed window (NaN before the second one). */
  public double lastTolerance() {
    return lastTolerance;
  }

  /** The mean ELBO estimate of the last closed window (NaN before the second one). */
  public double lastMean() {
    return lastMean;
  }
}
