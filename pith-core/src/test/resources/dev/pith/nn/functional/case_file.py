"""The cases.txt format torch_cases.py and grad_cases.py write for TorchCases.java.

One line per case: `name op key=value ...`. A tensor value is `@file:dtype:shape[:T]` (raw
little-endian data in OUT_DIR/file; `T` means the file holds the tensor with its last two dimensions
swapped, so the Java side builds a non-contiguous view by transposing it back). Lists are comma
separated, booleans true/false, `none` is null.

TorchCases copies this module next to the script it runs, so `import case_file` finds it.
"""
import os

import torch

DT = {torch.float32: "f32", torch.float64: "f64", torch.int64: "i64"}


def T(t):
    """Marks an input to be passed to Java as a non-contiguous (transposed back) view."""
    return (t, "T")


class CaseFile:
    """The lines of OUT_DIR/cases.txt and the tensor files they name (PREFIX0001.bin, ...)."""

    def __init__(self, out_dir, prefix):
        self.out_dir = out_dir
        self.prefix = prefix
        self.count = 0
        self.lines = []
        os.makedirs(out_dir, exist_ok=True)

    def tensor_arg(self, t, transposed=False):
        t = t.detach()
        self.count += 1
        name = "%s%04d.bin" % (self.prefix, self.count)
        stored = t.transpose(-1, -2).contiguous() if transposed else t.contiguous()
        with open(os.path.join(self.out_dir, name), "wb") as f:
            f.write(stored.numpy().astype(stored.numpy().dtype.newbyteorder("<")).tobytes())
        shape = "x".join(str(s) for s in stored.shape) if stored.dim() > 0 else "scalar"
        return "@%s:%s:%s%s" % (name, DT[t.dtype], shape, ":T" if transposed else "")

    def fmt(self, v):
        """A parameter value as text: tensors (and T(tensor)) written to their own file."""
        if isinstance(v, torch.Tensor):
            return self.tensor_arg(v)
        if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], torch.Tensor) and v[1] == "T":
            return self.tensor_arg(v[0], transposed=True)
        if v is None:
            return "none"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, tuple)):
            return ",".join(str(x) for x in v)
        return str(v)

    def write(self):
        """Writes cases.txt and prints how many cases it holds."""
        with open(os.path.join(self.out_dir, "cases.txt"), "w") as f:
            f.write("\n".join(self.lines) + "\n")
        print(len(self.lines), "cases")
