#!/usr/bin/python3
"""Writes hostile and broken files that a safe loader must refuse without running anything.

Usage: make_hostile.py OUTDIR MARKER_DIR

Each "code_execution" file would create MARKER_DIR/<its name> if its pickle were executed (as the
real torch.load(weights_only=False) does): so a test proves that nothing ran by checking that the
marker does not exist. Building them runs nothing: pickling only records the callable's name.

OUTDIR/manifest.json (written last) lists every file:
  file              name inside OUTDIR
  kind              code_execution | corrupt
  container         torch-zip | torch-legacy | none
  record            the record holding the pickle ("archive/data.pkl"), or null
  marker            absolute path of the file execution would create, or null
  global            the dangerous callable as module.name, exactly as the pickle names it
                    (os.system is pickled as posix.system on Linux), or null
  opcode            GLOBAL or STACK_GLOBAL: how the pickle names that callable, or null
  globals           every global the pickle names, in order
  expected_error    the Pith exception class a loader should throw
  message_contains  a substring its message must contain, or null when the wording is not fixed:
                    "unsafe global m.n" for posix/nt/os/builtins/__builtin__/subprocess globals named by
                    GLOBAL, "global m.n" for other GLOBALs (e.g. commands.Popen), null otherwise
  description       what the file is
"""
import builtins
import collections
import io
import json
import os
import pickle
import pickletools
import posix
import random
import shlex
import subprocess
import sys
import zipfile

import torch

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001


class Reduce:
    """An object whose pickle is a call of `fn(*args)`: what a malicious checkpoint contains."""

    def __init__(self, fn, args):
        self.fn = fn
        self.args = args

    def __reduce__(self):
        return self.fn, self.args


