"""Writes what the autograd and training acceptance tests compare against (torch 1.13).

Usage: python3 make_training_cases.py OUTDIR

Files (all torch.save dicts):
  cifar_net_grads.pt  the tutorial's CIFAR-10 Net: "state_dict" (initial weights), "x" [4, 3, 32, 32],
                      "y" int64 [4], "loss" (CrossEntropyLoss, mean) and "grads" {name: p.grad} after backward.
  resnet18_grads.pt   torchvision resnet18 (1000 classes) in train mode on x [2, 3, 64, 64]: the same keys, plus
                      "state_dict_after" (running statistics updated by the forward).
  cifar_net_steps.pt  "state_dict" (initial weights), "xs"/"ys" (5 batches), and per optimizer ("sgd": SGD lr 0.01
                      momentum 0.9 weight_decay 5e-4; "adam": Adam lr 1e-3; "adamw": AdamW lr 1e-3 weight_decay 0.01)
                      the state_dict after 5 steps of zero_grad, forward, CrossEntropyLoss, backward, step.
"""
import os
import sys

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tutorial_models import Net  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def grads_case(model, x, y, name, extra=None):
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    loss = nn.CrossEntropyLoss()(model(x), y)
    loss.backward()
    value = {"state_dict": initial, "x": x, "y": y, "loss": loss.detach(),
             "grads": {k: p.grad for k, p in model.named_parameters()}}
    if extra:
        value.update(extra(model))
    torch.save(value, os.path.join(out, name))


torch.manual_seed(0)
grads_case(Net(), torch.randn(4, 3, 32, 32), torch.randint(0, 10, (4,)), "cifar_net_grads.pt")

torch.manual_seed(1)
resnet = torchvision.models.resnet18()
for m in resnet.modules():  # non-trivial batch-norm affine parameters
    if isinstance(m, nn.BatchNorm2d):
        nn.init.uniform_(m.weight, 0.5, 1.5)
        nn.init.uniform_(m.bias, -0.2, 0.2)
grads_case(resnet, torch.randn(2, 3, 64, 64), torch.randint(0, 1000, (2,)), "resnet18_grads.pt",
           lambda m: {"state_dict_after": m.state_dict()})

torch.manual_seed(2)
net = Net()
initial = {k: v.clone() for k, v in net.state_dict().items()}
xs = [torch.randn(8, 3, 32, 32) for _ in range(5)]
ys = [torch.randint(0, 10, (8,)) for _ in range(5)]
steps = {"state_dict": initial, "xs": xs, "ys": ys}
for name, make in [("sgd", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, weight_decay=5e-4)),
                   ("adam", lambda p: torch.optim.Adam(p, lr=1e-3)),
                   ("adamw", lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=0.01))]:
    net.load_state_dict(initial)
    opt = make(net.parameters())
    for x, y in zip(xs, ys):
        opt.zero_grad()
        nn.CrossEntropyLoss()(net(x), y).backward()
        opt.step()
    steps[name] = {k: v.clone() for k, v in net.state_dict().items()}
torch.save(steps, os.path.join(out, "cifar_net_steps.pt"))
print("ok")
