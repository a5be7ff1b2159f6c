package org.vi4dvar.kernels.experiment;

/**
 * A method ended without a posterior, for a reason the user can act on (every member diverged, the Hessian is
 * not positive definite with either method, every sampled trajectory overflowed). The message names the method
 * and the reason; the experiment records it as the method's outcome and goes on with the other methods.
 */
public final class MethodUnavailable extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String method;

  /**
   * @param method the method's name
   * @param reason why, e.g. {@code all 100 members diverged (non-finite cost)}
   */
  public MethodUnavailable(String method, String reason) {
    super(method + ": " + reason);
    this.method = method;
  }

  /** The method's name. */
  public String method() {
    return method;
  }

  /** The reason, without the method's name. */
  public String reason() {
    return getMessage().substring(method.length() + 2);
  }
}
