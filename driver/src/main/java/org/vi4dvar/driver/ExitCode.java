package org.vi4dvar.driver;

/** The process exit codes of {@code vi4dvar}. */
public final class ExitCode {

  /** Success (also {@code --help}, {@code --version}). */
  public static final int OK = 0;
  /** A run failed for a reason other than the input (an estimator, Spark, the file system). */
  public static final int FAILURE = 1;
  /** Bad input: command line, configuration, dataset or output directory; nothing was written. */
  public static final int BAD_INPUT = 2;
  /** Interrupted (Ctrl-C; the shell's 128 + SIGINT). */
  public static final int INTERRUPTED = 130;
  /** Terminated by SIGTERM (128 + 15; set by the JVM, which runs the shutdown hooks first). */
  public static final int TERMINATED = 143;

  private ExitCode() {
  }
}
