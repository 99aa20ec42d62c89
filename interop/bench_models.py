#!/usr/bin/env python3
"""PyTorch's timings for pith-bench's side-by-side model runs: eval-mode forward passes and training steps.

usage: bench_models.py make OUTDIR        writes <name>.pth (state_dict) and <name>_input.npy per case
       bench_models.py time OUTDIR REPS   prints one line per case: name median_seconds
Cases: resnet18 batch 8 224x224; the tutorial CIFAR-10 Net at batch 1, 4 and 32 (32x32): eval mode,
no autograd. Training steps (train_<case>, on the same weights and inputs): train mode, zero_grad,
forward, cross entropy against labels i % 10, backward, SGD (lr 0.01, momentum 0.9) step.
Both sides use 2 threads, after 3 s of warm-up runs (and at least 3).
"""
import statistics
import os
import sys
import time

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tutorial_models import Net  # noqa: E402

TRAINING_CASES = ["resnet18_b8", "cifar_net_b32"]
CASES = [("resnet18_b8", "resnet18", (8, 3, 224, 224)),
         ("cifar_net_b1", "cifar-net", (1, 3, 32, 32)),
         ("cifar_net_b4", "cifar-net", (4, 3, 32, 32)),
         ("cifar_net_b32", "cifar-net", (32, 3, 32, 32))]


WARM_UP_SECONDS = 3.0


def build(arch):
    torch.manual_seed(0)
    return torchvision.models.resnet18() if arch == "resnet18" else Net()


def timed(step, reps):
    """Median seconds of step() over reps runs, after the warm-up."""
    warm_until = time.perf_counter() + WARM_UP_SECONDS
    i = 0
    while i < 3 or time.perf_counter() < warm_until:
        step()
        i += 1
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load(out, name, arch):
    model = build(arch)
    model.load_state_dict(torch.load(f"{out}/{name}.pth"))
    return model, torch.from_numpy(np.load(f"{out}/{name}_input.npy"))


def training_step(model, x):
    labels = torch.arange(x.shape[0]) % 10
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        optimizer.zero_grad()
        criterion(model(x), labels).backward()
        optimizer.step()
    return step


def main():
    torch.set_num_threads(2)
    op, out = sys.argv[1], sys.argv[2]
    if op == "make":
        for name, arch, shape in CASES:
            torch.save(build(arch).state_dict(), f"{out}/{name}.pth")
            np.save(f"{out}/{name}_input.npy", torch.randn(*shape).numpy())
        return
    reps = int(sys.argv[3])
    for name, arch, _ in CASES:
        model, x = load(out, name, arch)
        model.eval()
        with torch.no_grad():
            print(name, timed(lambda: model(x), reps), flush=True)
    for name, arch, _ in CASES:
        if name in TRAINING_CASES:
            model, x = load(out, name, arch)
            model.train()
            print("train_" + name, timed(training_step(model, x), reps), flush=True)


if __name__ == "__main__":
    main()
