#!/usr/bin/env python3
"""One timed torch.load / torch.save in this process, for pith-bench's side-by-side runs.

usage: bench_torch.py load FILE | save FILE OUT | make-vgg16 OUT
prints: seconds peak_rss_bytes checksum   (the same line format as dev.pith.bench.OneShot)
"""
import sys
import time


def peak_rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def warm_up(torch):
    """One small save and load before timing, as dev.pith.bench.OneShot does."""
    import os
    import tempfile
    fd, tmp = tempfile.mkstemp(suffix=".pth")
    os.close(fd)
    try:
        torch.save({"w": torch.zeros(64, 64)}, tmp)
        torch.load(tmp)
    finally:
        os.remove(tmp)


def checksum(sd):
    return sum(int(t.reshape(-1)[-1].item()) for t in sd.values() if t.numel() > 0)


def main():
    import torch
    torch.set_num_threads(2)
    op, path = sys.argv[1], sys.argv[2]
    if op == "make-vgg16":
        import torchvision
        torch.manual_seed(0)
        torch.save(torchvision.models.vgg16().state_dict(), path)
        print(path)
        return
    warm_up(torch)
    if op == "load":
        start = time.perf_counter()
        sd = torch.load(path)
        seconds = time.perf_counter() - start
    elif op == "save":
        sd = torch.load(path)
        start = time.perf_counter()
        torch.save(sd, sys.argv[3])
        seconds = time.perf_counter() - start
    else:
        raise SystemExit("unknown operation " + op)
    print(seconds, peak_rss(), checksum(sd))


if __name__ == "__main__":
    main()
