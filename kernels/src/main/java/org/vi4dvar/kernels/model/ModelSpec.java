package org.vi4dvar.kernels.model;

/**
 * An immutable, shippable description of a model; {@link #newModel()} builds a fresh {@link Model} with its
 * own workspaces (one per task or thread).
 */
public interface ModelSpec {

  /** State size. */
  int nx();

  /** A new model instance with its own workspaces. */
  Model newModel();

  /**
   * The names of the model's parameters that a control can estimate (see {@link Model#nParameters}), in
   * parameter-index order; empty by default.
   */
  default String[] parameterNames() {
    return new String[0];
  }

  /** The index of parameter {@code name}, or −1 if the model has no such parameter. */
  default int parameterIndex(String name) {
    String[] names = parameterNames();
    for (int k = 0; k < names.length; k++) {
      if (names[k].equals(name)) {
        return k;
      }
    }
    return -1;
  }

  /** The value of parameter k in this spec (what {@link #newModel()} starts with). */
  default double parameterValue(int k) {
    throw new IndexOutOfBoundsException("parameter " + k + " of a model with no parameters");
  }

  /** Lorenz96 with forcing F, integrated by RK4 with step dt. */
  static Lorenz96Spec lorenz96(int nx, double forcing, double dt) {
    return new Lorenz96Spec(nx, forcing, dt);
  }
}
