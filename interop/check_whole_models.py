"""Checks whole-model files written by Pith (dev.pith.modelfile.ModelFile.save) with the real torch.load.

    check_whole_models.py MANIFEST

MANIFEST (JSON, written by the Java test): {"cases": [{"name", "file", "reference", "input",
"expected", "compare", "training": {module path: bool}, "requires_grad": {parameter name: bool}}]}.
"reference" names a case of make_whole_models.CASES: the architecture as PyTorch builds it.

For each case: torch.load(file) (weights_only=False) must return an nn.Module whose repr (classes
and hyper-parameters), module classes and state-dict keys and shapes equal the reference's; whose
training flags and requires_grad flags are the manifest's (Pith's); whose forward on the input, in
the saved mode ("compare": "as_saved") or after eval() ("eval"), equals Pith's output ("expected")
within 1e-4 x max(1, max |expected|); and, in training mode, whose backward gives gradients exactly
to the parameters that require them. Prints "NAME ok" or "NAME FAIL: why" per case; exit status 1
when any failed.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

from describe_models import Net
from make_whole_models import CASES

# Pith saves the tutorial's Net as __main__.Net, as torch.save does from the training script
Net.__module__ = "__main__"


def check(case, base):
    model = torch.load(os.path.join(base, case["file"]))
    if not isinstance(model, nn.Module):
        return "torch.load gave a %s, not an nn.Module" % type(model).__name__
    reference = CASES[case["reference"]][0]()
    if repr(model) != repr(reference):
        return "repr differs from PyTorch's:\n%s\n--- expected ---\n%s" % (model, reference)
    got = [(n, type(m)) for n, m in model.named_modules()]
    want = [(n, type(m)) for n, m in reference.named_modules()]
    if got != want:
        return "module classes differ: %s" % [g for g, w in zip(got, want) if g != w][:3]
    got = [(k, tuple(v.shape), v.dtype) for k, v in model.state_dict().items()]
    want = [(k, tuple(v.shape), v.dtype) for k, v in reference.state_dict().items()]
    if got != want:
        return "state_dict differs: %s" % [g for g, w in zip(got, want) if g != w][:3]
    training = {n: m.training for n, m in model.named_modules()}
    if training != case["training"]:
        return "training flags %s, expected %s" % (training, case["training"])
    requires_grad = {n: p.requires_grad for n, p in model.named_parameters()}
    if requires_grad != case["requires_grad"]:
        return "requires_grad %s, expected %s" % (requires_grad, case["requires_grad"])
    if not all(isinstance(p, nn.Parameter) for p in model.parameters()):
        return "a parameter is not an nn.Parameter"
    x = torch.from_numpy(np.load(os.path.join(base, case["input"])))
    expected = torch.from_numpy(np.load(os.path.join(base, case["expected"])))
    if case["compare"] == "eval":
        model.eval()
    if model.training:
        y = model(x)
        y.sum().backward()
        for n, p in model.named_parameters():
            if (p.grad is not None) != p.requires_grad:
                return "after backward, %s has %s gradient" % (n, "a" if p.grad is not None else "no")
        y = y.detach()
    else:
        with torch.no_grad():
            y = model(x)
    tolerance = 1e-4 * max(1.0, float(expected.abs().max()))
    diff = float((y - expected).abs().max())
    if diff > tolerance:
        return "outputs differ by %g (tolerance %g)" % (diff, tolerance)
    return None


def main():
    manifest_path = sys.argv[1]
    base = os.path.dirname(os.path.abspath(manifest_path))
    with open(manifest_path) as f:
        manifest = json.load(f)
    failed = False
    for case in manifest["cases"]:
        try:
            why = check(case, base)
        except Exception as e:  # report every case, whatever breaks
            why = "%s: %s" % (type(e).__name__, e)
        if why is None:
            print(case["name"], "ok")
        else:
            failed = True
            print(case["name"], "FAIL:", why)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
