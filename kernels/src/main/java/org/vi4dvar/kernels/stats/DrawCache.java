package org.vi4dvar.kernels.stats;

import java.lang.ref.WeakReference;
import org.vi4dvar.kernels.posterior.Posterior;

/**
 * The first draws of one posterior, computed once per JVM and shared by the statistics tasks that run in it.
 *
 * <p>Every statistics task regenerates every draw (that keeps each task's result a pure function of its units,
 * {@link TrajectoryStatistics}), which is cheap for most families but not for all: a Laplace draw at nx = 4096 is
 * an n × n triangular solve (~10⁷ flops), and with 32 statistics units the draws cost 32 times over. Draws are
 * pure functions of (posterior, index), so returning a stored copy changes no bit; only the work is done once.
 * One posterior at a time is kept (statistics run one method after another), and only when its draws fit in
 * {@link #MAX_BYTES}; otherwise, and for posteriors that already hold their draws, the posterior's own sampler is
 * used. The first task to ask computes the draws while the others wait for them.
 */
final class DrawCache {

  /** The most a cached set of draws may take. */
  static final long MAX_BYTES = 64L << 20;

  private static WeakReference<Posterior> owner = new WeakReference<>(null);
  private static Entry entry;

  private DrawCache() {
  }

  /** The first {@code count} draws of one posterior and their weights. */
  private static final class Entry {
    final int count;
    final int n;
    double[] c;
    double[] w;

    Entry(int count, int n) {
      this.count = count;
      this.n = n;
    }

    synchronized void fill(Posterior post) {
      if (c != null) {
        return;
      }
      double[] cs = new double[count * n];
      double[] ws = new double[count];
      Posterior.Sampler s = post.sampler();
      double[] one = new double[n];
      for (int i = 0; i < count; i++) {
        ws[i] = s.draw(i, one);
        System.arraycopy(one, 0, cs, i * n, n);
      }
      c = cs;
      w = ws;
    }
  }

  /** A sampler of {@code post} whose draws {@code 0 … count−1} come from the JVM's shared copy when they fit. */
  static Posterior.Sampler sampler(Posterior post, int count) {
    final int n = post.dimension();
    if (post instanceof org.vi4dvar.kernels.posterior.EmpiricalPosterior
        || (long) count * n * 8 > MAX_BYTES || count < 2) {
      return post.sampler();
    }
    Entry e;
    synchronized (DrawCache.class) {
      if (owner.get() != post || entry == null || entry.count != count) {
        owner = new WeakReference<>(post);
        entry = new Entry(count, n);
      }
      e = entry;
    }
    e.fill(post);
    final Posterior.Sampler own = post.sampler();
    final double[] cs = e.c;
    final double[] ws = e.w;
    return new Posterior.Sampler() {
      @Override
      public double draw(long i, double[] out) {
        if (i < 0 || i >= count) {
          return own.draw(i, out);
        }
        System.arraycopy(cs, (int) i * n, out, 0, n);
        return ws[(int) i];
      }

      @Override
      public double logDensity(double[] c) {
        return own.logDensity(c);
      }

      @Override
      public void drawFrom(org.vi4dvar.kernels.rng.RandomStream rng, double[] out) {
        own.drawFrom(rng, out);
      }
    };
  }
}
