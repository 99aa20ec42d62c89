#!/usr/bin/env python3
"""PyTorch 2.x's dtypes that have no legacy storage class: uint16, uint32, uint64 (2.3+),
float8_e4m3fn and float8_e5m2 (2.1+). torch 1.13, the PyTorch installed here, has none of them, so
this script does what it cannot:

  make OUT         writes a file laid out as torch 2.x's torch.save writes one: records written by
                   torch's own zip writer plus `byteorder`, each tensor pickled as
                   torch._utils._rebuild_tensor_v3(storage, offset, size, stride, requires_grad,
                   OrderedDict(), torch.<dtype>) over a persistent id
                   ('storage', torch.storage.UntypedStorage, key, 'cpu', <bytes>), as
                   torch/_tensor.py (_reduce_ex_internal) and torch/serialization.py (_save) do.
  read FILE        loads FILE with an unpickler that accepts exactly what torch 2.x's loader needs
                   for these tensors (nothing runs; no torch needed) and prints one JSON object:
                   name -> dtype, shape, stride, offset, requires_grad, storage type, storage key,
                   and the hex of the bytes each tensor's elements occupy.
  same FILE FILE2  prints "same" when both files read alike, else both descriptions.
"""
import collections
import json
import pickle
import struct
import sys
import zipfile

NEW_DTYPES = {"uint16": 2, "uint32": 4, "uint64": 8, "float8_e4m3fn": 1, "float8_e5m2": 1}


# ---- make ---------------------------------------------------------------------------------------

def _glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _str(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def _int(n):
    return b"K" + bytes([n]) if 0 <= n < 256 else b"J" + struct.pack("<i", n)


def _tuple(items):
    return b"(" + b"".join(_int(i) for i in items) + b"t"


def _tensor(key, nbytes, dtype, offset, shape, stride):
    storage = b"(" + _str("storage") + _glob("torch.storage", "UntypedStorage") + _str(key) + _str("cpu") \
        + _int(nbytes) + b"tQ"
    hooks = _glob("collections", "OrderedDict") + b")R"
    return _glob("torch._utils", "_rebuild_tensor_v3") + b"(" + storage + _int(offset) + _tuple(shape) \
        + _tuple(stride) + b"\x89" + hooks + _glob("torch", dtype) + b"tR"


def cases():
    """name -> (dtype, storage key, storage bytes, offset, shape, stride)."""
    u16 = struct.pack("<6H", *[i * 10000 for i in range(6)])          # up to 50000: unsigned
    u32 = struct.pack("<4I", 0, 1, 2 ** 31, 2 ** 32 - 1)
    u64 = struct.pack("<3Q", 0, 2 ** 63, 2 ** 64 - 1)
    every_code = bytes(range(256))
    return collections.OrderedDict([
        ("u16", ("uint16", "0", u16, 0, (2, 3), (3, 1))),
        ("u32", ("uint32", "1", u32, 0, (4,), (1,))),
        ("u64", ("uint64", "2", u64, 0, (3,), (1,))),
        ("e4m3", ("float8_e4m3fn", "3", every_code, 0, (256,), (1,))),
        ("e5m2", ("float8_e5m2", "4", every_code, 0, (16, 16), (16, 1))),
        ("e5m2_t", ("float8_e5m2", "4", every_code, 1, (15, 16), (1, 16))),   # a transposed view of the same storage
    ])


def make(out):
    import torch  # only its zip writer: the layout torch.save gives records
    body = b"\x80\x02" + _glob("collections", "OrderedDict") + b")R(" 
    records = collections.OrderedDict()
    for name, (dtype, key, data, offset, shape, stride) in cases().items():
        body += _str(name) + _tensor(key, len(data), dtype, offset, shape, stride)
        records[key] = data
    body += b"u."
    writer = torch._C.PyTorchFileWriter(out)
    writer.write_record("data.pkl", body, len(body))
    writer.write_record("byteorder", b"little", 6)
    for key, data in records.items():
        writer.write_record("data/" + key, data, len(data))
    writer.write_end_of_file()


# ---- read ---------------------------------------------------------------------------------------

class _Storage:
    def __init__(self, kind, key, numel, data):
        self.kind, self.key, self.numel, self.data = kind, key, numel, data


def _rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks, dtype, metadata=None):
    if storage.kind != "UntypedStorage":
        raise ValueError("_rebuild_tensor_v3 over a %s (torch 2.x passes an UntypedStorage)" % storage.kind)
    if dtype not in NEW_DTYPES:
        raise ValueError("unexpected dtype %r" % (dtype,))
    if not isinstance(hooks, collections.OrderedDict) or hooks:
        raise ValueError("backward hooks must be an empty OrderedDict")
    if storage.numel != len(storage.data):
        raise ValueError("UntypedStorage numel %d is not its %d bytes" % (storage.numel, len(storage.data)))
    size_ = NEW_DTYPES[dtype]
    span = b""
    if all(s > 0 for s in size):
        # the bytes of every element in row-major order
        index = [0] * len(size)
        while True:
            at = (offset + sum(i * s for i, s in zip(index, stride))) * size_
            span += storage.data[at:at + size_]
            d = len(size) - 1
            while d >= 0:
                index[d] += 1
                if index[d] < size[d]:
                    break
                index[d] = 0
                d -= 1
            if d < 0:
                break
    return {"dtype": dtype, "shape": list(size), "stride": list(stride), "offset": offset,
            "requires_grad": requires_grad, "storage": storage.kind, "key": storage.key, "elements": span.hex()}


class _Loader(pickle.Unpickler):
    def __init__(self, file, zf, prefix):
        super().__init__(file)
        self.zf, self.prefix = zf, prefix

    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v3"):
            return _rebuild_tensor_v3
        if (module, name) == ("torch.storage", "UntypedStorage"):
            return "UntypedStorage"
        if module == "torch" and name in NEW_DTYPES:
            return name
        raise pickle.UnpicklingError("global %s.%s is not what torch 2.x writes for these dtypes" % (module, name))

    def persistent_load(self, pid):
        kind, storage_type, key, location, numel = pid
        if kind != "storage" or location != "cpu":
            raise pickle.UnpicklingError("persistent id %r" % (pid,))
        return _Storage(storage_type, key, numel, self.zf.read(self.prefix + "/data/" + key))


def read(path):
    with zipfile.ZipFile(path) as zf:
        prefix = zf.namelist()[0].split("/")[0]
        with zf.open(prefix + "/data.pkl") as f:
            value = _Loader(f, zf, prefix).load()
        byteorder = zf.read(prefix + "/byteorder").decode() if prefix + "/byteorder" in zf.namelist() else None
    return {"byteorder": byteorder, "tensors": value}


def main():
    op = sys.argv[1]
    if op == "make":
        make(sys.argv[2])
    elif op == "read":
        print(json.dumps(read(sys.argv[2]), indent=1))
    elif op == "same":
        a, b = read(sys.argv[2]), read(sys.argv[3])
        a.pop("byteorder"), b.pop("byteorder")
        print("same" if a == b else json.dumps({"first": a, "second": b}, indent=1))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
