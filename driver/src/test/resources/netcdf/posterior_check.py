"""Checks a posterior.nc against the CSV files of the same run, value for value (exact equality; NaN where a CSV
field is empty), with scipy.io.netcdf_file and, where installed, xarray (the two-line recipe of the README).

usage: python3 posterior_check.py FILE.nc RUN_DIR  ->  prints 'ok <checks> checks' (and 'xarray ok' or
'xarray missing'); exits 1 with the first mismatch
"""
import os
import sys

import numpy as np
from scipy.io import netcdf_file


def csv(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            rows.append([float(v) if v != '' else np.nan for v in line.split(',')])
    return np.array(rows, dtype='f8')


def same(a, b, what):
    a = np.asarray(a, dtype='f8')
    b = np.asarray(b, dtype='f8')
    if a.shape != b.shape:
        sys.exit('%s: shape %s != %s' % (what, a.shape, b.shape))
    if not np.array_equal(a, b, equal_nan=True):
        i = np.argwhere(~((a == b) | (np.isnan(a) & np.isnan(b))))[0]
        sys.exit('%s: differs at %s: %r != %r' % (what, tuple(i), a[tuple(i)], b[tuple(i)]))
    return 1


def main(nc, run):
    n = 0
    with netcdf_file(nc, 'r', mmap=False) as f:
        v = f.variables
        assert f.version_byte == 2
        assert f.Conventions == b'CF-1.8', f.Conventions
        methods = [b''.join(r).rstrip(b'\0').decode() for r in v['estimator'].data]
        nt, nx = len(v['time'].data), len(v['x'].data)
        n += same(v['model_time'].data, np.arange(nt) * float(open(os.path.join(run, 'dt.txt')).read()), 'model_time')
        d = os.path.join(run, 'data')
        if os.path.exists(os.path.join(d, 'truth.csv')):
            n += same(v['truth'].data, csv(os.path.join(d, 'truth.csv')), 'truth')
        n += same(v['observation'].data, csv(os.path.join(d, 'obs.csv')), 'obs')
        n += same(v['observation_std'].data, csv(os.path.join(d, 'obs_std.csv')), 'obs_std')
        n += same(v['background'].data, csv(os.path.join(d, 'background.csv'))[0], 'background')
        n += same(v['background_std'].data, csv(os.path.join(d, 'background_std.csv'))[0], 'background_std')
        probs = v['quantile'].data
        cov_times = v['cov_time'].data if 'cov_time' in v else []
        for k, m in enumerate(methods):
            md = os.path.join(run, m)
            n += same(v['posterior_mean'].data[k], csv(os.path.join(md, 'mean.csv')), m + '/mean')
            n += same(v['posterior_std'].data[k], csv(os.path.join(md, 'std.csv')), m + '/std')
            for q, p in enumerate(probs):
                name = 'q%02d.csv' % round(p * 100)
                n += same(v['posterior_quantile'].data[k, q], csv(os.path.join(md, name)), m + '/' + name)
            for c, t in enumerate(cov_times):
                n += same(v['posterior_covariance'].data[k, c], csv(os.path.join(md, 'cov_t%d.csv' % t)),
                          m + '/cov_t%d' % t)
            ns = int(v['trajectory_count'].data[k])
            traj = v['trajectory'].data[k]
            if ns > 0:
                n += same(traj[:ns].reshape(ns, -1), csv(os.path.join(md, 'samples.csv')), m + '/samples')
            else:
                assert not os.path.exists(os.path.join(md, 'samples.csv')) or \
                    os.path.getsize(os.path.join(md, 'samples.csv')) == 0
            assert np.isnan(traj[ns:]).all(), m + ': fill beyond trajectory_count'
            n += 1
            if os.path.exists(os.path.join(md, 'x0_mean.csv')):
                n += same(v['x0_mean'].data[k], csv(os.path.join(md, 'x0_mean.csv'))[0], m + '/x0_mean')
                n += same(v['x0_covariance'].data[k], csv(os.path.join(md, 'x0_cov.csv')), m + '/x0_cov')
            elif 'x0_mean' in v:
                assert np.isnan(v['x0_mean'].data[k]).all(), m + ': x0_mean NaN without x0'
            n += same([v['sample_count'].data[k]], [int(open(os.path.join(md, 'count.txt')).read())], m + '/count')
    print('ok %d checks' % n)
    try:
        import xarray
    except ImportError:
        print('xarray missing')
        return
    # the README's two lines
    ds = xarray.open_dataset(nc)
    df = ds["posterior_mean"].sel(estimator=methods[-1]).to_pandas()
    assert list(df.index) == list(range(nt)) and list(df.columns) == list(range(nx)), (df.index, df.columns)
    same(df.values, csv(os.path.join(run, methods[-1], 'mean.csv')), 'xarray/pandas mean')
    assert list(ds.estimator.values) == methods, ds.estimator.values
    assert 'model_time' in ds["posterior_mean"].coords
    same(ds["observation"].values, csv(os.path.join(run, 'data', 'obs.csv')), 'xarray obs')
    same(ds["posterior_quantile"].sel(estimator=methods[0], quantile=0.5).values,
         csv(os.path.join(run, methods[0], 'q50.csv')), 'xarray median')
    assert ds.attrs['vi4dvar_configuration'].startswith('seed'), ds.attrs['vi4dvar_configuration'][:40]
    ds.close()
    print('xarray ok')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
