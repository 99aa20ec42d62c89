"""Prints, as one JSON object, what Pith's dev.pith.models must reproduce for each architecture.

    describe_models.py NUM_CLASSES

Output: {"<name>": {"keys": [[key, [shape...]], ...], "metadata": {prefix: version, ...},
"repr": str(model)}, ...} for the names of dev.pith.models.Models, in that order. "keys" is
model.state_dict() in order, "metadata" its _metadata. Weights are left uninitialised (the
nn.init functions are replaced by no-ops while building), so this is fast even for VGG.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision.models as tvm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tutorial_models import Net  # noqa: E402


FACTORIES = {
    "cifar-net": Net,
    "vgg11": tvm.vgg11, "vgg11_bn": tvm.vgg11_bn, "vgg13": tvm.vgg13, "vgg13_bn": tvm.vgg13_bn,
    "vgg16": tvm.vgg16, "vgg16_bn": tvm.vgg16_bn, "vgg19": tvm.vgg19, "vgg19_bn": tvm.vgg19_bn,
    "resnet18": tvm.resnet18, "resnet34": tvm.resnet34, "resnet50": tvm.resnet50, "resnet101": tvm.resnet101,
    "mobilenet_v2": tvm.mobilenet_v2,
}


def build_without_init(factory, num_classes):
    names = [n for n in dir(nn.init) if n.endswith("_") and not n.startswith("_")]
    saved = {n: getattr(nn.init, n) for n in names}
    try:
        for n in names:
            setattr(nn.init, n, lambda tensor, *args, **kwargs: tensor)
        return factory(num_classes=num_classes)
    finally:
        for n, f in saved.items():
            setattr(nn.init, n, f)


def main():
    num_classes = int(sys.argv[1])
    out = {}
    for name, factory in FACTORIES.items():
        model = build_without_init(factory, num_classes)
        sd = model.state_dict()
        out[name] = {
            "keys": [[k, list(v.shape)] for k, v in sd.items()],
            "metadata": {k: v["version"] for k, v in sd._metadata.items()},
            "repr": str(model),
        }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
