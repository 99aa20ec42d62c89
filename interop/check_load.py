#!/usr/bin/python3
"""Loads a file with the real torch.load, to prove that files Pith writes open in PyTorch.

Usage: check_load.py FILE [--weights-only]

Loads with map_location='cpu' and weights_only=False, or weights_only=True when asked. Prints "ok"
and exits 0 when the load succeeds; otherwise prints "error: <type>: <message>" on stderr and exits 1.
This really unpickles FILE: run it only on files you made (or on hostile files in a sandbox).
"""
import sys


def main(argv):
    args = argv[1:]
    weights_only = "--weights-only" in args
    args = [a for a in args if a != "--weights-only"]
    if len(args) != 1 or args[0].startswith("--"):
        print("usage: check_load.py FILE [--weights-only]", file=sys.stderr)
        return 2
    import torch
    try:
        torch.load(args[0], map_location="cpu", weights_only=weights_only)
    except Exception as e:  # noqa: BLE001 - the caller wants any failure, worded
        message = " ".join(str(e).split())
        print(f"error: {type(e).__name__}: {message}", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
