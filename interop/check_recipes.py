#!/usr/bin/python3
"""Checks, with the real PyTorch, files that Pith's recipe tests (pith-core, dev.pith.recipes) wrote.

Usage:
  check_recipes.py dataparallel FILE REFERENCE
      loads FILE (a state_dict with 'module.' keys) strictly into torch.nn.DataParallel(Net()) and
      checks that the wrapped Net then holds exactly the tensors of REFERENCE (a plain state_dict)
  check_recipes.py gan FILE REFERENCE
      loads FILE's generator, discriminator, optimizerG and optimizerD into the GAN of
      make_corpus.py (models strictly, optimizers with load_state_dict) and checks that their
      state_dicts equal those of REFERENCE (gan_two_models.pth)

Prints "ok", or the first difference on stderr with exit status 1.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tutorial_models import Net  # noqa: E402


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def same(a, b, path):
    """Equal state_dict values: tensors of the same dtype, shape and bits; the rest by ==."""
    if isinstance(b, torch.Tensor):
        if not isinstance(a, torch.Tensor) or a.dtype != b.dtype or a.shape != b.shape or not torch.equal(a, b):
            fail(f"{path}: {a!r} != {b!r}")
    elif isinstance(b, dict):
        if not isinstance(a, dict) or list(a.keys()) != list(b.keys()):
            fail(f"{path}: keys {list(a.keys()) if isinstance(a, dict) else type(a)} != {list(b.keys())}")
        for k in b:
            same(a[k], b[k], f"{path}/{k}")
    elif isinstance(b, (list, tuple)):
        if type(a) != type(b) or len(a) != len(b):
            fail(f"{path}: {a!r} != {b!r}")
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}/{i}")
    elif type(a) != type(b) or a != b:
        fail(f"{path}: {a!r} ({type(a).__name__}) != {b!r} ({type(b).__name__})")


def dataparallel(file, reference):
    model = nn.DataParallel(Net())
    model.load_state_dict(torch.load(file, weights_only=True))
    same(dict(model.module.state_dict()), dict(torch.load(reference, weights_only=True)), "module")


def gan(file, reference):
    generator = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4), nn.Tanh())
    discriminator = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
    opt_g = torch.optim.SGD(generator.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    saved = torch.load(file)
    generator.load_state_dict(saved["generator"])
    discriminator.load_state_dict(saved["discriminator"])
    opt_g.load_state_dict(saved["optimizerG"])
    opt_d.load_state_dict(saved["optimizerD"])
    expected = torch.load(reference)
    same(dict(generator.state_dict()), dict(expected["generator"]), "generator")
    same(dict(discriminator.state_dict()), dict(expected["discriminator"]), "discriminator")
    same(opt_g.state_dict(), expected["optimizerG"], "optimizerG")
    same(opt_d.state_dict(), expected["optimizerD"], "optimizerD")
    same(saved["epoch"], expected["epoch"], "epoch")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("dataparallel", "gan"):
        fail(__doc__)
    {"dataparallel": dataparallel, "gan": gan}[sys.argv[1]](sys.argv[2], sys.argv[3])
    print("ok")
