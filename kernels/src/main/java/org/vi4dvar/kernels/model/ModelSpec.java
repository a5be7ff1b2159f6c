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

  /** Lorenz96 with forcing F, integrated by RK4 with step dt. */
  static Lorenz96Spec lorenz96(int nx, double forcing, double dt) {
    return new Lorenz96Spec(nx, forcing, dt);
  }
}
