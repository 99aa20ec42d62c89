"""Loss modules inside whole-model files, both ways, with the real torch.

    loss_modules.py make MODEL CASES   writes MODEL: torch.save of an nn.ModuleDict holding one of each
                                       loss module Pith maps (non-default settings, class weights);
                                       CASES: torch.save of {name: {"input", "target", "expected"}},
                                       expected being torch's loss of that module on that input
    loss_modules.py check MODEL CASES  loads Pith's MODEL and CASES with torch.load and prints one JSON
                                       object: {"repr": repr(model), "classes": {name: module.Class},
                                       "buffers": {name: {buffer: list or null}},
                                       "max_rel_diff": {name: max of |torch's loss - CASES' expected|
                                       / max(1, |expected|)}}
"""
import json
import sys

import torch
import torch.nn as nn


def losses(gen):
    return nn.ModuleDict({
        "ce": nn.CrossEntropyLoss(weight=torch.rand(3, generator=gen) + 0.5, ignore_index=2, label_smoothing=0.1),
        "nll": nn.NLLLoss(ignore_index=1, reduction="sum"),
        "mse": nn.MSELoss(reduction="sum"),
        "l1": nn.L1Loss(),
        "smooth": nn.SmoothL1Loss(reduction="none", beta=0.5),
        "bce": nn.BCEWithLogitsLoss(weight=torch.rand(3, generator=gen), pos_weight=torch.rand(3, generator=gen) + 1),
    })


def inputs(gen):
    x = lambda: torch.randn(4, 3, generator=gen)
    return {
        "ce": (x(), torch.tensor([0, 2, 1, 0])),
        "nll": (torch.log_softmax(x(), dim=1), torch.tensor([1, 0, 2, 2])),
        "mse": (x(), x()),
        "l1": (x(), x()),
        "smooth": (x(), x()),
        "bce": (x(), torch.rand(4, 3, generator=gen)),
    }


def make(model_file, cases_file):
    gen = torch.Generator().manual_seed(7)
    model = losses(gen)
    cases = {}
    with torch.no_grad():
        for name, (x, target) in inputs(gen).items():
            cases[name] = {"input": x, "target": target, "expected": model[name](x, target)}
    torch.save(model, model_file)
    torch.save(cases, cases_file)


def check(model_file, cases_file):
    model = torch.load(model_file)
    cases = torch.load(cases_file)
    out = {"repr": repr(model), "classes": {}, "buffers": {}, "max_rel_diff": {}}
    with torch.no_grad():
        for name, module in model.items():
            out["classes"][name] = type(module).__module__ + "." + type(module).__name__
            out["buffers"][name] = {k: (None if v is None else v.tolist()) for k, v in module._buffers.items()}
            c = cases[name]
            got = module(c["input"], c["target"])
            scale = c["expected"].abs().clamp(min=1)
            out["max_rel_diff"][name] = float(((got - c["expected"]).abs() / scale).max())
    print(json.dumps(out))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2], sys.argv[3])
