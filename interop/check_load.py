#!/usr/bin/python3
"""Loads files with the real torch.load, to prove that files Pith writes open in PyTorch.

Usage: check_load.py FILE... [--weights-only]

Loads each FILE with map_location='cpu' and weights_only=False, or weights_only=True when asked.
With one FILE: prints "ok" and exits 0 when the load succeeds; otherwise prints
"error: <type>: <message>" on stderr and exits 1.
With several: prints one line per FILE, "<FILE>\tok" or "<FILE>\terror: <type>: <message>", on
stdout, and exits 0 only when every load succeeded.
This really unpickles each FILE: run it only on files you made (or on hostile files in a sandbox).
"""
import sys


def try_load(torch, path, weights_only):
    """None when the load succeeds, else the error in one line."""
    try:
        torch.load(path, map_location="cpu", weights_only=weights_only)
    except Exception as e:  # noqa: BLE001 - the caller wants any failure, worded
        message = " ".join(str(e).split())
        return f"error: {type(e).__name__}: {message}"
    return None


def main(argv):
    args = argv[1:]
    weights_only = "--weights-only" in args
    args = [a for a in args if a != "--weights-only"]
    if not args or any(a.startswith("--") for a in args):
        print("usage: check_load.py FILE... [--weights-only]", file=sys.stderr)
        return 2
    import torch
    sys.stdout.reconfigure(encoding="utf-8")
    if len(args) == 1:
        error = try_load(torch, args[0], weights_only)
        if error is not None:
            print(error, file=sys.stderr)
            return 1
        print("ok")
        return 0
    failures = 0
    for path in args:
        error = try_load(torch, path, weights_only)
        failures += error is not None
        print(f"{path}\t{error or 'ok'}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
