package org.vi4dvar.kernels.experiment;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an experiment: the prior (for reference), every requested method in the registry's order, and
 * what ABC did when it ran only as an exploration for the others' starts.
 */
public final class ExperimentResult {

  /** The prior {@code N(c_b, S Sᵀ)}, with its statistics. */
  public final MethodResult prior;
  /** The methods, in the registry's order. */
  public final List<MethodResult> methods;
  /** ABC as an exploration only (it was not among the methods): its facts, else empty. */
  public final Map<String, Object> exploration;
  /** Facts about the data ({@link DataFacts}). */
  public final Map<String, Object> data;

  ExperimentResult(Map<String, Object> data, MethodResult prior, List<MethodResult> methods,
      Map<String, Object> exploration) {
    this.data = Collections.unmodifiableMap(data);
    this.prior = prior;
    this.methods = Collections.unmodifiableList(methods);
    this.exploration = Collections.unmodifiableMap(exploration);
  }

  /** The method named {@code name}, or null. */
  public MethodResult method(String name) {
    for (MethodResult r : methods) {
      if (r.name.equals(name)) {
        return r;
      }
    }
    return null;
  }

  /** Whether at least one requested method has a posterior. */
  public boolean anyAvailable() {
    for (MethodResult r : methods) {
      if (r.available()) {
        return true;
      }
    }
    return false;
  }
}
