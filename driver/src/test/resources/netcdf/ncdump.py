"""Dumps a NetCDF-3 file as JSON for the Java tests: what scipy.io.netcdf_file reads (and, where xarray is
installed, what xarray.open_dataset decodes), every number as its raw IEEE/two's-complement bits so that the
comparison is exact (NaN payloads, -0.0 and subnormals included).

usage: python3 ncdump.py FILE  ->  JSON on stdout
"""
import hashlib
import json
import sys

import numpy as np
from scipy.io import netcdf_file


def bits(a):
    a = np.ascontiguousarray(np.asarray(a))
    if a.dtype.kind == 'f' and a.dtype.itemsize == 8:
        return a.astype('>f8').view('>i8').ravel().tolist()
    if a.dtype.kind == 'f' and a.dtype.itemsize == 4:
        return a.astype('>f4').view('>i4').ravel().tolist()
    if a.dtype.kind in 'iu':
        return a.astype('>i8').ravel().tolist()
    raise TypeError(str(a.dtype))


def raw_bytes(a):
    a = np.ascontiguousarray(np.asarray(a))
    return a.astype(a.dtype.newbyteorder('>')).tobytes()


def attr(v):
    if isinstance(v, bytes):
        return {"type": "c", "text": v.decode('utf-8')}
    a = np.atleast_1d(np.asarray(v))
    return {"type": a.dtype.kind + str(a.dtype.itemsize), "bits": bits(a)}


def strings(a):
    a = np.asarray(a)
    rows = a.reshape(-1, a.shape[-1]) if a.ndim > 0 else a.reshape(1, 1)
    return [b''.join(r.tolist()).rstrip(b'\0').decode('utf-8') for r in rows]


def scipy_dump(path):
    out = {}
    with netcdf_file(path, 'r', mmap=False) as f:
        out["version_byte"] = int(f.version_byte)
        out["dimensions"] = {k: int(v) for k, v in f.dimensions.items()}
        out["attributes"] = {k: attr(v) for k, v in f._attributes.items()}
        vs = {}
        for name, var in f.variables.items():
            e = {"dimensions": list(var.dimensions), "type": var.typecode(), "shape": list(var.shape),
                 "attributes": {k: attr(v) for k, v in var._attributes.items()}}
            data = var.data
            if var.typecode() == 'c':
                e["strings"] = strings(data)
            else:
                e["bits"] = bits(data)
            e["sha256"] = hashlib.sha256(raw_bytes(data)).hexdigest()
            vs[name] = e
        out["variables"] = vs
    return out


def xarray_dump(path):
    try:
        import xarray
    except ImportError:
        return None
    out = {"version": xarray.__version__}
    with xarray.open_dataset(path) as ds:
        out["attrs"] = {k: (v if isinstance(v, str) else attr(v)) for k, v in ds.attrs.items()}
        out["coords"] = sorted(ds.coords)
        vs = {}
        for name, var in ds.variables.items():
            e = {"dims": list(var.dims), "dtype": str(var.dtype)}
            v = var.values
            if v.dtype.kind in 'SUO':
                e["kind"] = v.dtype.kind if v.dtype.kind != 'O' else type(v.ravel()[0]).__name__
                e["strings"] = [x.decode('utf-8') if isinstance(x, bytes) else str(x) for x in v.ravel().tolist()]
            elif v.dtype.kind == 'f':
                e["bits"] = bits(v.astype('f8'))
            elif v.dtype.kind in 'iu':
                e["bits"] = bits(v)
            vs[name] = e
        out["variables"] = vs
    return out


if __name__ == '__main__':
    path = sys.argv[1]
    json.dump({"scipy": scipy_dump(path), "xarray": xarray_dump(path)}, sys.stdout)
