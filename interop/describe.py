#!/usr/bin/python3
"""Prints what a PyTorch or safetensors file holds, as the JSON of `pith inspect FILE --json`.

Usage: describe.py FILE... [--map-location cpu|none] [--extra]

Prints one line of JSON per FILE, in argument order (so several files cost one torch import).

Torch files (zip or legacy) are read with the real torch.load(weights_only=False,
map_location='cpu'); NEVER run this on a file you do not trust. Safetensors files are parsed here
with json/struct/numpy (no safetensors package needed).

Output, one JSON object:
  {"format": "torch-zip" | "torch-legacy" | "safetensors",
   "tensors": [{"path", "dtype", "shape", "sha256", "requires_grad"}, ...],
   "values":  [{"path", "value"}, ...]}

The tree:
  * dict (and OrderedDict, any dict subclass), list and tuple (any tuple subclass except
    torch.Size) are containers. Every other object is a leaf.
  * path joins, from the root, dict keys and list/tuple indices with "/". The root's own path is
    "" (a bare tensor has path ""). A str key is used as it is; an int key as its decimal digits;
    any other key as str(key). Keys containing "/" are not escaped.
  * Tensors and values are listed in traversal order: depth first, dict insertion order, list
    order. The same object reached twice is listed twice.
  * Empty containers are not leaves: they produce nothing (--extra lists them in "containers").
  * An OrderedDict's `_metadata` attribute (module versions in state dicts) is not part of the
    tree (--extra reports it in "state_dict_metadata").

Tensor fields:
  dtype          PyTorch's name without "torch.": float32, bfloat16, complex64, bool, ...
  shape          list of ints ([] for 0-dim)
  sha256         lowercase hex SHA-256 of the elements in row-major (C) order as little-endian
                 bytes: bool as one byte 0/1, float16/bfloat16 as their 16 bits, complex as
                 (real, imag) pairs. Views hash their own elements, not their storage.
  requires_grad  bool (true for trainable nn.Parameter and tensors made with requires_grad=True)

Leaf values:
  bool -> true/false; int (any size) -> JSON integer, exact; float -> JSON number as Python's
  repr prints it (0.1, 1e-300, -0.0), except non-finite ones, which become the strings "nan",
  "inf", "-inf"; str -> string; None -> null.
  Other leaves become a string:
    torch.dtype, torch.device, torch.Size  -> str(x): "torch.float16", "cuda:0", "torch.Size([2, 3])"
    complex                                -> str(x): "(1+2j)"
    bytes, bytearray                       -> lowercase hex of the bytes: "00ff"
    set, frozenset                         -> repr with elements sorted by repr: "{1, 2}",
                                              "frozenset({'a'})", "set()"
    anything else                          -> "<module.QualName>" of its type

With --extra every tensor also gets
  is_parameter    isinstance(t, torch.nn.Parameter)
  storage_group   0, 1, 2, ... numbered by first appearance; equal for tensors whose storage is the
                  same object (views of one storage)
  storage_offset  in elements
  stride          list of ints, in elements
  storage_nbytes  size of the whole storage in bytes
and the object gets
  containers           {path: "dict" | "OrderedDict" | "list" | "tuple" | other type name}
  state_dict_metadata  {path: the OrderedDict's _metadata} for OrderedDicts that have one
  metadata             (safetensors only) the header's "__metadata__" object, or null
For safetensors, every tensor is its own storage group, with offset 0 and contiguous strides; the
root container is a "dict"; tensors are listed in the header's order.
"""
import collections
import hashlib
import json
import math
import struct
import sys

import numpy as np

SAFETENSORS_DTYPES = {
    "F64": ("float64", 8), "F32": ("float32", 4), "F16": ("float16", 2), "BF16": ("bfloat16", 2),
    "I64": ("int64", 8), "I32": ("int32", 4), "I16": ("int16", 2), "I8": ("int8", 1),
    "U8": ("uint8", 1), "BOOL": ("bool", 1), "C64": ("complex64", 8), "C128": ("complex128", 16),
}


def detect_format(path):
    with open(path, "rb") as f:
        head = f.read(9)
        f.seek(0, 2)
        size = f.tell()
    if head[:4] == b"PK\x03\x04":
        return "torch-zip"
    if len(head) == 9 and head[8:9] == b"{" and 8 + struct.unpack("<Q", head[:8])[0] <= size:
        return "safetensors"
    return "torch-legacy"


# ---------------------------------------------------------------------------------------------
# leaves


