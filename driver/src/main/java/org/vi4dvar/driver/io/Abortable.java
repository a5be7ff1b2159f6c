package org.vi4dvar.driver.io;

/**
 * Something a command writes all or nothing, which a Ctrl-C or SIGTERM must leave as it was: the shutdown hook
 * ({@code cli.ShutdownGuard}) calls {@link #abortOnSignal()} and prints what it returns.
 */
public interface Abortable {

  /**
   * Undoes what is not committed yet (waiting for a commit in progress to finish).
   *
   * @return one line saying what the interrupt left ({@code "removed the partial output (...)"}), or null when
   *     there was nothing to undo (already committed or aborted)
   */
  String abortOnSignal();

  /** After Spark has stopped: removes what was still being written during the abort. */
  default void purge() {
  }
}
