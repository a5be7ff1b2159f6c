#!/usr/bin/env python3
"""The most that exact early rejection can save on a dataset, whatever the implementation (BENCHMARKS.md, issue 18).

Re-simulates N prior trials x0 = xb + sigma_b * z of a vi4dvar dataset with numpy (Lorenz96, RK4, one step per
state, diagonal B; y = x^2 unless --identity; F, dt and the assimilated states as options, the talk's by default)
and, for each bound beta given, finds the first assimilated state after which a trial's partial
observation distance 1/2 sum_{s<=t} |h(x_s) - y_s|^2_R exceeds beta: a trial dropped there has computed t of the
T - 1 model steps. Prints the mean steps per trial and the fraction saved: the ceiling of the exact rule for that
bound (an implementation can only do worse: lanes carried until compaction, trials evaluated in full for the
statistics, a bound that is looser early in a task).

    python3 kernels/src/jmh/python/abc_rejection_ceiling.py conf/data/l96-talk 400000 60 100 150
    python3 kernels/src/jmh/python/abc_rejection_ceiling.py DATA 100000 50 --forcing 8 --dt 0.05 --assimilated 20
"""
import argparse

import numpy as np


def main(d, n, betas, F=8.0, dt=0.1, assim=12, identity=False, seed=1):
    rd = lambda f: np.genfromtxt(f"{d}/{f}", delimiter=",")
    obs, ostd, xb, bstd = rd("obs.csv"), rd("obs_std.csv"), rd("background.csv"), rd("background_std.csv")
    tend = lambda x: (np.roll(x, -1, 0) - np.roll(x, 2, 0)) * np.roll(x, 1, 0) - x + F

    def step(x):
        k1 = tend(x); k2 = tend(x + dt / 2 * k1); k3 = tend(x + dt / 2 * k2); k4 = tend(x + dt * k3)
        return x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

    x = xb[:, None] + bstd[:, None] * np.random.default_rng(seed).standard_normal((xb.size, n))
    s, partial = np.zeros(n), []
    for t in range(assim):
        if t > 0:
            x = step(x)
        m = ~np.isnan(obs[t])
        if m.any():
            hx = x[m] if identity else x[m] ** 2
            s += np.sum(((hx - obs[t][m][:, None]) / ostd[t][m][:, None]) ** 2, 0)
        partial.append(0.5 * s.copy())
    partial = np.array(partial)
    q = np.quantile(partial[-1], [1e-4, 1e-3, 1e-2, 0.5])
    print(f"{n} prior trials; final distance quantiles 1e-4 {q[0]:.1f}, 1e-3 {q[1]:.1f}, 1e-2 {q[2]:.1f}, "
          f"median {q[3]:.1f}")
    for beta in betas:
        over = partial[:-1] > beta                      # dropped after state t < T-1: t steps computed
        steps = np.where(over.any(0), over.argmax(0), assim - 1)
        print(f"beta {beta:g}: {steps.mean():.2f} of {assim - 1} steps per trial, at most "
              f"{100 * (1 - steps.mean() / (assim - 1)):.1f} % saved")


if __name__ == "__main__":
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("data"), a.add_argument("trials", type=int), a.add_argument("bounds", type=float, nargs="+")
    a.add_argument("--forcing", type=float, default=8.0), a.add_argument("--dt", type=float, default=0.1)
    a.add_argument("--assimilated", type=int, default=12), a.add_argument("--identity", action="store_true")
    o = a.parse_args()
    main(o.data, o.trials, o.bounds, o.forcing, o.dt, o.assimilated, o.identity)
