package org.vi4dvar.driver.io;

import java.io.IOException;

/**
 * The target of an {@link OutputDirectory} was created by something else while a command was writing; the
 * command's output has been removed. The message says so, on one line (exit code 1).
 */
public final class OutputConflictException extends IOException {

  private static final long serialVersionUID = 1L;

  /** @param message what happened and what was done with this command's output */
  public OutputConflictException(String message) {
    super(message);
  }
}
