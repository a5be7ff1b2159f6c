package org.vi4dvar.driver.spark;

import org.apache.spark.broadcast.Broadcast;
import org.vi4dvar.kernels.experiment.Shared;

/**
 * A kernel {@link Shared} value as a Spark broadcast: the handle travels with the task closures, the value goes
 * out once per executor (Kryo). {@link #close()} destroys the broadcast on the driver and the executors.
 */
final class BroadcastShared<T> implements Shared<T> {

  private static final long serialVersionUID = 1L;

  private final Broadcast<T> broadcast;

  BroadcastShared(Broadcast<T> broadcast) {
    this.broadcast = broadcast;
  }

  @Override
  public T get() {
    return broadcast.value();
  }

  @Override
  public void close() {
    broadcast.destroy();
  }
}