def torch_like_zip(path, pickle_bytes, prefix="archive"):
    """A zip laid out like torch.save's: <prefix>/data.pkl and <prefix>/version, stored."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(f"{prefix}/data.pkl", pickle_bytes)
        z.writestr(f"{prefix}/version", "3\n")


def legacy_stream(obj_pickle):
    """A legacy torch stream: magic, protocol version, sys_info, the object, no storages."""
    sys_info = dict(protocol_version=PROTOCOL_VERSION, little_endian=True,
                    type_sizes=dict(short=2, int=4, long=4))
    return (pickle.dumps(MAGIC_NUMBER, protocol=2) + pickle.dumps(PROTOCOL_VERSION, protocol=2)
            + pickle.dumps(sys_info, protocol=2) + obj_pickle + pickle.dumps([], protocol=2))


def globals_of(data):
    """Every global named by the pickles in `data` (one or several in a row), as module.name."""
    found = []
    stream = io.BytesIO(data)
    while stream.tell() < len(data):
        strings = []
        for opcode, arg, _ in pickletools.genops(stream):
            if opcode.name in ("GLOBAL", "INST"):
                module, name = arg.split(" ", 1)
                found.append((f"{module}.{name}", opcode.name))
            elif opcode.name == "STACK_GLOBAL":
                found.append((f"{strings[-2]}.{strings[-1]}", opcode.name))
            elif isinstance(arg, str):
                strings.append(arg)
    return found


KNOWN_DANGEROUS_MODULES = ("posix", "nt", "os", "builtins", "__builtin__", "subprocess")


def expected_message(global_name, opcode):
    """What a refusal must say: "unsafe global m.n" for the well-known code runners, else "global m.n".

    A protocol-4 pickle (STACK_GLOBAL) may be refused before its global is resolved, in other
    words: no wording is required for it.
    """
    if opcode != "GLOBAL":
        return None
    module = global_name.split(".", 1)[0]
    return ("unsafe global " if module in KNOWN_DANGEROUS_MODULES else "global ") + global_name


def pickle_of(path, record):
    if record is None:
        with open(path, "rb") as f:
            return f.read()
    with zipfile.ZipFile(path) as z:
        return z.read(record)


def main(argv):
    if len(argv) != 3:
        print("usage: make_hostile.py OUTDIR MARKER_DIR", file=sys.stderr)
        return 2
    outdir = os.path.abspath(argv[1])
    marker_dir = os.path.abspath(argv[2])
    os.makedirs(outdir, exist_ok=True)
    os.makedirs(marker_dir, exist_ok=True)
    markers_before = set(os.listdir(marker_dir))
    manifest_path = os.path.join(outdir, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)

    def marker(name):
        return os.path.join(marker_dir, name)

    def touch_command(name):
        return "touch " + shlex.quote(marker(name))

    def eval_source(name):
        return f"open({marker(name)!r}, 'w').close()"

    entries = []

    def code_execution(name, payload, description, container="torch-zip", protocol=2, expected_global=None,
                       fix_imports=True):
        file_name = name + ".pth"
        path = os.path.join(outdir, file_name)
        # fix_imports=True (pickle's default, so torch.save's) writes Python 3's builtins as __builtin__
        pickled = pickle.dumps(payload, protocol=protocol, fix_imports=fix_imports)
        if container == "torch-zip":
            torch_like_zip(path, pickled)
            record = "archive/data.pkl"
        else:
            with open(path, "wb") as f:
                f.write(legacy_stream(pickled))
            record = None
        add_code_execution(name, file_name, record, container, description, expected_global)

    def add_code_execution(name, file_name, record, container, description, expected_global=None):
        found = globals_of(pickle_of(os.path.join(outdir, file_name), record))
        dangerous = [(g, op) for g, op in found if not g.startswith(("torch.", "collections."))]
        assert len(dangerous) == 1, (file_name, found)
        global_name, opcode = dangerous[0]
        if expected_global is not None:
            assert global_name == expected_global, (file_name, global_name)
        entries.append({
            "file": file_name,
            "kind": "code_execution",
            "container": container,
            "record": record,
            "marker": marker(name),
            "global": global_name,
            "opcode": opcode,
            "globals": [g for g, _ in found],
            "expected_error": "UnsafePickleException",
            "message_contains": expected_message(global_name, opcode),
            "description": description,
        })

    def corrupt(file_name, data, description, container="none", message_contains=None):
        with open(os.path.join(outdir, file_name), "wb") as f:
            f.write(data)
        entries.append({
            "file": file_name,
            "kind": "corrupt",
            "container": container,
            "record": None,
            "marker": None,
            "global": None,
            "opcode": None,
            "globals": [],
            "expected_error": "FileFormatException",
            "message_contains": message_contains,
            "description": description,
        })

    code_execution("os_system", Reduce(os.system, (touch_command("os_system"),)),
                   "data.pkl calls os.system('touch MARKER') (pickled as posix.system)",
                   expected_global="posix.system")
    code_execution("posix_system", Reduce(posix.system, (touch_command("posix_system"),)),
                   "data.pkl calls posix.system('touch MARKER')", expected_global="posix.system")
    code_execution("builtins_eval", Reduce(builtins.eval, (eval_source("builtins_eval"),)),
                   "data.pkl calls builtins.eval(\"open(MARKER, 'w').close()\"), named builtins.eval",
                   expected_global="builtins.eval", fix_imports=False)
    code_execution("builtin_eval", Reduce(builtins.eval, (eval_source("builtin_eval"),)),
                   "data.pkl calls eval(\"open(MARKER, 'w').close()\") named __builtin__.eval, as pickle's "
                   "protocol 2 writes it by default", expected_global="__builtin__.eval")
    code_execution("builtin_exec", Reduce(builtins.exec, (eval_source("builtin_exec"),)),
                   "data.pkl calls exec(\"open(MARKER, 'w').close()\") named __builtin__.exec",
                   expected_global="__builtin__.exec")
    code_execution("subprocess_popen", Reduce(subprocess.Popen, (["touch", marker("subprocess_popen")],)),
                   "data.pkl calls subprocess.Popen(['touch', MARKER])", expected_global="subprocess.Popen",
                   fix_imports=False)
    code_execution("commands_popen", Reduce(subprocess.Popen, (["touch", marker("commands_popen")],)),
                   "data.pkl calls subprocess.Popen(['touch', MARKER]), named commands.Popen as pickle's "
                   "protocol 2 writes it by default (Python 3 maps it back to subprocess.Popen)",
                   expected_global="commands.Popen")
    code_execution("stack_global_os_system", Reduce(os.system, (touch_command("stack_global_os_system"),)),
                   "pickle protocol 4: os.system named by STACK_GLOBAL", protocol=4,
                   expected_global="posix.system")
    code_execution("legacy_os_system", Reduce(os.system, (touch_command("legacy_os_system"),)),
                   "legacy (non-zip) stream whose object pickle calls os.system", container="torch-legacy",
                   expected_global="posix.system")

    # a real torch.save: genuine tensors first, the payload as the last entry of the state dict
    torch.manual_seed(0)
    payload_sd = collections.OrderedDict([
        ("weight", torch.randn(3, 4)),
        ("bias", torch.randn(3)),
        ("evil", Reduce(os.system, (touch_command("payload_in_state_dict"),))),
    ])
    buffer = io.BytesIO()
    torch.save(payload_sd, buffer)
    with open(os.path.join(outdir, "payload_in_state_dict.pth"), "wb") as f:
        f.write(buffer.getvalue())
    add_code_execution("payload_in_state_dict", "payload_in_state_dict.pth", "archive/data.pkl", "torch-zip",
                       "torch.save of a state dict whose last value calls os.system after two real tensors",
                       expected_global="posix.system")

    # broken files, all made from a valid small state dict
    torch.manual_seed(0)
    valid_sd = collections.OrderedDict([("weight", torch.randn(64, 64)), ("bias", torch.randn(64))])
    buffer = io.BytesIO()
    torch.save(valid_sd, buffer)
    valid_zip = buffer.getvalue()
    corrupt("truncated.pth", valid_zip[:len(valid_zip) // 2],
            "a valid torch zip (state dict of 2 tensors) cut in half", container="torch-zip")
    buffer = io.BytesIO()
    torch.save(valid_sd, buffer, _use_new_zipfile_serialization=False)
    legacy = bytearray(buffer.getvalue())
    magic = pickle.dumps(MAGIC_NUMBER, protocol=2)[2:-1]  # LONG1 opcode, length, 10 bytes
    assert legacy.startswith(b"\x80\x02" + magic)
    legacy[5] ^= 0xFF  # a byte inside the magic number itself
    corrupt("wrong_magic.pth", bytes(legacy), "a legacy torch stream whose magic number is corrupted",
            container="torch-legacy")
    corrupt("garbage.pth", random.Random(0).randbytes(4096), "4096 random bytes")
    corrupt("empty.pth", b"", "an empty file")
    corrupt("git_lfs_pointer.pth",
            b"version https://git-lfs.github.com/spec/v1\n"
            b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
            b"size 46830571\n",
            "a Git LFS pointer file where the checkpoint should be")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/version", "3\n")
    corrupt("zip_without_data_pkl.pth", buffer.getvalue(), "a zip with archive/version but no data.pkl",
            container="torch-zip")

    leftovers = sorted(set(os.listdir(marker_dir)) - markers_before)
    assert not leftovers, f"making the hostile files ran something: {leftovers}"
    manifest = {"marker_dir": marker_dir, "files": entries}
    with open(manifest_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(manifest_path + ".tmp", manifest_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
