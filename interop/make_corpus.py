#!/usr/bin/python3
"""Writes Pith's interop corpus: files made by the real PyTorch, one file per case.

Usage: make_corpus.py OUTDIR

Every case seeds torch with torch.manual_seed(0) before it builds its tensors, so the contents
are the same on every run. (The bytes of legacy-format files are not: torch.save names their
storages after memory addresses.) Nothing is downloaded: torchvision models use random init.

OUTDIR/manifest.json is written last and lists every file:
  file            name inside OUTDIR
  kind            state_dict | checkpoint | optimizers | views | dtypes | values | parameters | tensor
  format          torch-zip | torch-legacy
  archive_prefix  the zip's top folder (torch 1.13 names it after the file; "archive" for streams)
  pure_state_dict true when the file is one flat mapping of name -> tensor (a module's state_dict)
  weights_only    whether this torch's torch.load(weights_only=True) loads it (measured here)
  location        the device tag written for its storages ("cpu" or "cuda:0")
  description     what the case covers
"""
import collections
import io
import json
import math
import os
import sys
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.serialization
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tutorial_models import Net  # noqa: E402

SEED = 0


def seeded():
    torch.manual_seed(SEED)


def train_steps(model, optimizer, inputs, targets, steps=2):
    """A few real optimizer steps so the optimizer has state (momentum buffers, Adam moments)."""
    loss = None
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(inputs), targets)
        loss.backward()
        optimizer.step()
    return loss


# ---------------------------------------------------------------------------------------------
# cases: each returns (object, kind, description) and may ask for a particular way of saving


def cifar_net_state_dict():
    seeded()
    return Net().state_dict(), "state_dict", "the tutorial's CIFAR-10 Net, state_dict()"


def resnet18_state_dict():
    seeded()
    model = torchvision.models.resnet18(weights=None)
    return model.state_dict(), "state_dict", "torchvision resnet18 (random init), state_dict()"


def mobilenet_v2_state_dict():
    seeded()
    model = torchvision.models.mobilenet_v2(weights=None)
    return model.state_dict(), "state_dict", "torchvision mobilenet_v2 (random init), state_dict()"


def _trained_net_checkpoint():
    seeded()
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    loss = train_steps(model, optimizer, torch.randn(4, 3, 32, 32), torch.randint(0, 10, (4,)))
    return model, optimizer, loss


def checkpoint_sgd():
    model, optimizer, loss = _trained_net_checkpoint()
    obj = {
        "epoch": 5,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss.item(),
    }
    return obj, "checkpoint", "tutorial checkpoint: epoch, model, SGD(momentum=0.9) state, loss as a float"


def checkpoint_sgd_tensor_loss():
    model, optimizer, loss = _trained_net_checkpoint()
    obj = {
        "epoch": 5,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss,  # a 0-dim tensor that is not a leaf and requires grad, as scripts often save it
    }
    return obj, "checkpoint", "tutorial checkpoint with loss as the 0-dim loss tensor (requires_grad)"


