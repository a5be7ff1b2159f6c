package org.vi4dvar.kernels.posterior;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an estimator reports about how it got its posterior, in one typed record:
 * <ul>
 *   <li>{@link #objective}: the quantity it optimised or selected by, named — {@code "J"} (MAP, the ensemble's
 *       unperturbed J), {@code "ELBO"} (VI, with its Monte Carlo standard error), {@code "distance"} (ABC) — with
 *       its value for the reported posterior and its standard error (0 when exact, NaN when unknown);</li>
 *   <li>{@link #counts}: units of work and their outcomes, e.g. {@code members, converged, diverged,
 *       excluded};</li>
 *   <li>{@link #stopReasons}: why each unit stopped, counted by reason;</li>
 *   <li>{@link #converged}: whether the method's own convergence test passed for the reported posterior, with
 *       what "converged" means said in {@link #convergence};</li>
 *   <li>{@link #extra}: method-specific entries for {@code summary.json} (numbers, strings, booleans, lists and
 *       maps of those), in insertion order.</li>
 * </ul>
 * Built with {@link #builder(String)}; immutable.
 */
public final class Diagnostics implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The objective's name: J, ELBO, distance, ... */
  public final String objective;
  /** Its value for the reported posterior (NaN when none). */
  public final double objectiveValue;
  /** Its standard error (0 when exact, NaN when unknown). */
  public final double objectiveStdErr;
  /** Whether the method's convergence test passed for the reported posterior. */
  public final boolean converged;
  /** What "converged" means for this method (one sentence). */
  public final String convergence;
  /** Counts of units and outcomes, in insertion order. */
  public final Map<String, Long> counts;
  /** Stop reasons, counted, in insertion order. */
  public final Map<String, Long> stopReasons;
  /** Method-specific entries. */
  public final Map<String, Object> extra;

  private Diagnostics(Builder b) {
    this.objective = b.objective;
    this.objectiveValue = b.objectiveValue;
    this.objectiveStdErr = b.objectiveStdErr;
    this.converged = b.converged;
    this.convergence = b.convergence;
    this.counts = Collections.unmodifiableMap(new LinkedHashMap<>(b.counts));
    this.stopReasons = Collections.unmodifiableMap(new LinkedHashMap<>(b.stopReasons));
    this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
  }

  /** A builder for an objective named {@code objective}. */
  public static Builder builder(String objective) {
    return new Builder(objective);
  }

  /** No diagnostics (e.g. the prior). */
  public static Diagnostics none() {
    return builder("none").converged(true, "nothing to converge").build();
  }

  /** A count by name, or 0. */
  public long count(String name) {
    Long v = counts.get(name);
    return v == null ? 0 : v;
  }

  /** Builder of {@link Diagnostics}. */
  public static final class Builder {
    private final String objective;
    private double objectiveValue = Double.NaN;
    private double objectiveStdErr = Double.NaN;
    private boolean converged;
    private String convergence = "";
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Long> stopReasons = new LinkedHashMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private Builder(String objective) {
      this.objective = objective;
    }

    /** The objective's value and standard error. */
    public Builder objective(double value, double stdErr) {
      this.objectiveValue = value;
      this.objectiveStdErr = stdErr;
      return this;
    }

    /** Whether the convergence test passed, and what it is. */
    public Builder converged(boolean passed, String meaning) {
      this.converged = passed;
      this.convergence = meaning;
      return this;
    }

    /** Sets a count. */
    public Builder count(String name, long value) {
      counts.put(name, value);
      return this;
    }

    /** Adds one stop reason occurrence. */
    public Builder stopReason(String reason) {
      stopReasons.merge(reason, 1L, Long::sum);
      return this;
    }

    /** A method-specific entry. */
    public Builder extra(String key, Object value) {
      extra.put(key, value);
      return this;
    }

    /** The record. */
    public Diagnostics build() {
      return new Diagnostics(this);
    }
  }
}
