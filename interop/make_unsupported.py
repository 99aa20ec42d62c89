#!/usr/bin/env python3
"""Valid PyTorch files holding tensor kinds Pith does not represent, which Pith must refuse by
name (not as unsafe): usage make_unsupported.py DIR -> DIR/quantized.pth, sparse.pth, meta.pth."""
import os
import sys

import torch


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    torch.save({"q": torch.quantize_per_tensor(torch.randn(4), 0.1, 10, torch.quint8)},
               os.path.join(out, "quantized.pth"))
    torch.save({"s": torch.randn(3, 3).to_sparse()}, os.path.join(out, "sparse.pth"))
    torch.save({"m": torch.empty(3, device="meta")}, os.path.join(out, "meta.pth"))
    for name in ("quantized", "sparse", "meta"):
        torch.load(os.path.join(out, name + ".pth"))  # valid files: the real loader reads them


if __name__ == "__main__":
    main()
