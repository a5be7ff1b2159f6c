package org.vi4dvar.kernels.abc;

/**
 * The k smallest (distance, index) pairs seen, with a payload (full J and x0) per pair: a bounded binary
 * max-heap on the total order "distance, then index", so the root is the worst kept pair and a candidate is
 * kept iff it is less than the root (or the heap is not full). Payloads stay in fixed slots (the heap permutes
 * slot numbers, not rows). O(k) memory, O(log k) per insertion, no allocation after construction.
 */
final class TopK {

  private final int k;
  private final int nx;
  private int size;
  private final double[] dist;
  private final long[] idx;
  private final int[] slot;
  private final double[] cost;
  private final double[] x;

  TopK(int k, int nx) {
    this.k = k;
    this.nx = nx;
    this.dist = new double[k];
    this.idx = new long[k];
    this.slot = new int[k];
    this.cost = new double[k];
    this.x = new double[k * nx];
    for (int i = 0; i < k; i++) {
      slot[i] = i;
    }
  }

  /** The total order: {@code (da, ia) < (db, ib)}. */
  static boolean less(double da, long ia, double db, long ib) {
    return da < db || (da == db && ia < ib);
  }

  int size() {
    return size;
  }

  /** Whether k pairs are held (always, when k = 0): from then on only a pair less than the worst enters. */
  boolean full() {
    return size == k;
  }

  /** The worst kept distance (the root); only when {@link #full()} and k &gt; 0. */
  double worstDistance() {
    return dist[0];
  }

  /** The worst kept pair's trial index; only when {@link #full()} and k &gt; 0. */
  long worstIndex() {
    return idx[0];
  }

  /** Whether {@code (d, i)} would be kept. */
  boolean wants(double d, long i) {
    return size < k || (k > 0 && less(d, i, dist[0], idx[0]));
  }

  /**
   * Offers a candidate whose x0 is {@code src[off + s*stride]}, s &lt; nx (state-major batches have
   * {@code stride = nb}). The caller checks {@link #wants} first.
   */
  void offer(double d, long i, double c, double[] src, int off, int stride) {
    int pos;
    int sl;
    if (size < k) {
      pos = size++;
      sl = slot[pos];
      dist[pos] = d;
      idx[pos] = i;
      siftUp(pos);
    } else {
      pos = 0;
      sl = slot[0];
      dist[0] = d;
      idx[0] = i;
      siftDown(0);
    }
    cost[sl] = c;
    final int o = sl * nx;
    for (int s = 0; s < nx; s++) {
      x[o + s] = src[off + s * stride];
    }
  }

  private boolean greater(int a, int b) {
    return less(dist[b], idx[b], dist[a], idx[a]);
  }

  private void swap(int a, int b) {
    double td = dist[a];
    dist[a] = dist[b];
    dist[b] = td;
    long ti = idx[a];
    idx[a] = idx[b];
    idx[b] = ti;
    int ts = slot[a];
    slot[a] = slot[b];
    slot[b] = ts;
  }

  private void siftUp(int pos) {
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (!greater(pos, parent)) {
        return;
      }
      swap(pos, parent);
      pos = parent;
    }
  }

  private void siftDown(int pos) {
    siftDown(pos, size);
  }

  private void siftDown(int pos, int n) {
    while (true) {
      int l = 2 * pos + 1;
      if (l >= n) {
        return;
      }
      int r = l + 1;
      int big = (r < n && greater(r, l)) ? r : l;
      if (!greater(big, pos)) {
        return;
      }
      swap(pos, big);
      pos = big;
    }
  }

  /**
   * Writes the kept pairs in ascending order into new arrays (heap sort) and empties the heap.
   *
   * @return {distance[], index[] (as long[] in out), cost[], x[]} via the given holders
   */
  void drainSorted(double[] outDist, long[] outIdx, double[] outCost, double[] outX) {
    int n = size;
    // heap sort: move the max to the end repeatedly
    for (int end = n - 1; end > 0; end--) {
      swap(0, end);
      siftDown(0, end);
    }
    for (int r = 0; r < n; r++) {
      outDist[r] = dist[r];
      outIdx[r] = idx[r];
      int sl = slot[r];
      outCost[r] = cost[sl];
      System.arraycopy(x, sl * nx, outX, r * nx, nx);
    }
    size = 0;
  }
}
