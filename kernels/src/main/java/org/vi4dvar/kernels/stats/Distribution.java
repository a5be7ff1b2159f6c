package org.vi4dvar.kernels.stats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The count, min, median, mean and max of the finite values of an array, for summaries. */
public final class Distribution {

  private Distribution() {
  }

  /**
   * {@code {count, min, median, mean, max}} of the finite values (mean in index order, median of the sorted
   * copy), or {@code {count: 0}} when there are none.
   */
  public static Map<String, Object> of(double[] values) {
    double[] a = new double[values.length];
    int n = 0;
    double sum = 0.0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        a[n++] = v;
        sum += v;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", n);
    if (n == 0) {
      return m;
    }
    double mean = sum / n;
    a = Arrays.copyOf(a, n);
    Arrays.sort(a);
    m.put("min", a[0]);
    m.put("median", n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]));
    m.put("mean", mean);
    m.put("max", a[n - 1]);
    return m;
  }
}