def leaf_value(x):
    import torch
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return int(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return float(x)
    if isinstance(x, (torch.dtype, torch.device, torch.Size, complex)):
        return str(x)
    if isinstance(x, (bytes, bytearray)):
        return bytes(x).hex()
    if isinstance(x, (set, frozenset)):
        inner = ", ".join(sorted((repr(e) for e in x)))
        if isinstance(x, frozenset):
            return f"frozenset({{{inner}}})" if x else "frozenset()"
        return f"{{{inner}}}" if x else "set()"
    return f"<{type(x).__module__}.{type(x).__qualname__}>"


def json_safe(x):
    """A plain-JSON copy of metadata-like values (dicts, lists, leaves)."""
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    return leaf_value(x)


# ---------------------------------------------------------------------------------------------
# torch files


def tensor_sha256(t):
    import torch
    t = t.detach()
    if t.is_conj():
        t = t.resolve_conj()
    if t.is_neg():
        t = t.resolve_neg()
    t = t.cpu().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return hashlib.sha256(t.numpy().tobytes()).hexdigest()


def storage_identity(t):
    """The same number for tensors over the same storage object (what torch.save keys on)."""
    if hasattr(t, "untyped_storage"):
        storage = t.untyped_storage()
    else:
        storage = t.storage()
        storage = getattr(storage, "_storage", storage)
    return storage._cdata, storage.nbytes()


class TorchDescriber:
    def __init__(self, extra):
        self.extra = extra
        self.tensors = []
        self.values = []
        self.containers = collections.OrderedDict()
        self.metadata = collections.OrderedDict()
        self.groups = {}

    def walk(self, obj, path):
        import torch
        if isinstance(obj, torch.Tensor):
            self.tensors.append(self.tensor(obj, path))
        elif isinstance(obj, dict):
            self.containers[path] = type(obj).__name__
            meta = getattr(obj, "_metadata", None)
            if isinstance(obj, collections.OrderedDict) and meta is not None:
                self.metadata[path] = json_safe(meta)
            for key, value in obj.items():
                self.walk(value, join(path, key))
        elif isinstance(obj, (list, tuple)) and not isinstance(obj, torch.Size):
            self.containers[path] = type(obj).__name__
            for index, value in enumerate(obj):
                self.walk(value, join(path, index))
        else:
            self.values.append({"path": path, "value": leaf_value(obj)})

    def tensor(self, t, path):
        import torch
        if t.layout != torch.strided:
            raise ValueError(f"{path!r}: layout {t.layout} is not supported")
        entry = {
            "path": path,
            "dtype": str(t.dtype).replace("torch.", ""),
            "shape": list(t.shape),
            "sha256": tensor_sha256(t),
            "requires_grad": bool(t.requires_grad),
        }
        if self.extra:
            identity, nbytes = storage_identity(t)
            entry["is_parameter"] = isinstance(t, torch.nn.Parameter)
            entry["storage_group"] = self.groups.setdefault(identity, len(self.groups))
            entry["storage_offset"] = t.storage_offset()
            entry["stride"] = list(t.stride())
            entry["storage_nbytes"] = nbytes
        return entry


def join(path, key):
    if isinstance(key, str):
        part = key
    elif isinstance(key, int) and not isinstance(key, bool):
        part = str(int(key))
    else:
        part = str(key)
    return part if path == "" else path + "/" + part


def describe_torch(path, fmt, map_location, extra):
    import torch
    obj = torch.load(path, map_location=map_location, weights_only=False)
    d = TorchDescriber(extra)
    d.walk(obj, "")
    out = collections.OrderedDict([("format", fmt), ("tensors", d.tensors), ("values", d.values)])
    if extra:
        out["containers"] = d.containers
        out["state_dict_metadata"] = d.metadata
    return out


# ---------------------------------------------------------------------------------------------
# safetensors


def describe_safetensors(path, extra):
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    if 8 + header_len > len(data):
        raise ValueError(f"header length {header_len} runs past the end of the file ({len(data)} bytes)")
    header = json.loads(data[8:8 + header_len].decode("utf-8"), object_pairs_hook=collections.OrderedDict)
    buffer = data[8 + header_len:]
    metadata = header.pop("__metadata__", None)
    tensors = []
    for group, (name, info) in enumerate(header.items()):
        code = info["dtype"]
        if code not in SAFETENSORS_DTYPES:
            raise ValueError(f"{name!r}: unsupported dtype {code}")
        dtype, size = SAFETENSORS_DTYPES[code]
        shape = [int(n) for n in info["shape"]]
        begin, end = info["data_offsets"]
        numel = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if not 0 <= begin <= end <= len(buffer) or end - begin != numel * size:
            raise ValueError(f"{name!r}: data_offsets {begin}..{end} do not hold {numel} x {size} bytes")
        entry = {
            "path": name,
            "dtype": dtype,
            "shape": shape,
            "sha256": hashlib.sha256(buffer[begin:end]).hexdigest(),
            "requires_grad": False,
        }
        if extra:
            strides, step = [], 1
            for n in reversed(shape):
                strides.insert(0, step)
                step *= n
            entry["is_parameter"] = False
            entry["storage_group"] = group
            entry["storage_offset"] = 0
            entry["stride"] = strides
            entry["storage_nbytes"] = end - begin
        tensors.append(entry)
    out = collections.OrderedDict([("format", "safetensors"), ("tensors", tensors), ("values", [])])
    if extra:
        out["containers"] = {"": "dict"}
        out["state_dict_metadata"] = {}
        out["metadata"] = metadata
    return out


# ---------------------------------------------------------------------------------------------


def main(argv):
    args = argv[1:]
    extra = "--extra" in args
    args = [a for a in args if a != "--extra"]
    map_location = "cpu"
    if "--map-location" in args:
        i = args.index("--map-location")
        map_location = None if args[i + 1] == "none" else args[i + 1]
        del args[i:i + 2]
    if not args or any(a.startswith("--") for a in args):
        print("usage: describe.py FILE... [--map-location cpu|none] [--extra]", file=sys.stderr)
        return 2
    if sys.byteorder != "little":
        print("describe.py assumes a little-endian host", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")
    for path in args:
        fmt = detect_format(path)
        if fmt == "safetensors":
            out = describe_safetensors(path, extra)
        else:
            out = describe_torch(path, fmt, map_location, extra)
        sys.stdout.write(json.dumps(out, ensure_ascii=False, allow_nan=False))
        sys.stdout.write("\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
