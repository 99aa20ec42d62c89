#!/usr/bin/python3
"""Checks ONNX files with the real onnx package (Debian python3-onnx), to prove that Pith's exports are valid.

Usage: check_onnx.py FILE...

For each FILE runs onnx.checker.check_model(FILE, full_check=True) (the structural checks and
strict shape inference) and prints one JSON line:
  {"file": FILE, "ok": true, "ir_version": 8, "opsets": {"": 17}, "producer": "pith",
   "inputs": [[name, elem_type, [dim, ...]]], "outputs": [...], "initializers": [name, ...],
   "ops": [op_type, ...]}
where a dim is an int or its symbolic name; or {"file": FILE, "ok": false, "error": "<type>: <message>"}.
Exits 0 when every file passed, 1 otherwise.
"""
import json
import sys


def value_infos(values):
    out = []
    for v in values:
        t = v.type.tensor_type
        dims = [d.dim_param if d.HasField("dim_param") else d.dim_value for d in t.shape.dim]
        out.append([v.name, t.elem_type, dims])
    return out


def check(onnx, path):
    try:
        onnx.checker.check_model(path, full_check=True)
        model = onnx.load(path)
    except Exception as e:  # noqa: BLE001 - the caller wants any failure, worded
        return {"file": path, "ok": False, "error": f"{type(e).__name__}: {' '.join(str(e).split())}"}
    g = model.graph
    return {
        "file": path,
        "ok": True,
        "ir_version": model.ir_version,
        "opsets": {o.domain: o.version for o in model.opset_import},
        "producer": model.producer_name,
        "inputs": value_infos(g.input),
        "outputs": value_infos(g.output),
        "initializers": [t.name for t in g.initializer],
        "ops": [n.op_type for n in g.node],
    }


def main(argv):
    files = argv[1:]
    if not files or any(a.startswith("--") for a in files):
        print("usage: check_onnx.py FILE...", file=sys.stderr)
        return 2
    import onnx
    sys.stdout.reconfigure(encoding="utf-8")
    ok = True
    for path in files:
        result = check(onnx, path)
        ok = ok and result["ok"]
        print(json.dumps(result))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
