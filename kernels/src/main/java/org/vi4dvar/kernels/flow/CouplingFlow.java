package org.vi4dvar.kernels.flow;

import java.util.Arrays;
import org.vi4dvar.kernels.rng.RandomStream;

/**
 * A normalizing flow {@code w = T_θ(z)} on ℝⁿ made of K affine coupling layers (RealNVP: Dinh, Sohl-Dickstein &amp;
 * Bengio, "Density estimation using Real NVP", ICLR 2017) followed by one affine layer:
 * <pre>
 *   u_0 = z
 *   u_{ℓ+1} = C_ℓ(u_ℓ):   a = u_ℓ[A_ℓ],  b = u_ℓ[B_ℓ]        (A_ℓ = even indices, B_ℓ = odd ones for even ℓ;
 *                                                          swapped for odd ℓ: two layers couple every pair)
 *       h = tanh(W1 a + b1)                               (one hidden layer of H units)
 *       s = c · tanh((Ws h + bs) / c),   t = Wt h + bt    (log-scale softly bounded by c = {@value #LOG_SCALE_BOUND})
 *       u_{ℓ+1}[A] = a,   u_{ℓ+1}[B] = b ⊙ exp(s) + t
 *   w = m + F u_K,   F = diag(exp ρ)  (diagonal)   or  F lower-triangular with F_ii = exp ρ_i  (full)
 *   log |det ∂w/∂z| = Σ_ℓ Σ s_ℓ + Σ_i ρ_i,            log q(w) = −½‖z‖² − n/2 log 2π − log |det ∂w/∂z|
 *   inverse (explicit):  u_K = F⁻¹ (w − m);  u_ℓ[B] = (u_{ℓ+1}[B] − t(a)) ⊙ exp(−s(a)),  a = u_{ℓ+1}[A]
 * </pre>
 * With K = 0 this is exactly the Gaussian family of VI: mean-field (diagonal F) or full-rank (lower F), so one
 * implementation, with one set of tests, serves mean-field, full-rank and flow VI.
 *
 * <p><b>Why affine coupling</b> (rather than IAF or Sylvester flows): both directions are explicit and cost one
 * pass each — sampling and ELBO gradients need the forward map, {@code logDensity} (importance sampling, PSIS,
 * mixtures) needs the inverse; an IAF's inverse is n sequential passes, a Sylvester flow's has no closed form.
 * The log-determinant is a sum. And n = 16 on the talk's data with H ≈ 16–32 hidden units means a few thousand
 * flops per layer — the few layers are written here by hand on flat {@code double[]} parameters with workspaces
 * allocated once, which is cheaper than calling into a JVM deep-learning library per sample and needs no
 * dependency (its adjoint is proved by Taylor tests instead).
 *
 * <p><b>Parameters</b> θ, one flat array: {@code m (n), ρ (n)}, then for a full F its strict lower triangle row by
 * row ({@code n(n−1)/2}), then per layer {@code W1 (H × |A|, row-major), b1 (H), Ws (|B| × H), bs (|B|),
 * Wt (|B| × H), bt (|B|)}. {@link #initialise} sets the identity map (m = 0, ρ = 0, off-diagonal 0, Ws = bs = Wt =
 * bt = 0: every coupling starts at the identity) with random W1 and b1 so that the hidden units are not all
 * alike.
 *
 * <p><b>Derivatives</b> (reverse mode, written by hand):
 * <ul>
 *   <li>{@link #backward}: for the last point, {@code gθ += ∂/∂θ [⟨w̄, w⟩ + κ log|det ∂w/∂z|]} and
 *       {@code z̄ = ∂/∂z} of the same. κ = 0 gives the path derivative through the sample alone ("sticking the
 *       landing"); κ = −1 the total reparameterisation gradient of {@code f(w) + log q(w)};</li>
 *   <li>{@link #gradLogDensity}: {@code ∇_w log q_θ(w)} at the last point with θ held fixed, by reverse mode
 *       through the explicit inverse (from z, where {@code ∂ log N / ∂z = −z}, out to w). Together they give the
 *       "sticking the landing" estimator (Roeder, Wu &amp; Duvenaud 2017) for flows as for Gaussians:
 *       {@code ĝ = (∂w/∂θ)ᵀ (∇_w f + ∇_w log q_θ)}.</li>
 * </ul>
 *
 * <p>The object is immutable and shippable (its index maps only); all state of an evaluation lives in a
 * {@link Workspace} (one per thread), and no method allocates.
 */
