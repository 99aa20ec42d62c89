"""Writes whole-model files (torch.save(model), the module objects themselves) made by the real torch.

    make_whole_models.py OUTDIR

Cases, each with a fixed seed, random biases and batch-norm state (see make_model_cases.randomize):

    resnet18       torchvision resnet18(num_classes=10), training mode
    vgg11_bn       torchvision vgg11_bn(num_classes=10), training mode, features.0 frozen
    mobilenet_v2   torchvision mobilenet_v2(num_classes=10), training mode, features.0-4 frozen
    mlp            the tutorials' nn.Sequential MLP (Linear/ReLU), first Linear and the second's bias frozen
    eval_cnn       nn.Sequential of Conv2d, BatchNorm2d, ReLU, MaxPool2d, Dropout, Flatten, Linear after eval()
    norms          nn.Sequential of Conv2d, GroupNorm, Hardswish, ZeroPad2d, Flatten, LayerNorm, Linear
    convs          nn.Sequential of Conv2d, ConvTranspose2d (stride 2, output_padding 1), Upsample (scale 2,
                   nearest), Upsample (size (20, 20), bilinear), ReLU, Flatten, Linear
    conv1d         nn.Sequential of Conv1d (padding='same'), ReLU, Conv1d (stride 2), Flatten, Linear
    embedding      nn.Sequential of Embedding (padding_idx 0), Flatten, LayerNorm, Linear; its input is
                   int64 indices
    net            the CIFAR-10 tutorial's Net, a class of this script: pickled as __main__.Net

and mlp_legacy.pth, the mlp in the legacy format (_use_new_zipfile_serialization=False), whose
pickle names each module class through a ('module', class, source file, source) persistent id.

Files, in OUTDIR: NAME.pth (torch.save(model)), NAME_input.npy (float32), NAME_expected.npy: the
output in the saved mode ("compare": "as_saved"), or, for models with dropout saved in training
mode, in eval mode ("compare": "eval"). The output is computed after saving (a training-mode
pass updates the batch-norm statistics).

manifest.json: {"files": [{"file"}...], "cases": [{"name", "file", "input", "expected", "compare",
"max_abs", "classes": {module path: "module.Class"}, "training": {module path: bool},
"requires_grad": {parameter name: bool}, "state_dict_keys": [...]}]}; module paths are
named_modules() names ("" for the root).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision.models as tvm

from describe_models import Net
from make_model_cases import randomize

# pickle names a class by its __module__; the tutorial defines Net in the training script itself
Net.__module__ = "__main__"


def mlp():
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 5))
    model[0].requires_grad_(False)
    model[2].bias.requires_grad_(False)
    return model


def eval_cnn():
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
                          nn.MaxPool2d(2), nn.Dropout(0.3), nn.Flatten(), nn.Linear(8 * 4 * 4, 6))
    return model


def norms():
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.GroupNorm(2, 8), nn.Hardswish(), nn.ZeroPad2d((1, 0, 1, 0)),
                         nn.Flatten(), nn.LayerNorm(8 * 9 * 9, eps=1e-6), nn.Linear(8 * 9 * 9, 4))


def convs():
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1),
                         nn.Upsample(scale_factor=2.0), nn.Upsample(size=(20, 20), mode="bilinear", align_corners=False),
                         nn.ReLU(), nn.Flatten(), nn.Linear(4 * 20 * 20, 3))


def conv1d():
    return nn.Sequential(nn.Conv1d(3, 5, 3, padding="same"), nn.ReLU(), nn.Conv1d(5, 2, 2, stride=2), nn.Flatten(),
                         nn.Linear(2 * 5, 3))


def embedding():
    return nn.Sequential(nn.Embedding(10, 4, padding_idx=0), nn.Flatten(), nn.LayerNorm(12), nn.Linear(12, 2))


# cases whose input is int64 indices below this bound (the others take standard normal floats)
INDEX_INPUTS = {"embedding": 10}


def freeze(modules):
    for m in modules:
        m.requires_grad_(False)


# name -> (factory, input shape, mode after building, what to freeze)
CASES = {
    "resnet18": (lambda: tvm.resnet18(num_classes=10), (2, 3, 64, 48), "train", lambda m: None),
    "vgg11_bn": (lambda: tvm.vgg11_bn(num_classes=10), (1, 3, 32, 32), "train", lambda m: freeze([m.features[0]])),
    "mobilenet_v2": (lambda: tvm.mobilenet_v2(num_classes=10), (2, 3, 32, 32), "train",
                     lambda m: freeze(m.features[:5])),
    "mlp": (mlp, (4, 20), "train", lambda m: None),
    "eval_cnn": (eval_cnn, (2, 3, 8, 8), "eval", lambda m: None),
    "norms": (norms, (2, 3, 8, 8), "train", lambda m: None),
    "convs": (convs, (2, 3, 8, 8), "train", lambda m: None),
    "conv1d": (conv1d, (2, 3, 10), "train", lambda m: None),
    "embedding": (embedding, (2, 3), "train", lambda m: None),
    "net": (lambda: Net(10), (2, 3, 32, 32), "train", lambda m: None),
}


def has_dropout(model):
    return any(isinstance(m, (nn.Dropout, nn.Dropout2d)) for m in model.modules())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files, cases = [], []
    for i, (name, (factory, shape, mode, frozen)) in enumerate(CASES.items()):
        torch.manual_seed(100 + i)
        gen = torch.Generator().manual_seed(200 + i)
        model = factory()
        randomize(model, gen)
        frozen(model)
        if mode == "eval":
            model.eval()
        x = (torch.randint(0, INDEX_INPUTS[name], shape, generator=gen) if name in INDEX_INPUTS
             else torch.randn(shape, generator=gen))
        classes = {n: type(m).__module__ + "." + type(m).__name__ for n, m in model.named_modules()}
        training = {n: m.training for n, m in model.named_modules()}
        requires_grad = {n: p.requires_grad for n, p in model.named_parameters()}
        keys = list(model.state_dict().keys())
        torch.save(model, os.path.join(out, name + ".pth"))
        if name == "mlp":
            torch.save(model, os.path.join(out, "mlp_legacy.pth"), _use_new_zipfile_serialization=False)
            files.append({"file": "mlp_legacy.pth"})
        compare = "eval" if model.training and has_dropout(model) else "as_saved"
        if compare == "eval":
            model.eval()
        with torch.no_grad():
            y = model(x)
        np.save(os.path.join(out, name + "_input.npy"), x.numpy())
        np.save(os.path.join(out, name + "_expected.npy"), y.numpy())
        for f in (name + ".pth", name + "_input.npy", name + "_expected.npy"):
            files.append({"file": f})
        cases.append({"name": name, "file": name + ".pth", "input": name + "_input.npy",
                      "expected": name + "_expected.npy", "compare": compare,
                      "max_abs": float(y.abs().max()), "classes": classes, "training": training,
                      "requires_grad": requires_grad, "state_dict_keys": keys})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"files": files, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
