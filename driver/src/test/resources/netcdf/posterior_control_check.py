"""Checks the model errors and estimated parameters of a posterior.nc against the files of the same run in the
run's own layout: <method>/model_error_mean.csv and model_error_std.csv (header t,x_0,..; a leading t column),
summary.json's methods.<m>.parameters.<name> {mean, std, q05, q50, q95, prior {mean, std}, truth}, and the
dataset's data/model_error_std.csv, model_error_truth.csv, parameters_truth.csv (header-less). Every number of
those files is written by Double.toString (JSON: the shortest round-trip form), so the comparison is exact; an
empty CSV field or a JSON null is NaN. A method without model errors or parameters in its files must be NaN.

usage: python3 posterior_control_check.py FILE.nc RUN_DIR [MODEL_PARAMETERS]
  MODEL_PARAMETERS: the columns of parameters_truth.csv, comma-separated (default: forcing, Lorenz96's only)
prints one JSON line {"checks", "methods", "model_steps", "parameters", "model_error_truth", "parameter_truth",
"xarray"};
exits 1 with the first mismatch
"""
import json
import os
import sys

import numpy as np
from scipy.io import netcdf_file

from posterior_check import same  # its sibling (the tests extract both into one directory)


def csv(path, header=False):
    rows = []
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines[1:] if header else lines:
        rows.append([float(v) if v != '' else np.nan for v in line.split(',')])
    a = np.array(rows, dtype='f8')
    return a[:, 1:] if header else a


def num(v):
    return np.nan if v is None else float(v)


def strings(var):
    return [b''.join(r).rstrip(b'\0').decode() for r in var.data]


def main(nc, run, model_parameters):
    summary = json.load(open(os.path.join(run, 'summary.json')))['methods']
    data = os.path.join(run, 'data')
    out = {'checks': 0, 'model_steps': 0, 'parameters': [], 'model_error_truth': False, 'parameter_truth': False}
    n = 0
    with netcdf_file(nc, 'r', mmap=False) as f:
        v = f.variables
        assert f.version_byte == 2
        methods = strings(v['estimator'])
        out['methods'] = methods
        nx = len(v['x'].data)
        if 'model_step' in v:
            steps = len(v['model_step'].data)
            out['model_steps'] = steps
            n += same(v['model_step'].data, np.arange(steps), 'model_step')
            assert v['model_error_mean'].dimensions == ('estimator', 'model_step', 'x'), v['model_error_mean'].dimensions
            for k, m in enumerate(methods):
                for var, name in (('model_error_mean', 'model_error_mean.csv'), ('model_error_std', 'model_error_std.csv')):
                    p = os.path.join(run, m, name)
                    want = csv(p, header=True) if os.path.exists(p) else np.full((steps, nx), np.nan)
                    n += same(v[var].data[k], want, m + '/' + name)
            n += same(v['model_error_prior_std'].data, csv(os.path.join(data, 'model_error_std.csv')),
                      'data/model_error_std.csv')
            truth = os.path.join(data, 'model_error_truth.csv')
            assert ('model_error_truth' in v) == os.path.exists(truth), 'model_error_truth iff the dataset has it'
            if os.path.exists(truth):
                n += same(v['model_error_truth'].data, csv(truth), 'data/model_error_truth.csv')
                out['model_error_truth'] = True
        else:
            assert not any(name.startswith('model_error') for name in v), 'no model errors without model_step'
        if 'parameter' in v:
            names = strings(v['parameter'])
            out['parameters'] = names
            n += same(v['quantile3'].data, [0.05, 0.5, 0.95], 'quantile3')
            assert v['parameter_quantile'].dimensions == ('estimator', 'quantile3', 'parameter')
            prior = None
            for k, m in enumerate(methods):
                ps = summary[m].get('parameters')
                if ps is None:
                    for var in ('parameter_mean', 'parameter_std', 'parameter_quantile'):
                        assert np.isnan(v[var].data[k]).all(), m + ': ' + var + ' NaN without parameters'
                    continue
                assert list(ps) == names, (m, list(ps), names)
                n += same(v['parameter_mean'].data[k], [num(ps[p]['mean']) for p in names], m + '/parameters mean')
                n += same(v['parameter_std'].data[k], [num(ps[p]['std']) for p in names], m + '/parameters std')
                n += same(v['parameter_quantile'].data[k], [[num(ps[p][q]) for p in names] for q in ('q05', 'q50', 'q95')],
                          m + '/parameters q05 q50 q95')
                prior = [[num(ps[p]['prior']['mean']) for p in names], [num(ps[p]['prior']['std']) for p in names]]
                if 'truth' in ps[names[0]]:
                    n += same(v['parameter_truth'].data, [num(ps[p]['truth']) for p in names], m + '/parameters truth')
            n += same([v['parameter_prior_mean'].data, v['parameter_prior_std'].data], prior, 'parameters prior')
            truth = os.path.join(data, 'parameters_truth.csv')
            assert ('parameter_truth' in v) == os.path.exists(truth), 'parameter_truth iff the dataset has it'
            if os.path.exists(truth):
                row = csv(truth)[0]
                n += same(v['parameter_truth'].data, [row[model_parameters.index(p)] for p in names],
                          'data/parameters_truth.csv')
                out['parameter_truth'] = True
        else:
            assert not any(name.startswith('parameter') for name in v), 'no parameter variables without parameter'
    out['checks'] = n
    try:
        import xarray
    except ImportError:
        out['xarray'] = 'missing'
        print(json.dumps(out))
        return
    ds = xarray.open_dataset(nc)
    assert list(ds.estimator.values) == methods, ds.estimator.values
    if out['model_steps']:
        m = methods[-1]
        da = ds.model_error_mean.sel(estimator=m)
        assert da.dims == ('model_step', 'x') and list(da.model_step.values) == list(range(out['model_steps']))
        p = os.path.join(run, m, 'model_error_mean.csv')
        if os.path.exists(p):
            same(da.to_pandas().values, csv(p, header=True), 'xarray model_error_mean ' + m)
        assert ds.model_error_std.attrs['long_name'].startswith('posterior standard deviation')
    if out['parameters']:
        assert list(ds.parameter.values) == out['parameters'], ds.parameter.values
        table = ds.parameter_quantile.sel(parameter=out['parameters'][0]).to_pandas()  # estimator × probability
        assert list(table.index) == methods and list(table.columns) == [0.05, 0.5, 0.95], table
        for m in methods:
            ps = summary[m].get('parameters')
            if ps is not None:
                p = out['parameters'][0]
                same([ds.parameter_quantile.sel(estimator=m, parameter=p, quantile3=0.95).item(),
                      ds.parameter_mean.sel(estimator=m, parameter=p).item()],
                     [num(ps[p]['q95']), num(ps[p]['mean'])], 'xarray parameter ' + m)
    ds.close()
    out['xarray'] = 'ok'
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else 'forcing').split(','))
