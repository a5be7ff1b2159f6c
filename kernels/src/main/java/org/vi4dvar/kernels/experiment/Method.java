package org.vi4dvar.kernels.experiment;

/**
 * A posterior estimator of the experiment cascade: one kernel class per method, registered in
 * {@link MethodRegistry}. {@link #run} distributes its units of work through the experiment's
 * {@link Parallel}, reads what earlier methods found ({@link Experiment#abcStarts()},
 * {@link Experiment#minima()}), may add to it, and returns its {@link MethodResult}: a posterior, or the
 * reason there is none. Implementations are stateless.
 */
public interface Method {

  /** The name in configuration files, on the command line, in outputs ({@code abc}, {@code map}, ...). */
  String name();

  /** One line: what the method does. */
  String description();

  /**
   * The tag of its posterior's sample streams, unique among methods (draw i of a parametric posterior uses the
   * stream {@code (seed, POSTERIOR_SAMPLE, tag·2⁴⁰ + i)}).
   */
  long tag();

  /**
   * Runs the method.
   *
   * @throws MethodUnavailable when it produces no posterior (e.g. every member diverged), with the reason
   */
  MethodResult run(Experiment ex);
}
