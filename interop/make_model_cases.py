"""Writes forward-pass cases for dev.pith.models, computed with the real torch and torchvision.

    make_model_cases.py OUTDIR [NAME ...]

For each architecture NAME (default: all of dev.pith.models.Models, see describe_models.py) with a
fixed seed: the model built as torchvision builds it, with a non-default number of classes, then
every bias and every batch norm's weight, bias, running statistics and num_batches_tracked set to
random values (fresh ones would hide a wrong use of them); a random float32 input batch; the
eval-mode output. Files, in OUTDIR:

    NAME.pth               the weights, as a plain state dict, or (see "container") a checkpoint dict
                           {"epoch", "model_state_dict", "optimizer_state_dict"}, a dict {"state_dict"},
                           or the state dict of nn.DataParallel(model) (keys prefixed "module.")
    NAME_input.npy         the input batch, float32 [N, 3, H, W]
    NAME_expected.npy      model.eval()(input), float32 [N, classes]

and for architectures without dropout (cifar-net, resnets), the training-mode pass after the eval
one:

    NAME_train_expected.npy  model.train()(input)
    NAME_after_train.pth     model.state_dict() after it (running statistics updated)

manifest.json lists, per case: name, num_classes, container, the file names above, input shape
and max_abs (the largest |output| in eval mode).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

from describe_models import FACTORIES

# name -> (input shape, container of the weights file)
CASES = {
    "cifar-net": ((2, 3, 32, 32), "checkpoint"),
    "vgg11": ((2, 3, 32, 40), "state_dict"),
    "vgg11_bn": ((2, 3, 40, 32), "state_dict"),
    "vgg13": ((1, 3, 32, 32), "state_dict"),
    "vgg13_bn": ((2, 3, 32, 32), "state_dict"),
    "vgg16": ((2, 3, 32, 32), "state_dict"),
    "vgg16_bn": ((2, 3, 32, 32), "state_dict"),
    "vgg19": ((2, 3, 32, 32), "state_dict"),
    "vgg19_bn": ((2, 3, 32, 32), "state_dict"),
    "resnet18": ((2, 3, 64, 48), "state_dict"),
    "resnet34": ((2, 3, 48, 64), "data_parallel"),
    "resnet50": ((2, 3, 64, 64), "state_dict"),
    "resnet101": ((2, 3, 48, 48), "state_dict"),
    "mobilenet_v2": ((2, 3, 56, 64), "state_dict_key"),
}


def randomize(model, gen):
    """Random biases and batch-norm state, so that eval mode must use them correctly."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.5 + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)
                m.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=gen)))
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.05)


def save_weights(model, container, path):
    if container == "state_dict":
        torch.save(model.state_dict(), path)
    elif container == "checkpoint":
        optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        torch.save({"epoch": 3, "model_state_dict": model.state_dict(),
                    "optimizer_state_dict": optimizer.state_dict(), "loss": 1.25}, path)
    elif container == "state_dict_key":
        torch.save({"state_dict": model.state_dict(), "arch": "mobilenet_v2"}, path)
    elif container == "data_parallel":
        torch.save(nn.DataParallel(model).state_dict(), path)
    else:
        raise ValueError(container)


def has_dropout(model):
    return any(isinstance(m, nn.Dropout) for m in model.modules())


def make_case(index, name, out_dir):
    shape, container = CASES[name]
    torch.manual_seed(1234 + index)
    gen = torch.Generator().manual_seed(4321 + index)
    num_classes = 10 if name == "cifar-net" else 3 + index
    model = FACTORIES[name](num_classes=num_classes)
    randomize(model, gen)
    x = torch.randn(shape, generator=gen, dtype=torch.float32)

    entry = {"name": name, "num_classes": num_classes, "container": container, "input_shape": list(shape),
             "weights": name + ".pth", "input": name + "_input.npy", "expected": name + "_expected.npy"}
    save_weights(model, container, os.path.join(out_dir, entry["weights"]))
    np.save(os.path.join(out_dir, entry["input"]), x.numpy())
    model.eval()
    with torch.no_grad():
        y = model(x)
    np.save(os.path.join(out_dir, entry["expected"]), y.numpy())
    entry["max_abs"] = float(y.abs().max())
    files = [entry["weights"], entry["input"], entry["expected"]]
    if not has_dropout(model):
        model.train()
        with torch.no_grad():
            y_train = model(x)
        entry["train_expected"] = name + "_train_expected.npy"
        entry["after_train"] = name + "_after_train.pth"
        np.save(os.path.join(out_dir, entry["train_expected"]), y_train.numpy())
        torch.save(model.state_dict(), os.path.join(out_dir, entry["after_train"]))
        files += [entry["train_expected"], entry["after_train"]]
    return entry, files


def main():
    out_dir = sys.argv[1]
    names = sys.argv[2:] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        sys.exit("unknown architecture(s): " + ", ".join(unknown))
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    cases, files = [], []
    for index, name in enumerate(CASES):
        if name in names:
            entry, written = make_case(index, name, out_dir)
            cases.append(entry)
            files += [{"file": f} for f in written]
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"torch": torch.__version__, "names": names, "cases": cases, "files": files}, f, indent=1)


if __name__ == "__main__":
    main()
