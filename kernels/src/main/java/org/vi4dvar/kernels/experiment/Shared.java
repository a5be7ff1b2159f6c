package org.vi4dvar.kernels.experiment;

import java.io.Serializable;

/**
 * A read-only value every task of a {@link Parallel} can see: in this JVM the value itself, on Spark a broadcast
 * (the handle is serializable and travels with the task closures; the value goes out once per executor).
 */
public interface Shared<T> extends Serializable, AutoCloseable {

  /** The value (on an executor: the broadcast's local copy). */
  T get();

  /** Releases the value (a broadcast is destroyed); idempotent. */
  @Override
  void close();

  /** A value shared by reference (in one JVM). */
  static <T> Shared<T> of(T value) {
    return new Shared<T>() {
      private static final long serialVersionUID = 1L;

      @Override
      public T get() {
        return value;
      }

      @Override
      public void close() {
      }
    };
  }
}
