package org.vi4dvar.kernels.abc;

/**
 * A pilot bound for ABC's early rejection: a pair {@code (distance, index)} in the total order of the top-k
 * ("distance, then trial index", {@link TopK#less}) that the run's final k-th kept pair is known not to exceed.
 * The natural source is {@link AbcResult#bound()} of a result over some blocks of the <em>same</em> run: its k
 * kept pairs are k real trials of the run, so the run's k-th best can only be as good or better. Given to
 * {@link AbcSampler#runBlocks(long[], AbcTrialConsumer, AbcBound)}, it lets the sampler reject trials from the
 * first chunk on instead of only once its own top-k is full; the complete merged result does not change.
 *
 * <p>The kernel cannot check where a bound comes from: a pair smaller than the run's true k-th best would lose
 * kept trials. Immutable; a plain final class (Kryo, Java serialisation).
 */
public final class AbcBound implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The bound's distance (not NaN; {@code +∞} bounds nothing). */
  public final double distance;
  /** The bound's trial index (ties in distance: a trial with a larger index is worse). */
  public final long index;

  /**
   * @param distance not NaN
   * @param index the trial index of the bounding pair ({@code Long.MAX_VALUE}: every trial of that distance is
   *     within the bound)
   */
  public AbcBound(double distance, long index) {
    if (Double.isNaN(distance)) {
      throw new IllegalArgumentException("a pilot bound's distance must not be NaN");
    }
    this.distance = distance;
    this.index = index;
  }

  @Override
  public String toString() {
    return "AbcBound[" + distance + ", trial " + index + "]";
  }
}