def gan_two_models():
    seeded()
    generator = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4), nn.Tanh())
    discriminator = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
    opt_g = torch.optim.SGD(generator.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    for _ in range(2):
        noise = torch.randn(6, 8)
        real = torch.randn(6, 4)
        opt_d.zero_grad()
        d_loss = F.binary_cross_entropy_with_logits(discriminator(real), torch.ones(6, 1)) + \
            F.binary_cross_entropy_with_logits(discriminator(generator(noise).detach()), torch.zeros(6, 1))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = F.binary_cross_entropy_with_logits(discriminator(generator(noise)), torch.ones(6, 1))
        g_loss.backward()
        opt_g.step()
    obj = {
        "epoch": 2,
        "generator": generator.state_dict(),
        "discriminator": discriminator.state_dict(),
        "optimizerG": opt_g.state_dict(),
        "optimizerD": opt_d.state_dict(),
    }
    return obj, "optimizers", "two models and two optimizers (SGD nesterov, Adam) in one dict"


def dataparallel_state_dict():
    seeded()
    wrapped = torch.nn.DataParallel(Net())  # works on CPU: no device_ids, keys get 'module.'
    sd = wrapped.state_dict()
    assert all(k.startswith("module.") for k in sd), list(sd)
    return sd, "state_dict", "torch.nn.DataParallel(Net()).state_dict() on CPU: keys prefixed 'module.'"


def _views():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    vector = torch.arange(3, dtype=torch.float32) + 100
    larger = torch.arange(10, dtype=torch.int64)
    return collections.OrderedDict([
        ("base", base),
        ("row", base[1]),
        ("column", base[:, 2]),
        ("transposed", base.t()),
        ("stepped", base[::2, ::3]),
        ("narrow", base[1:3, 2:5]),
        ("flat", base.view(-1)),
        ("unsqueezed", base[0].unsqueeze(0)),
        ("same_object_again", base),
        ("in_list", [base[2], base[3, 1:]]),
        ("in_tuple", (base[0, ::2], vector)),
        ("expanded", vector.expand(4, 3)),
        ("expanded_scalar", torch.tensor(7.0).expand(2, 2)),
        ("partial_of_unsaved_base", larger[5:8]),
        ("partial_again", larger[2:4]),
    ])


def views():
    seeded()
    return _views(), "views", "views sharing one storage: rows, columns, transposes, steps, narrow, expand, " \
                              "the same tensor object twice, slices of a base that is not saved"


FLOAT_DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
INT_DTYPES = [torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64]
COMPLEX_DTYPES = [torch.complex64, torch.complex128]
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + [torch.bool] + COMPLEX_DTYPES


def _name(dtype):
    return str(dtype).replace("torch.", "")


def _matrix(dtype):
    """A 2x3 tensor of values that test each dtype's edges."""
    if dtype in FLOAT_DTYPES:
        fi = torch.finfo(dtype)
        return torch.tensor([[0.0, -0.0, 1.0 / 3.0, math.nan, math.inf, -math.inf],
                             [fi.tiny, fi.max, fi.min, fi.eps, fi.tiny / 4, -1.5]], dtype=torch.float64).to(dtype)
    if dtype in INT_DTYPES:
        ii = torch.iinfo(dtype)
        return torch.tensor([[ii.min, ii.max, 0], [1, ii.max - 1, 42 if ii.min == 0 else -42]], dtype=dtype)
    if dtype == torch.bool:
        return torch.tensor([[True, False, True], [False, False, True]])
    real = torch.tensor([[1.0, -0.0, math.nan], [math.inf, 0.25, -3.0]], dtype=torch.float64)
    imag = torch.tensor([[2.0, -1.0, 0.5], [-math.inf, math.nan, 1e-300]], dtype=torch.float64)
    return torch.complex(real, imag).to(dtype)


def _scalar(dtype):
    if dtype in FLOAT_DTYPES:
        return torch.tensor(3.25, dtype=dtype)
    if dtype == torch.uint8:
        return torch.tensor(200, dtype=dtype)
    if dtype in INT_DTYPES:
        return torch.tensor(-7, dtype=dtype)
    if dtype == torch.bool:
        return torch.tensor(True)
    return torch.tensor(1.5 - 2j, dtype=dtype)


def _dtypes():
    out = collections.OrderedDict()
    for dtype in ALL_DTYPES:
        name = _name(dtype)
        out[name] = _matrix(dtype)
        out[name + "_scalar"] = _scalar(dtype)
        out[name + "_empty"] = torch.empty(0, dtype=dtype)
    out["float32_empty_2x0x3"] = torch.empty(2, 0, 3)
    out["float32_3d"] = torch.randn(2, 3, 4)
    # NaNs with payloads and a negative NaN must survive bit for bit
    out["float32_nan_payloads"] = torch.tensor([0x7FC00001, 0xFFC00000 - 2 ** 32, 0x7F800001, 0x7FFFFFFF],
                                               dtype=torch.int32).view(torch.float32)
    out["float16_nan_payload"] = torch.tensor([0x7E01, 0xFE00 - 2 ** 16], dtype=torch.int16).view(torch.float16)
    return out


def dtypes():
    seeded()
    return _dtypes(), "dtypes", "every dtype as a 2x3 matrix of edge values, a 0-dim scalar and an empty " \
                                "tensor; NaN payloads"


def _nested_values():
    shared = [1, 2, 3]
    return {
        "big_int": 2 ** 100,
        "big_negative_int": -(2 ** 70) - 1,
        "int64_max": 2 ** 63 - 1,
        "int64_min": -(2 ** 63),
        "uint64_max": 2 ** 64 - 1,
        "int32_edge": 2 ** 31,
        "small": 1,
        "byte": 255,
        "two_bytes": 65535,
        "negative": -1,
        "zero": 0,
        "float": 0.1,
        "float_exponent": 1e-300,
        "float_big": 1.7976931348623157e308,
        "float_integral": 3.0,
        "negative_zero": -0.0,
        "nan": math.nan,
        "inf": math.inf,
        "negative_inf": -math.inf,
        "text": "hello",
        "unicode": "h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e \U0001F680",
        "empty_text": "",
        "escapes": "quote\" backslash\\ newline\n tab\t nul\u0000",
        "none": None,
        "true": True,
        "false": False,
        "tuple": (1, "a", (2.5, None)),
        "pair": (1, 2),
        "long_tuple": (1, 2, 3, 4, 5),
        "single": ("only",),
        "list": [1, [2, [3, [4]]]],
        "int_keys": {1: "one", 2: "two", -3: "minus three", 10 ** 20: "big key"},
        "mixed_keys": {"a": 1, 7: 2},
        "ordered": collections.OrderedDict([("z", 1), ("a", 2)]),
        "empty_list": [],
        "empty_dict": {},
        "empty_tuple": (),
        "shared_list_first": shared,
        "shared_list_again": shared,
        "many_items": list(range(1005)),  # more than pickle's batch of 1000 (APPENDS twice)
        "many_keys": {f"k{i}": i for i in range(1003)},  # SETITEMS twice
        "tensor_inside": [torch.tensor([1.5, 2.5])],
    }


def nested_values():
    seeded()
    return _nested_values(), "values", "nested Python values: big ints, NaN, inf, -0.0, unicode, None, tuples, " \
                                       "int dict keys, shared references, batches beyond 1000 items"


def torch_values():
    seeded()
    obj = {
        "dtype": torch.float16,
        "device": torch.device("cpu"),
        "cuda_device": torch.device("cuda", 0),
        "size": torch.Size([2, 3]),
        "tensor": torch.randn(2, 3),
    }
    return obj, "values", "torch objects that are not tensors: torch.dtype, torch.device, torch.Size"


def parameters():
    seeded()
    plain = torch.randn(3, 4)
    obj = collections.OrderedDict([
        ("weight", nn.Parameter(torch.randn(3, 4))),
        ("frozen", nn.Parameter(torch.randn(2), requires_grad=False)),
        ("requires_grad_tensor", torch.randn(2, 2).requires_grad_()),
        ("plain", plain),
        ("parameter_sharing_plain", nn.Parameter(plain)),
        ("parameter_list", [nn.Parameter(torch.zeros(2)), nn.Parameter(torch.ones(1))]),
        ("parameter_scalar", nn.Parameter(torch.tensor(3.5))),
        ("double_parameter", nn.Parameter(torch.randn(2, dtype=torch.float64))),
        ("int_tensor", torch.arange(3)),
    ])
    return obj, "parameters", "nn.Parameter (trainable, frozen, 0-dim, sharing a plain tensor's storage) " \
                              "and plain tensors with requires_grad=True"


def bare_tensor():
    return torch.tensor([1.0, 2.0, 3.0]), "tensor", "torch.save(torch.tensor([1., 2., 3.])) to a stream: " \
                                                    "the root is a tensor, the zip prefix is 'archive'"


def legacy_state_dict():
    obj, _, _ = cifar_net_state_dict()
    return obj, "state_dict", "the CIFAR-10 Net state_dict in the legacy (non-zip) format"


def legacy_format():
    seeded()
    mixed = {
        "state_dict": Net().state_dict(),
        "views": _views(),
        "dtypes": _dtypes(),
        "values": {"big": 2 ** 80, "nan": math.nan, "text": "\u00fcn\u00ef", "tuple": (1, None)},
        "parameter": nn.Parameter(torch.randn(2)),
    }
    return mixed, "checkpoint", "legacy (non-zip) format: a state_dict, views, every dtype, values, a Parameter"


def cuda_tagged():
    seeded()
    sd = Net().state_dict()
    return sd, "state_dict", "the CIFAR-10 Net state_dict with every storage tagged 'cuda:0'"


def cuda_tagged_legacy():
    obj, kind, _ = cuda_tagged()
    return obj, kind, "the CIFAR-10 Net state_dict, legacy format, storages tagged 'cuda:0'"


# file name -> (case, how to save)
CASES = [
    ("cifar_net_state_dict.pth", cifar_net_state_dict, "zip"),
    ("resnet18_state_dict.pth", resnet18_state_dict, "zip"),
    ("mobilenet_v2_state_dict.pth", mobilenet_v2_state_dict, "zip"),
    ("checkpoint_sgd.pth", checkpoint_sgd, "zip"),
    ("checkpoint_sgd_tensor_loss.pth", checkpoint_sgd_tensor_loss, "zip"),
    ("gan_two_models.pth", gan_two_models, "zip"),
    ("dataparallel_state_dict.pth", dataparallel_state_dict, "zip"),
    ("views.pth", views, "zip"),
    ("dtypes.pth", dtypes, "zip"),
    ("nested_values.pth", nested_values, "zip"),
    ("torch_values.pth", torch_values, "zip"),
    ("parameters.pth", parameters, "zip"),
    ("bare_tensor.pt", bare_tensor, "zip-stream"),
    ("legacy_state_dict.pth", legacy_state_dict, "legacy"),
    ("legacy_format.pth", legacy_format, "legacy"),
    ("cuda_tagged.pth", cuda_tagged, "zip-cuda"),
    ("cuda_tagged_legacy.pth", cuda_tagged_legacy, "legacy-cuda"),
]


def save(obj, path, how):
    if how == "zip":
        torch.save(obj, path)
    elif how == "zip-stream":
        buffer = io.BytesIO()
        torch.save(obj, buffer)
        with open(path, "wb") as f:
            f.write(buffer.getvalue())
    elif how == "legacy":
        torch.save(obj, path, _use_new_zipfile_serialization=False)
    elif how in ("zip-cuda", "legacy-cuda"):
        save_tagged(obj, path, "cuda:0", legacy=how == "legacy-cuda")
    else:
        raise ValueError(how)


def save_tagged(obj, path, tag, legacy):
    """torch.save with every storage's location written as `tag`.

    torch 1.13's _save and _legacy_save call the module-level location_tag(storage) at save time,
    so replacing that function for the duration of the call changes what goes into the pickle.
    """
    original = torch.serialization.location_tag
    torch.serialization.location_tag = lambda storage: tag
    try:
        torch.save(obj, path, _use_new_zipfile_serialization=not legacy)
    finally:
        torch.serialization.location_tag = original
    pickle_bytes = read_pickle_bytes(path)
    assert tag.encode() in pickle_bytes, f"{path}: the pickle does not name {tag}"
    assert b"\x03\x00\x00\x00cpu" not in pickle_bytes, f"{path}: some storage is still tagged cpu"


def read_pickle_bytes(path):
    """The object pickle: data.pkl of a zip, or the whole stream of a legacy file."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            name = next(n for n in z.namelist() if n.endswith("/data.pkl"))
            return z.read(name)
    with open(path, "rb") as f:
        return f.read()


def is_pure_state_dict(obj):
    return isinstance(obj, dict) and len(obj) > 0 and \
        all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items())


def loads_weights_only(path):
    try:
        torch.load(path, map_location="cpu", weights_only=True)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not loadable that way"
        return False


def archive_prefix(path):
    if not zipfile.is_zipfile(path):
        return None
    with zipfile.ZipFile(path) as z:
        return z.namelist()[0].split("/")[0]


def main(argv):
    if len(argv) != 2:
        print("usage: make_corpus.py OUTDIR", file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    manifest_path = os.path.join(outdir, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)
    entries = []
    for file_name, case, how in CASES:
        obj, kind, description = case()
        path = os.path.join(outdir, file_name)
        save(obj, path, how)
        entries.append({
            "file": file_name,
            "kind": kind,
            "format": "torch-legacy" if how.startswith("legacy") else "torch-zip",
            "archive_prefix": archive_prefix(path),
            "pure_state_dict": is_pure_state_dict(obj),
            "weights_only": loads_weights_only(path),
            "location": "cuda:0" if how.endswith("cuda") else "cpu",
            "description": description,
        })
    manifest = {
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "seed": SEED,
        "files": entries,
    }
    with open(manifest_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(manifest_path + ".tmp", manifest_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
