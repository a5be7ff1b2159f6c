package org.vi4dvar.driver.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.vi4dvar.driver.io.Abortable;
import org.vi4dvar.driver.spark.SparkHandle;

/**
 * A JVM shutdown hook for the duration of a command: on Ctrl-C or SIGTERM it undoes what the command has not
 * committed (the partial output directory, a report being redrawn) and says so, and stops the Spark context
 * cleanly (the JVM then exits with 128 + the signal: 130 for Ctrl-C, 143 for SIGTERM). Removed when the command
 * ends normally.
 */
public final class ShutdownGuard implements AutoCloseable {

  private final Thread hook;
  private final PrintStream err;
  private final List<Abortable> protectedWrites = new CopyOnWriteArrayList<>();
  private volatile SparkHandle spark;
  private volatile boolean closed;
  private static volatile boolean signalled;

  private ShutdownGuard(PrintStream err) {
    this.err = err;
    this.hook = new Thread(this::onShutdown, "vi4dvar-shutdown");
  }

  /** Installs the hook. */
  public static ShutdownGuard install(PrintStream err) {
    ShutdownGuard g = new ShutdownGuard(err);
    Runtime.getRuntime().addShutdownHook(g.hook);
    return g;
  }

  /** Undoes {@code a} on shutdown unless committed (an output directory, a report being redrawn). */
  public void protect(Abortable a) {
    protectedWrites.add(a);
  }

  /** Stops {@code h}'s context on shutdown. */
  public void protect(SparkHandle h) {
    this.spark = h;
  }

  /** Whether a signal started the JVM's shutdown while a command ran (its failure is then not reported). */
  public static boolean signalled() {
    return signalled;
  }

  private void onShutdown() {
    signalled = true;
    // runs only on a signal (a command that ends normally removes the hook first); the command may have
    // finished in the meantime (closed), committing its output or aborting it: report what happened to it
    for (Abortable a : protectedWrites) {
      String what = a.abortOnSignal();
      if (what != null) {
        err.println("vi4dvar: interrupted: " + what);
        err.flush();
      }
    }
    // what is said is said: stopping Spark under running tasks makes its futures print stack traces on the
    // process's stderr (RejectedExecutionException from pools shutting down); the user's last line stays ours
    System.setErr(new PrintStream(java.io.OutputStream.nullOutputStream(), true));
    SparkHandle h = spark;
    if (h != null && !closed) {
      try {
        h.close();
      } catch (RuntimeException e) {
        // the JVM is going down; Spark's own hook stops what is left
      }
    }
    for (Abortable a : protectedWrites) {
      a.purge(); // what Spark still wrote into the scratch directory while the output was being removed
    }
  }

  /** Removes the hook (unless the JVM is already shutting down). */
  @Override
  public void close() {
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutdown in progress: the hook runs and sees closed
    }
  }
}