public final class CouplingFlow implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The bound c of the layers' log-scales: |s| &lt; c, so one layer scales by at most e^c ≈ 55. */
  public static final double LOG_SCALE_BOUND = 4.0;

  private static final double HALF_LOG_2PI = 0.5 * Math.log(2.0 * Math.PI);

  private final int n;
  private final int layers;
  private final int hidden;
  private final boolean diagonal;
  private final int affineCount;
  private final int parameterCount;
  private final int[] layerOffset;
  private final int[][] cond;
  private final int[][] trans;
  private final int nbMax;

  /**
   * @param n dimension (≥ 1; ≥ 2 when layers &gt; 0)
   * @param layers number of coupling layers K ≥ 0
   * @param hidden hidden units H of each coupling's network (≥ 1; unused when K = 0)
   * @param diagonal whether the affine layer's F is diagonal (mean-field) or lower-triangular (full)
   */
  public CouplingFlow(int n, int layers, int hidden, boolean diagonal) {
    if (n < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + n);
    }
    if (layers < 0) {
      throw new IllegalArgumentException("layers must be >= 0, got " + layers);
    }
    if (layers > 0 && n < 2) {
      throw new IllegalArgumentException("coupling layers need a dimension >= 2, got " + n);
    }
    if (layers > 0 && hidden < 1) {
      throw new IllegalArgumentException("hidden units must be >= 1, got " + hidden);
    }
    long count = parameterCount(n, layers, hidden, diagonal);
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a flow with " + count + " parameters does not fit in one array");
    }
    this.n = n;
    this.layers = layers;
    this.hidden = layers > 0 ? hidden : 0;
    this.diagonal = diagonal;
    this.affineCount = 2 * n + (diagonal ? 0 : n * (n - 1) / 2);
    this.layerOffset = new int[layers + 1];
    this.cond = new int[layers][];
    this.trans = new int[layers][];
    int off = affineCount;
    int nb = 0;
    for (int l = 0; l < layers; l++) {
      int evens = (n + 1) / 2;
      int[] even = new int[evens];
      int[] odd = new int[n - evens];
      for (int i = 0; i < n; i++) {
        if ((i & 1) == 0) {
          even[i / 2] = i;
        } else {
          odd[i / 2] = i;
        }
      }
      cond[l] = (l & 1) == 0 ? even : odd;
      trans[l] = (l & 1) == 0 ? odd : even;
      layerOffset[l] = off;
      off += layerSize(cond[l].length, trans[l].length, this.hidden);
      nb = Math.max(nb, trans[l].length);
    }
    layerOffset[layers] = off;
    this.parameterCount = off;
    this.nbMax = nb;
  }

  private static long layerSize(long na, long nb, long h) {
    return h * na + h + 2 * (nb * h + nb);
  }

  /** The number of parameters of a flow with these dimensions (for memory estimates before building one). */
  public static long parameterCount(int n, int layers, int hidden, boolean diagonal) {
    long c = 2L * n + (diagonal ? 0L : (long) n * (n - 1) / 2);
    long evens = (n + 1) / 2;
    long odds = n - evens;
    for (int l = 0; l < layers; l++) {
      c += (l & 1) == 0 ? layerSize(evens, odds, hidden) : layerSize(odds, evens, hidden);
    }
    return c;
  }

  /** The dimension n. */
  public int dimension() {
    return n;
  }

  /** The number of coupling layers K. */
  public int layers() {
    return layers;
  }

  /** Hidden units H per coupling network (0 when K = 0). */
  public int hidden() {
    return hidden;
  }

  /** Whether the affine layer is diagonal. */
  public boolean isDiagonal() {
    return diagonal;
  }

  /** The number of parameters θ. */
  public int parameterCount() {
    return parameterCount;
  }

  /** The number of parameters of the affine layer ({@code m, ρ} and F's strict lower triangle): θ's prefix. */
  public int affineParameterCount() {
    return affineCount;
  }

  /** Index in θ of the strict-lower entry {@code F_ij} (i &gt; j) of a full affine layer. */
  public int lowerIndex(int i, int j) {
    return 2 * n + i * (i - 1) / 2 + j;
  }

  /**
   * The relative step size of every parameter for a per-coordinate optimiser (Adam, which moves each parameter by
   * about {@code lr} per step whatever its gradient): 1 for everything but the strict lower triangle of a full F,
   * whose row i (its i entries {@code F_i0 … F_i,i−1}) gets {@code 1/√i}; into {@code out[off, off +
   * parameterCount)}. Near F = I, where VI's recentring keeps it, a step δ changes q by
   * {@code KL(q_{θ+δ} ‖ q_θ) ≈ ½ (‖δm‖² + ‖δF_lower‖² + 2 ‖δρ‖²)}, so with steps of lr per parameter
   * <pre>
   *   scale 1:    row i of F moves by ‖δF_i‖ ≈ lr √i,       KL ≈ ½ lr² (3n + n(n−1)/2)     (O(n² lr²))
   *   scale 1/√i: ‖δF_i‖ ≈ lr, as m_i and ρ_i,             KL ≈ ½ lr² (4n − 1)            (O(n lr²), as mean field)
   * </pre>
   * so that the rate keeps its meaning — the fraction of the current posterior scale by which a step moves each
   * component — whatever n. With scale 1 the noise of the n(n−1)/2 entries adds up along a row, inflating the
   * spread of component i by ~lr √i per step; the recentring on the current fit compounds that window after
   * window, and at the default rate full-rank VI diverges once n ≳ 100 (the weak-constraint control
   * n = nx + (T − 1) nx, or a large nx). Each coupling network's first-layer weights get {@code 1/√|A|} (its
   * fan-in) for the same reason; the rest of the coupling layers keeps scale 1.
   */
  public void stepScales(double[] out, int off) {
    Arrays.fill(out, off, off + parameterCount, 1.0);
    if (!diagonal) {
      for (int i = 1; i < n; i++) {
        Arrays.fill(out, off + lowerIndex(i, 0), off + lowerIndex(i, 0) + i, 1.0 / Math.sqrt(i));
      }
    }
    // the same argument for each coupling network's first layer: a hidden unit's pre-activation sums |A| inputs,
    // so steps of lr on each of its |A| weights move it by ~lr √|A| — scaled by 1/√|A|, as its initialisation is
    for (int l = 0; l < layers; l++) {
      final int na = cond[l].length;
      Arrays.fill(out, off + layerOffset[l], off + layerOffset[l] + hidden * na, 1.0 / Math.sqrt(na));
    }
  }

  /** A workspace for this flow (not thread-safe; one per thread). */
  public Workspace newWorkspace() {
    return new Workspace();
  }

  /**
   * θ = the identity map with random first-layer weights of every coupling network:
   * {@code W1 ~ N(0, scale²/|A|)}, {@code b1 ~ N(0, scale²)}, everything else 0. Draws {@code Σ_ℓ H (|A_ℓ| + 1)}
   * Gaussians from {@code rng}, layer by layer, W1 then b1 (none when K = 0).
   *
   * @param theta overwritten ({@link #parameterCount()} values)
   */
  public void initialise(double[] theta, RandomStream rng, double scale) {
    Arrays.fill(theta, 0, parameterCount, 0.0);
    for (int l = 0; l < layers; l++) {
      final int na = cond[l].length;
      final int o = layerOffset[l];
      final double sd = scale / Math.sqrt(na);
      for (int k = 0; k < hidden * na; k++) {
        theta[o + k] = sd * rng.nextGaussian();
      }
      for (int h = 0; h < hidden; h++) {
        theta[o + hidden * na + h] = scale * rng.nextGaussian();
      }
    }
  }

  /**
   * {@code w = T_θ(z)}; the intermediate states are kept in {@code ws} for {@link #backward} and
   * {@link #gradLogDensity}.
   *
   * @param theta parameters, not modified
   * @param z base point (n), not modified
   * @param w output (n), overwritten; must not be z
   * @return {@code log |det ∂w/∂z|}
   */
  public double forward(double[] theta, double[] z, double[] w, Workspace ws) {
    final double[] u = ws.u;
    System.arraycopy(z, 0, u, 0, n);
    double logDet = 0.0;
    for (int l = 0; l < layers; l++) {
      logDet += couplingForward(theta, l, ws);
    }
    logDet += affineForward(theta, ws, w);
    return logDet;
  }

  /**
   * {@code z = T_θ⁻¹(w)}; leaves {@code ws} exactly as {@link #forward} at that z would (so {@link #backward} and
   * {@link #gradLogDensity} apply at it).
   *
   * @param theta parameters, not modified
   * @param w point (n), not modified
   * @param z output (n), overwritten; must not be w
   * @return {@code log |det ∂w/∂z|} at z
   */
  public double inverse(double[] theta, double[] w, double[] z, Workspace ws) {
    final double[] u = ws.u;
    final double[] er = ws.expRho;
    final int uk = layers * n;
    double logDet = 0.0;
    for (int i = 0; i < n; i++) {
      er[i] = Math.exp(theta[n + i]);
      logDet += theta[n + i];
    }
    // u_K = F⁻¹ (w − m)
    if (diagonal) {
      for (int i = 0; i < n; i++) {
        u[uk + i] = (w[i] - theta[i]) / er[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        double s = w[i] - theta[i];
        final int o = 2 * n + i * (i - 1) / 2;
        for (int j = 0; j < i; j++) {
          s -= theta[o + j] * u[uk + j];
        }
        u[uk + i] = s / er[i];
      }
    }
    for (int l = layers - 1; l >= 0; l--) {
      logDet += couplingInverse(theta, l, ws);
    }
    System.arraycopy(u, 0, z, 0, n);
    return logDet;
  }

  /** {@code log q_θ(w) = −½‖z‖² − n/2 log 2π − log|det ∂w/∂z|}, {@code z = T⁻¹(w)}; ws holds that point after. */
  public double logDensity(double[] theta, double[] w, Workspace ws) {
    double logDet = inverse(theta, w, ws.zOut, ws);
    return logBase(ws.zOut) - logDet;
  }

  /** {@code log N(z; 0, I)}. */
  public double logBase(double[] z) {
    double q = 0.0;
    for (int i = 0; i < n; i++) {
      q += z[i] * z[i];
    }
    return -0.5 * q - n * HALF_LOG_2PI;
  }

  /** The base point z of the last {@link #forward} or {@link #inverse} held in {@code ws} (copied into out). */
  public void lastBasePoint(Workspace ws, double[] out) {
    System.arraycopy(ws.u, 0, out, 0, n);
  }

  // ----------------------------------------------------------------------------------------------------------
  // layers

  private double couplingForward(double[] th, int l, Workspace ws) {
    final int[] a = cond[l];
    final int[] b = trans[l];
    final int na = a.length;
    final int nb = b.length;
    final int hh = hidden;
    final int o = layerOffset[l];
    final int oB1 = o + hh * na;
    final int oWs = oB1 + hh;
    final int oBs = oWs + nb * hh;
    final int oWt = oBs + nb;
    final int oBt = oWt + nb * hh;
    final double[] u = ws.u;
    final int in = l * n;
    final int out = in + n;
    final double[] hid = ws.hid;
    final int oh = l * hh;
    for (int h = 0; h < hh; h++) {
      double s = th[oB1 + h];
      final int ow = o + h * na;
      for (int k = 0; k < na; k++) {
        s += th[ow + k] * u[in + a[k]];
      }
      hid[oh + h] = Math.tanh(s);
    }
    final int os = l * nbMax;
    double logDet = 0.0;
    for (int k = 0; k < na; k++) {
      u[out + a[k]] = u[in + a[k]];
    }
    for (int k = 0; k < nb; k++) {
      double raw = th[oBs + k];
      double t = th[oBt + k];
      final int ows = oWs + k * hh;
      final int owt = oWt + k * hh;
      for (int h = 0; h < hh; h++) {
        raw += th[ows + h] * hid[oh + h];
        t += th[owt + h] * hid[oh + h];
      }
      double s = LOG_SCALE_BOUND * Math.tanh(raw / LOG_SCALE_BOUND);
      double e = Math.exp(s);
      ws.s[os + k] = s;
      ws.es[os + k] = e;
      u[out + b[k]] = u[in + b[k]] * e + t;
      logDet += s;
    }
    return logDet;
  }

  /** u_ℓ from u_{ℓ+1}; fills hid, s, es of layer ℓ as the forward does. */
  private double couplingInverse(double[] th, int l, Workspace ws) {
    final int[] a = cond[l];
    final int[] b = trans[l];
    final int na = a.length;
    final int nb = b.length;
    final int hh = hidden;
    final int o = layerOffset[l];
    final int oB1 = o + hh * na;
    final int oWs = oB1 + hh;
    final int oBs = oWs + nb * hh;
    final int oWt = oBs + nb;
    final int oBt = oWt + nb * hh;
    final double[] u = ws.u;
    final int in = l * n;
    final int out = in + n;
    final double[] hid = ws.hid;
    final int oh = l * hh;
    for (int h = 0; h < hh; h++) {
      double s = th[oB1 + h];
      final int ow = o + h * na;
      for (int k = 0; k < na; k++) {
        s += th[ow + k] * u[out + a[k]];
      }
      hid[oh + h] = Math.tanh(s);
    }
    final int os = l * nbMax;
    double logDet = 0.0;
    for (int k = 0; k < na; k++) {
      u[in + a[k]] = u[out + a[k]];
    }
    for (int k = 0; k < nb; k++) {
      double raw = th[oBs + k];
      double t = th[oBt + k];
      final int ows = oWs + k * hh;
      final int owt = oWt + k * hh;
      for (int h = 0; h < hh; h++) {
        raw += th[ows + h] * hid[oh + h];
        t += th[owt + h] * hid[oh + h];
      }
      double s = LOG_SCALE_BOUND * Math.tanh(raw / LOG_SCALE_BOUND);
      double e = Math.exp(s);
      ws.s[os + k] = s;
      ws.es[os + k] = e;
      u[in + b[k]] = (u[out + b[k]] - t) / e;
      logDet += s;
    }
    return logDet;
  }

  private double affineForward(double[] th, Workspace ws, double[] w) {
    final double[] u = ws.u;
    final double[] er = ws.expRho;
    final int uk = layers * n;
    double logDet = 0.0;
    for (int i = 0; i < n; i++) {
      er[i] = Math.exp(th[n + i]);
      logDet += th[n + i];
    }
    if (diagonal) {
      for (int i = 0; i < n; i++) {
        w[i] = th[i] + er[i] * u[uk + i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        double s = th[i] + er[i] * u[uk + i];
        final int o = 2 * n + i * (i - 1) / 2;
        for (int j = 0; j < i; j++) {
          s += th[o + j] * u[uk + j];
        }
        w[i] = s;
      }
    }
    return logDet;
  }

  // ----------------------------------------------------------------------------------------------------------
  // reverse mode

  /**
   * At the point of the last {@link #forward}/{@link #inverse}: {@code gradTheta += ∂/∂θ [⟨w̄, w⟩ + κ log|det
   * ∂w/∂z|]} and {@code zBar = ∂/∂z} of the same.
   *
   * @param theta parameters, not modified
   * @param wBar cotangent of w (n), not modified
   * @param kappa weight of the log-determinant
   * @param gradTheta accumulated into ({@link #parameterCount()} values)
   * @param zBar overwritten with the cotangent of z (n), or null
   */
  public void backward(double[] theta, double[] wBar, double kappa, double[] gradTheta, double[] zBar,
      Workspace ws) {
    final double[] u = ws.u;
    final double[] er = ws.expRho;
    final double[] c = ws.c;
    final int uk = layers * n;
    // affine: w = m + F u_K
    for (int i = 0; i < n; i++) {
      final double g = wBar[i];
      gradTheta[i] += g;
      gradTheta[n + i] += g * u[uk + i] * er[i] + kappa;
      c[i] = g * er[i];
    }
    if (!diagonal) {
      for (int i = 1; i < n; i++) {
        final double g = wBar[i];
        final int o = 2 * n + i * (i - 1) / 2;
        for (int j = 0; j < i; j++) {
          gradTheta[o + j] += g * u[uk + j];
          c[j] += theta[o + j] * g;
        }
      }
    }
    for (int l = layers - 1; l >= 0; l--) {
      couplingBackward(theta, l, kappa, gradTheta, ws);
    }
    if (zBar != null) {
      System.arraycopy(c, 0, zBar, 0, n);
    }
  }

  /** ws.c: cotangent of u_{ℓ+1} in, of u_ℓ out; parameter gradients of layer ℓ accumulated. */
  private void couplingBackward(double[] th, int l, double kappa, double[] gt, Workspace ws) {
    final int[] a = cond[l];
    final int[] b = trans[l];
    final int na = a.length;
    final int nb = b.length;
    final int hh = hidden;
    final int o = layerOffset[l];
    final int oB1 = o + hh * na;
    final int oWs = oB1 + hh;
    final int oBs = oWs + nb * hh;
    final int oWt = oBs + nb;
    final int oBt = oWt + nb * hh;
    final double[] u = ws.u;
    final double[] c = ws.c;
    final int in = l * n;
    final double[] hid = ws.hid;
    final int oh = l * hh;
    final int os = l * nbMax;
    final double[] rawBar = ws.rawBar;
    final double[] tBar = ws.tBar;
    final double[] hBar = ws.hBar;
    for (int k = 0; k < nb; k++) {
      final double g = c[b[k]];
      final double e = ws.es[os + k];
      final double s = ws.s[os + k];
      final double sBar = g * u[in + b[k]] * e + kappa;
      final double r = s / LOG_SCALE_BOUND;
      rawBar[k] = sBar * (1.0 - r * r);
      tBar[k] = g;
      c[b[k]] = g * e;
    }
    Arrays.fill(hBar, 0, hh, 0.0);
    for (int k = 0; k < nb; k++) {
      final double rb = rawBar[k];
      final double tb = tBar[k];
      gt[oBs + k] += rb;
      gt[oBt + k] += tb;
      final int ows = oWs + k * hh;
      final int owt = oWt + k * hh;
      for (int h = 0; h < hh; h++) {
        final double hv = hid[oh + h];
        gt[ows + h] += rb * hv;
        gt[owt + h] += tb * hv;
        hBar[h] += th[ows + h] * rb + th[owt + h] * tb;
      }
    }
    for (int h = 0; h < hh; h++) {
      final double hv = hid[oh + h];
      final double pre = hBar[h] * (1.0 - hv * hv);
      gt[oB1 + h] += pre;
      final int ow = o + h * na;
      for (int k = 0; k < na; k++) {
        gt[ow + k] += pre * u[in + a[k]];
        c[a[k]] += th[ow + k] * pre;
      }
    }
  }

  /**
   * {@code ∇_w log q_θ(w)} at the point of the last {@link #forward}/{@link #inverse}, θ held fixed: reverse mode
   * through the inverse map, from {@code ∂ log N(z)/∂z = −z} and each inverse layer's log-determinant
   * {@code −Σ s} out to w.
   *
   * @param theta parameters, not modified
   * @param gradW overwritten (n)
   */
  public void gradLogDensity(double[] theta, Workspace ws, double[] gradW) {
    final double[] u = ws.u;
    final double[] c = ws.c;
    for (int i = 0; i < n; i++) {
      c[i] = -u[i];
    }
    for (int l = 0; l < layers; l++) {
      couplingInverseVjp(theta, l, ws);
    }
    // u_K = F⁻¹ (w − m): gradW = F⁻ᵀ c
    final double[] er = ws.expRho;
    if (diagonal) {
      for (int i = 0; i < n; i++) {
        gradW[i] = c[i] / er[i];
      }
      return;
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = c[i];
      for (int j = i + 1; j < n; j++) {
        s -= theta[2 * n + j * (j - 1) / 2 + i] * gradW[j];
      }
      gradW[i] = s / er[i];
    }
  }

  /** ws.c: cotangent of u_ℓ in, of u_{ℓ+1} out, for the inverse layer u_{ℓ+1} ↦ u_ℓ and its log-det −Σ s. */
  private void couplingInverseVjp(double[] th, int l, Workspace ws) {
    final int[] a = cond[l];
    final int[] b = trans[l];
    final int na = a.length;
    final int nb = b.length;
    final int hh = hidden;
    final int o = layerOffset[l];
    final int oB1 = o + hh * na;
    final int oWs = oB1 + hh;
    final int oBs = oWs + nb * hh;
    final int oWt = oBs + nb;
    final double[] u = ws.u;
    final double[] c = ws.c;
    final int in = l * n;
    final double[] hid = ws.hid;
    final int oh = l * hh;
    final int os = l * nbMax;
    final double[] rawBar = ws.rawBar;
    final double[] tBar = ws.tBar;
    final double[] hBar = ws.hBar;
    for (int k = 0; k < nb; k++) {
      final double g = c[b[k]];
      final double ie = 1.0 / ws.es[os + k];
      final double s = ws.s[os + k];
      final double sBar = -g * u[in + b[k]] - 1.0;
      final double r = s / LOG_SCALE_BOUND;
      rawBar[k] = sBar * (1.0 - r * r);
      tBar[k] = -g * ie;
      c[b[k]] = g * ie;
    }
    Arrays.fill(hBar, 0, hh, 0.0);
    for (int k = 0; k < nb; k++) {
      final double rb = rawBar[k];
      final double tb = tBar[k];
      final int ows = oWs + k * hh;
      final int owt = oWt + k * hh;
      for (int h = 0; h < hh; h++) {
        hBar[h] += th[ows + h] * rb + th[owt + h] * tb;
      }
    }
    for (int h = 0; h < hh; h++) {
      final double hv = hid[oh + h];
      final double pre = hBar[h] * (1.0 - hv * hv);
      final int ow = o + h * na;
      for (int k = 0; k < na; k++) {
        c[a[k]] += th[ow + k] * pre;
      }
    }
  }

  /** The evaluation state of one thread: intermediate states and scratch, allocated once. */
  public final class Workspace {
    final double[] u = new double[(layers + 1) * n];
    final double[] hid = new double[Math.max(1, layers * hidden)];
    final double[] s = new double[Math.max(1, layers * nbMax)];
    final double[] es = new double[Math.max(1, layers * nbMax)];
    final double[] expRho = new double[n];
    final double[] c = new double[n];
    final double[] rawBar = new double[Math.max(1, nbMax)];
    final double[] tBar = new double[Math.max(1, nbMax)];
    final double[] hBar = new double[Math.max(1, hidden)];
    final double[] zOut = new double[n];

    private Workspace() {
    }
  }
}
