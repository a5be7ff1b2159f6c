#!/usr/bin/env python3
"""Reference values for the kernel's diagnostics and PSIS tests, computed with numpy + scipy.

Run during development (python3 reference_values.py); its printed numbers are pasted as constants into
DiagnosticsReferenceTest and PsisTest. This is an independent implementation of the published formulas:
  Vehtari, Gelman, Simpson, Carpenter & Buerkner (2021), rank-normalised split-R-hat and ESS, following the
  R posterior package / Stan's stan::analyze (split drops the middle draw; Blom offsets (r - 3/8)/(N + 1/4);
  Geyer's initial monotone sequence; tau capped at 1/log10(N));
  Zhang & Stephens (2009) generalised Pareto fit with the weakly informative prior of Vehtari et al. (2024),
  as the R loo package's gpdfit (grid 30 + floor(sqrt(n)), prior 3 on the quartile, k shrunk to 0.5 with
  weight 10);
  PSIS smoothing as loo's psis (tail M = ceil(min(0.2 S, 3 sqrt(S))), expected order statistics
  F^-1((i - 1/2)/M), truncation at the largest raw weight).
It uses scipy.stats.rankdata, scipy.stats.norm.ppf (Cephes ndtri) and numpy.fft, none of which the Java code
shares. Datasets come from an integer LCG so that Java regenerates them bit for bit.
"""
import numpy as np
from scipy import stats


def lcg_uniforms(n, seed):
    """u_k = (state >> 11) / 2^53 of the 64-bit LCG state = state * 6364136223846793005 + 1442695040888963407."""
    out = []
    s = seed & 0xFFFFFFFFFFFFFFFF
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        out.append((s >> 11) / float(1 << 53))
    return np.array(out)


def ar_chains(m, s, phi, seed):
    u = lcg_uniforms(m * s, seed) - 0.5
    x = np.zeros((m, s))
    for c in range(m):
        y = 0.0
        for t in range(s):
            y = phi * y + u[c * s + t]
            x[c, t] = y
    return x


def split(x):
    m, s = x.shape
    h = s // 2
    return np.array([row for c in range(m) for row in (x[c, :h], x[c, s - h:])])


def zscale(x):
    r = stats.rankdata(x.ravel(), method="average").reshape(x.shape)
    return stats.norm.ppf((r - 0.375) / (x.size + 0.25))


def rhat_classic(x):
    m, n = x.shape
    means = x.mean(axis=1)
    w = x.var(axis=1, ddof=1).mean()
    b = n * means.var(ddof=1)
    return np.sqrt((b / w + n - 1) / n)


def acov(y):
    n = len(y)
    mm = 1
    while mm < 2 * n:
        mm *= 2
    yc = np.zeros(mm)
    yc[:n] = y - y.mean()
    f = np.fft.fft(yc)
    return np.real(np.fft.ifft(f * np.conj(f)))[:n] / n


def ess_basic(x):
    m, n = x.shape
    ac = np.array([acov(x[c]) for c in range(m)])
    if np.all(x == x.flat[0]):
        return float("nan")
    means = x.mean(axis=1)
    mean_var = np.mean(ac[:, 0]) * n / (n - 1.0)
    var_plus = mean_var * (n - 1.0) / n
    if m > 1:
        var_plus += means.var(ddof=1)
    rho = np.zeros(n)
    # 1-based mirror of posterior's .ess: rho[t] holds lag t
    rho[0] = 1.0
    even = 1.0
    odd = 1.0 - (mean_var - ac[:, 1].mean()) / var_plus
    rho[1] = odd
    t = 0
    while t < n - 5 and even + odd > 0:
        t += 2
        even = 1.0 - (mean_var - ac[:, t].mean()) / var_plus
        odd = 1.0 - (mean_var - ac[:, t + 1].mean()) / var_plus
        if even + odd >= 0:
            rho[t] = even
            rho[t + 1] = odd
    max_t = t
    if even > 0:
        rho[max_t] = even
    t = 0
    while t <= max_t - 4:
        t += 2
        if rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]:
            rho[t] = (rho[t - 2] + rho[t - 1]) / 2
            rho[t + 1] = rho[t]
    tau = -1 + 2 * rho[:max_t].sum() + rho[max_t]
    tau = max(tau, 1 / np.log10(m * n))
    return m * n / tau


def diagnostics(x):
    sx = split(x)
    bulk = rhat_classic(zscale(sx))
    fold = rhat_classic(zscale(split(np.abs(x - np.median(x)))))
    ess_bulk = ess_basic(zscale(sx))
    q05 = np.quantile(x, 0.05)
    q95 = np.quantile(x, 0.95)
    # NaN propagates (as in the R posterior package): an indicator that is constant after splitting has no ESS
    ess_tail = float(np.minimum(ess_basic(split((x <= q05).astype(float))),
                                ess_basic(split((x <= q95).astype(float)))))
    ess_mean = ess_basic(sx)
    mcse_mean = np.std(x, ddof=1) / np.sqrt(ess_mean)
    d = x - x.mean()
    e2 = np.mean(d ** 2)
    e4 = np.mean(d ** 4)
    ess_abs = ess_basic(split(np.abs(d)))
    mcse_sd = np.sqrt((e4 - e2 ** 2) / ess_abs / (4 * e2))
    return dict(rhat_bulk=bulk, rhat_folded=fold, rhat=max(bulk, fold), ess_bulk=ess_bulk, ess_tail=ess_tail,
                ess_mean=ess_mean, mcse_mean=mcse_mean, mcse_sd=mcse_sd)


