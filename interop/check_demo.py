#!/usr/bin/python3
"""Checks what `pith demo` wrote, with the real PyTorch.

Usage: check_demo.py OUTDIR DIGITS_CSV_GZ

Defines the demo's DigitsCnn in PyTorch (the architecture of dev.pith.demo.DigitsCnn), loads
OUTDIR/digits_cnn.pth with torch.load(weights_only=True) (and checks that weights_only=False gives
the same tensors) into it strictly, takes the test rows named by OUTDIR/test_split.pth from the
digits CSV (64 pixels 0..16 then the label; pixels / 16 as float32, shape [N, 1, 8, 8]), checks
that their labels are the ones the split file holds, and predicts in eval() mode under no_grad.

Prints one JSON object: {"tested": N, "correct": C, "accuracy": C / N, "predictions": [...],
"logits": [[10 floats], ...]}.
"""
import gzip
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class DigitsCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(64 * 2 * 2, 128)
        self.dropout = nn.Dropout(0.25)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


def main(out_dir, csv_path):
    weights = torch.load(f"{out_dir}/digits_cnn.pth", weights_only=True)
    unrestricted = torch.load(f"{out_dir}/digits_cnn.pth")
    assert list(weights) == list(unrestricted), "weights_only changes the keys"
    assert all(torch.equal(weights[k], unrestricted[k]) for k in weights), "weights_only changes a tensor"
    model = DigitsCnn()
    model.load_state_dict(weights)   # strict
    model.eval()

    split = torch.load(f"{out_dir}/test_split.pth", weights_only=True)
    with gzip.open(csv_path, "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.int64)
    indices = split["indices"].numpy()
    images = torch.from_numpy((rows[indices, :64] / 16.0).astype(np.float32)).reshape(-1, 1, 8, 8)
    labels = torch.from_numpy(rows[indices, 64])
    assert torch.equal(labels, split["labels"]), "the split's labels are not the CSV's"

    with torch.no_grad():
        logits = model(images)
    predictions = logits.argmax(1)
    correct = int((predictions == labels).sum())
    print(json.dumps({
        "tested": len(labels),
        "correct": correct,
        "accuracy": correct / len(labels),
        "predictions": predictions.tolist(),
        "logits": logits.tolist(),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
