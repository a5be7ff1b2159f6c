package org.vi4dvar.driver;

/**
 * A mistake in what the user gave us (command line, configuration, dataset, output directory): the command
 * exits with {@link ExitCode#BAD_INPUT} and prints the message as one line, {@code vi4dvar: error: <message>},
 * without a stack trace. The message names the culprit (option, key, file, row, column) and what was expected.
 */
public class BadInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message one line naming the culprit and what was expected */
  public BadInputException(String message) {
    super(message);
  }

  /** @param message one line naming the culprit and what was expected; {@code cause} is kept for debugging */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