def gpdfit(x):
    """loo::gpdfit with wip = TRUE on sorted exceedances x (ascending)."""
    n = len(x)
    m = 30 + int(np.floor(np.sqrt(n)))
    prior = 3.0
    jj = np.arange(1, m + 1)
    xstar = x[int(np.floor(n / 4 + 0.5)) - 1]
    theta = 1 / x[-1] + (1 - np.sqrt(m / (jj - 0.5))) / prior / xstar
    k = np.array([np.mean(np.log1p(-t * x)) for t in theta])
    l_theta = n * (np.log(-theta / k) - k - 1)
    w = np.exp(l_theta - np.logaddexp.reduce(l_theta))
    theta_hat = np.sum(theta * w)
    khat = np.mean(np.log1p(-theta_hat * x))
    sigma = -khat / theta_hat
    khat = (khat * n + 0.5 * 10) / (n + 10)
    return khat, sigma


def gpinv(p, k, sigma):
    if abs(k) < np.finfo(float).eps:
        return -sigma * np.log1p(-p)
    return sigma * np.expm1(-k * np.log1p(-p)) / k


def psis(lw):
    s = len(lw)
    lw = lw - lw.max()
    mtail = int(np.ceil(min(0.2 * s, 3 * np.sqrt(s))))
    order = np.argsort(lw, kind="stable")
    tail = order[s - mtail:]
    cutoff = lw[order[s - mtail - 1]]
    ex = np.exp(cutoff) * np.expm1(lw[tail] - cutoff)
    k, sigma = gpdfit(ex)
    p = (np.arange(1, mtail + 1) - 0.5) / mtail
    sm = cutoff + np.log1p(gpinv(p, k, sigma) / np.exp(cutoff))
    out = lw.copy()
    out[tail] = np.minimum(sm, 0.0)
    out -= np.logaddexp.reduce(out)
    return out, k, sigma, mtail


def jarr(name, a):
    return "  static final double[] " + name + " = {" + ", ".join(repr(float(v)) for v in a) + "};"


if __name__ == "__main__":
    np.set_printoptions(precision=17)
    # --- hand case: 2 chains x 7 draws with ties (odd length: the middle draw is dropped by split)
    small = np.array([[0.3, -1.2, 0.8, 2.1, 0.8, -0.4, 1.5], [1.1, 0.2, -0.7, 0.9, 1.9, 0.4, -0.1]])
    print("// small (2 x 7):", {k: repr(float(v)) for k, v in diagnostics(small).items()})
    # --- AR(0.6) chains, 3 x 50, from the LCG with seed 12345
    ar = ar_chains(3, 50, 0.6, 12345)
    print("// ar (3 x 50, phi 0.6, seed 12345): first", repr(ar[0, 0]), "last", repr(ar[2, 49]))
    print("//", {k: repr(float(v)) for k, v in diagnostics(ar).items()})
    # --- shifted: chain c gets + 0.3 c
    sh = ar + 0.3 * np.arange(3)[:, None]
    print("// shifted (+0.3 c):", {k: repr(float(v)) for k, v in diagnostics(sh).items()})
    # --- normal quantiles
    ps = [1e-300, 1e-20, 1e-10, 1e-5, 1e-3, 0.02425, 0.075, 0.3, 0.5, 0.6, 0.9, 0.925, 0.975, 0.999,
          1 - 1e-10]
    print(jarr("P", ps))
    print(jarr("Z", stats.norm.ppf(ps)))
    # --- GPD fit on exceedances: 40 sorted values 1/u^0.4 - 1 from the LCG (a Pareto tail, true k = 0.4)
    u = lcg_uniforms(40, 777)
    ex = np.sort(u ** -0.4 - 1.0)
    print(jarr("EXCEEDANCES", ex))
    k, sigma = gpdfit(ex)
    print("// gpdfit: k =", repr(k), "sigma =", repr(sigma))
    # --- PSIS on 100 log weights 0.5 * log(1/u) (Pareto-like weights u^-0.5), LCG seed 4242
    u = lcg_uniforms(100, 4242)
    lw = 0.5 * np.log(1.0 / u)
    out, k, sigma, mt = psis(lw)
    print("// psis: M =", mt, "k =", repr(k), "sigma =", repr(sigma))
    print(jarr("PSIS_OUT", out))
    w = np.exp(out)
    print("// psis ess:", repr(1.0 / np.sum(w ** 2)))
