package org.vi4dvar.kernels.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * One experiment in progress, as the methods see it: the shared inputs, where tasks run, where progress goes,
 * and what earlier methods found — the lowest-J ABC trials ({@link #abcStarts}) and the distinct MAP minima
 * ({@link #minima}), which later methods start from. The cascade order is {@link MethodRegistry}'s.
 */
public final class Experiment {

  /** Starts kept from ABC's lowest-J trials (more than any method asks for). */
  public static final int MAX_STARTS = 256;

  private final ExperimentInputs inputs;
  private final Shared<ExperimentInputs> shared;
  private final Parallel parallel;
  private final ExperimentListener listener;
  private final TrialSink acceptedSink;
  private final List<double[]> abcStarts = new ArrayList<>();
  private final List<double[]> minima = new ArrayList<>();
  private org.vi4dvar.kernels.posterior.GaussianPosterior laplace;
  private final java.util.Map<String, org.vi4dvar.kernels.posterior.Posterior> posteriors =
      new java.util.LinkedHashMap<>();

  Experiment(ExperimentInputs inputs, Shared<ExperimentInputs> shared, Parallel parallel,
      ExperimentListener listener, TrialSink acceptedSink) {
    this.inputs = inputs;
    this.shared = shared;
    this.parallel = parallel;
    this.listener = listener;
    this.acceptedSink = acceptedSink;
  }

  /** The inputs (on the driver). */
  public ExperimentInputs inputs() {
    return inputs;
  }

  /** The inputs as every task sees them. */
  public Shared<ExperimentInputs> shared() {
    return shared;
  }

  /** The problem. */
  public FourDVarProblem problem() {
    return inputs.problem();
  }

  /** The settings. */
  public ExperimentSettings settings() {
    return inputs.settings();
  }

  /** Where tasks run. */
  public Parallel parallel() {
    return parallel;
  }

  /** A progress line. */
  public void progress(String line) {
    listener.line(line);
  }

  /** Where ABC's accepted trials go in threshold mode, or null (only counted). */
  public TrialSink acceptedSink() {
    return acceptedSink;
  }

  /** ABC's lowest-J trials, lowest first (empty when ABC has not run). */
  public List<double[]> abcStarts() {
    return Collections.unmodifiableList(abcStarts);
  }

  /** The distinct MAP minima, lowest J first (empty when MAP has not run). */
  public List<double[]> minima() {
    return Collections.unmodifiableList(minima);
  }

  /** Records ABC's lowest-J trials (lowest first), keeping at most {@link #MAX_STARTS}. */
  public void setAbcStarts(List<double[]> starts) {
    abcStarts.clear();
    for (int i = 0; i < starts.size() && i < MAX_STARTS; i++) {
      abcStarts.add(starts.get(i).clone());
    }
  }

  /** Records MAP's distinct minima (lowest J first). */
  public void setMinima(List<double[]> points) {
    minima.clear();
    for (double[] x : points) {
      minima.add(x.clone());
    }
  }

  /** The Laplace approximation at MAP's lowest minimum, or null (MAP has not run or has none). */
  public org.vi4dvar.kernels.posterior.GaussianPosterior laplace() {
    return laplace;
  }

  /** Records the Laplace approximation at MAP's lowest minimum. */
  public void setLaplace(org.vi4dvar.kernels.posterior.GaussianPosterior g) {
    this.laplace = g;
  }

  /** The posterior of the method named {@code method} that ran before, or null (not run or unavailable). */
  public org.vi4dvar.kernels.posterior.Posterior posterior(String method) {
    return posteriors.get(method);
  }

  /** Records a method's posterior for the methods after it (the importance corrections). */
  void recordPosterior(String method, org.vi4dvar.kernels.posterior.Posterior p) {
    if (p != null) {
      posteriors.put(method, p);
    }
  }

  /** The best point found so far: MAP's lowest minimum, else ABC's lowest-J trial, else the background. */
  public double[] best() {
    if (!minima.isEmpty()) {
      return minima.get(0).clone();
    }
    if (!abcStarts.isEmpty()) {
      return abcStarts.get(0).clone();
    }
    return problem().control().centerVector();
  }

  /**
   * Candidate starts for restarts and chains: the MAP minima, then ABC's lowest-J trials (empty if neither has
   * run).
   */
  public List<double[]> candidates() {
    List<double[]> c = new ArrayList<>(minima);
    c.addAll(abcStarts);
    return c;
  }
}
