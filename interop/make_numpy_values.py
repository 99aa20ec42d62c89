#!/usr/bin/env python3
"""Checkpoints holding NumPy values, as training scripts save them (torch.save of a dict with a
np.float64 metric, an ndarray confusion matrix, ...): usage make_numpy_values.py OUTDIR.
Writes OUTDIR/numpy_values.pth, OUTDIR/numpy_strings.pth (a str array, which Pith refuses by name)
and OUTDIR/expected.json: for each value its kind, and for arrays dtype, shape and the elements in
row-major order."""
import json
import os
import sys

import numpy as np
import torch


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    values = {
        "epoch": 3,
        "best_acc": np.float64(0.9731),
        "loss32": np.float32(1.5),
        "half": np.float16(-2.25),
        "steps": np.int64(-7),
        "small": np.int8(-128),
        "big_u64": np.uint64(2 ** 64 - 1),
        "flag": np.bool_(True),
        "z": np.complex128(1.5 - 2j),
        "confusion": np.arange(6, dtype=np.float32).reshape(2, 3),
        "fortran": np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4) / 4),
        "big_endian": np.array([-2, 70000, 3], dtype=">i4"),
        "mask": np.array([[True, False], [False, True]]),
        "u16": np.array([0, 40000, 65535], dtype=np.uint16),
        "zero_d": np.array(2.5),
        "empty": np.zeros((0, 3), dtype=np.int64),
        "model": {"w": torch.ones(2)},
    }
    torch.save(values, os.path.join(out, "numpy_values.pth"))
    torch.save({"labels": np.array(["cat", "dog"])}, os.path.join(out, "numpy_strings.pth"))
    expected = {}
    for k, v in values.items():
        if isinstance(v, np.ndarray):
            flat = np.ascontiguousarray(v).ravel()
            expected[k] = {"kind": "array", "dtype": str(v.dtype.newbyteorder("=")), "shape": list(v.shape),
                           "values": [x.item() for x in flat]}
        elif isinstance(v, np.complexfloating):
            expected[k] = {"kind": "complex", "value": [v.real.item(), v.imag.item()]}
        elif isinstance(v, np.generic):
            expected[k] = {"kind": type(v.item()).__name__, "value": v.item()}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
