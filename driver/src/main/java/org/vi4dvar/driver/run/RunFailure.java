package org.vi4dvar.driver.run;

/** A run that cannot produce a result, e.g. every member of a method diverged; exit code 1, one line. */
public final class RunFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what failed, naming the method */
  public RunFailure(String message) {
    super(message);
  }
}
