package org.vi4dvar.kernels.map;

import java.util.Arrays;
import org.vi4dvar.kernels.optim.StopReason;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Bookkeeping of a MAP multi-start: which minimisations failed, which is best, and how many distinct minima
 * were found. Two minima are the same when their costs agree to {@code 1e-5 (1 + |J|)} and their points to
 * {@code POINT_TOL} prior standard deviations in every component of the control (σ_i = {@code scale(i)} of
 * the problem's {@link org.vi4dvar.kernels.var.ControlSpace}: √B_ii for x0, q for η, σ_p for parameters):
 * <pre>
 *   same(a, b)  ⇔  |J_a − J_b| ≤ 1e-5 (1 + |J_a|)  and  max_i |c_a,i − c_b,i| / σ_i ≤ POINT_TOL
 * </pre>
 * A start failed if its minimiser diverged or its cost is not finite; failed starts get id −1 and are excluded.
 */
public final class MultiStart {

  /**
   * Point tolerance, in background standard deviations: minimisers that stop on the relative-cost criterion of
   * an ill-conditioned J (condition ~1e4 on the talk's data) leave |g| ~ 1e-3, so points of one minimum agree
   * to ~1e-3 σb.
   */
  public static final double POINT_TOL = 1e-2;

  private MultiStart() {
  }

  /** Whether a start failed (diverged, or a non-finite cost). */
  public static boolean failed(LaplaceResult r) {
    return !Double.isFinite(r.cost) || (r.optim != null && r.optim.stopReason == StopReason.DIVERGED);
  }

  /** Position of the lowest-cost start that did not fail (ties: the first), or −1 if all failed. */
  public static int best(LaplaceResult[] results) {
    int b = -1;
    for (int i = 0; i < results.length; i++) {
      if (!failed(results[i]) && (b < 0 || results[i].cost < results[b].cost)) {
        b = i;
      }
    }
    return b;
  }

  /**
   * The minimum id of every start: 0 for the lowest-cost minimum, 1 for the next distinct one, …; −1 for a
   * failed start. The number of distinct minima is {@code max id + 1}.
   */
  public static int[] minimumIds(LaplaceResult[] results, FourDVarProblem problem) {
    final int n = results.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(costOrInf(results[a]), costOrInf(results[b]));
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] ids = new int[n];
    Arrays.fill(ids, -1);
    int[] representative = new int[n];
    int distinct = 0;
    for (int o = 0; o < n; o++) {
      int i = order[o];
      if (failed(results[i])) {
        continue;
      }
      int id = -1;
      for (int c = 0; c < distinct && id < 0; c++) {
        if (same(results[representative[c]], results[i], problem)) {
          id = c;
        }
      }
      if (id < 0) {
        id = distinct;
        representative[distinct++] = i;
      }
      ids[i] = id;
    }
    return ids;
  }

  /** Number of distinct minima among the ids of {@link #minimumIds}. */
  public static int distinct(int[] ids) {
    int m = -1;
    for (int id : ids) {
      m = Math.max(m, id);
    }
    return m + 1;
  }

  private static double costOrInf(LaplaceResult r) {
    return failed(r) ? Double.POSITIVE_INFINITY : r.cost;
  }

  /**
   * The minimum id of every start from plain arrays (see {@link #minimumIds(LaplaceResult[], FourDVarProblem)}):
   * {@code failed[s]} marks starts to exclude; points are compared in units of {@code scale.scale(i)}.
   */
  public static int[] minimumIds(double[] costs, double[][] points, boolean[] failed,
      org.vi4dvar.kernels.var.ControlTransform scale) {
    final int n = costs.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(failed[a] ? Double.POSITIVE_INFINITY : costs[a],
          failed[b] ? Double.POSITIVE_INFINITY : costs[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] ids = new int[n];
    Arrays.fill(ids, -1);
    int[] representative = new int[n];
    int distinct = 0;
    for (int o = 0; o < n; o++) {
      int i = order[o];
      if (failed[i]) {
        continue;
      }
      int id = -1;
      for (int c = 0; c < distinct && id < 0; c++) {
        int r = representative[c];
        if (same(costs[r], points[r], costs[i], points[i], scale)) {
          id = c;
        }
      }
      if (id < 0) {
        id = distinct;
        representative[distinct++] = i;
      }
      ids[i] = id;
    }
    return ids;
  }

  private static boolean same(double ca, double[] xa, double cb, double[] xb,
      org.vi4dvar.kernels.var.ControlTransform scale) {
    if (Math.abs(ca - cb) > 1e-5 * (1 + Math.abs(ca))) {
      return false;
    }
    for (int i = 0; i < xa.length; i++) {
      if (Math.abs(xa[i] - xb[i]) / scale.scale(i) > POINT_TOL) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(LaplaceResult a, LaplaceResult b, FourDVarProblem p) {
    if (Math.abs(a.cost - b.cost) > 1e-5 * (1 + Math.abs(a.cost))) {
      return false;
    }
    for (int i = 0; i < a.x0.length; i++) {
      if (Math.abs(a.x0[i] - b.x0[i]) / p.control().scale(i) > POINT_TOL) {
        return false;
      }
    }
    return true;
  }
}
