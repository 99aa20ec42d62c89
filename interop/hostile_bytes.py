"""Byte-level builders for hostile files: raw pickle opcodes, zip archives laid out by hand,
legacy torch streams and safetensors files. Used by make_hostile.py; nothing here runs a payload.
"""
import binascii
import collections
import json
import pickle
import struct
import zlib

import torch

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001

# ---- pickle opcodes ------------------------------------------------------------------------------

PROTO2 = b"\x80\x02"
PROTO4 = b"\x80\x04"
MARK = b"("
STOP = b"."
TUPLE = b"t"
REDUCE = b"R"
NONE = b"N"
EMPTY_DICT = b"}"
EMPTY_LIST = b"]"
EMPTY_TUPLE = b")"
SETITEM = b"s"
SETITEMS = b"u"
APPEND = b"a"
BUILD = b"b"
POP = b"0"
DUP = b"2"
NEWOBJ = b"\x81"
NEWOBJ_EX = b"\x92"
STACK_GLOBAL = b"\x93"
MEMOIZE = b"\x94"
TUPLE1 = b"\x85"
NEWFALSE = b"\x89"


def glob(module, name):
    """GLOBAL: module and name on two lines (bytes given as str, encoded as UTF-8)."""
    return b"c" + module.encode("utf-8") + b"\n" + name.encode("utf-8") + b"\n"


def inst(module, name):
    return b"i" + module.encode("utf-8") + b"\n" + name.encode("utf-8") + b"\n"


def ustr(s):
    """BINUNICODE."""
    b = s.encode("utf-8")
    return b"X" + struct.pack("<I", len(b)) + b


def sstr(s):
    """SHORT_BINUNICODE (protocol 4)."""
    b = s.encode("utf-8")
    assert len(b) < 256
    return b"\x8c" + bytes([len(b)]) + b


def text(s):
    """STRING (protocol 0): a quoted Python 2 str."""
    return b"S" + repr(s).encode("ascii") + b"\n"


def binint(n):
    if 0 <= n < 256:
        return b"K" + bytes([n])
    return b"J" + struct.pack("<i", n)


def binput(i):
    return b"q" + bytes([i])


def binget(i):
    return b"h" + bytes([i])


def call(func, *args):
    """func(*args): func is a global's bytes, args are pushed values."""
    return func + MARK + b"".join(args) + TUPLE + REDUCE


def proto2(body):
    return PROTO2 + body + STOP


def proto4(body):
    return PROTO4 + body + STOP


# ---- tensors pickled the way torch.save pickles them -----------------------------------------------


class StorageRef:
    """A storage as a persistent id: ('storage', cls, key, location, numel[, view])."""

    def __init__(self, key, cls=torch.FloatStorage, numel=1, location="cpu", legacy=False, view=None):
        self.key, self.cls, self.numel, self.location, self.legacy, self.view = key, cls, numel, location, legacy, view


class FakeTensor:
    """Pickles as torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks, *extra)."""

    def __init__(self, storage, offset, size, stride, requires_grad=False, extra=()):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)
        self.requires_grad, self.extra = requires_grad, tuple(extra)

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2,
                (self.storage, self.offset, self.size, self.stride, self.requires_grad,
                 collections.OrderedDict()) + self.extra)


class Reduce:
    """An object whose pickle is a call of `fn(*args)`."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


class _TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, StorageRef):
            pid = ("storage", obj.cls, obj.key, obj.location, obj.numel)
            return pid + (obj.view,) if obj.legacy else pid
        return None


def torch_pickle(obj, protocol=2):
    """obj pickled as torch.save does (protocol 2, storages as persistent ids)."""
    import io
    buffer = io.BytesIO()
    _TorchPickler(buffer, protocol=protocol).dump(obj)
    return buffer.getvalue()


def floats(*values):
    return struct.pack("<%df" % len(values), *values)


# ---- zip archives, byte by byte -----------------------------------------------------------------------


class Entry:
    """One zip entry; every field a test may want to falsify can be overridden."""

    def __init__(self, name, data, method=0, flags=0, compressed=None, crc=None, size=None, csize=None,
                 local_name=None, local_crc=None, local_method=None, local_flags=None):
        self.name, self.data, self.method, self.flags = name, data, method, flags
        if compressed is None:
            compressed = data if method == 0 else deflate(data)
        self.compressed = compressed
        self.crc = binascii.crc32(data) if crc is None else crc
        self.size = len(data) if size is None else size
        self.csize = len(compressed) if csize is None else csize
        self.local_name = name if local_name is None else local_name
        self.local_crc = self.crc if local_crc is None else local_crc
        self.local_method = method if local_method is None else local_method
        self.local_flags = flags if local_flags is None else local_flags


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def local_header(e):
    name = e.local_name.encode("utf-8")
    return (b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", 20, e.local_flags, e.local_method, 0, 0x21, e.local_crc,
                                        e.csize, e.size, len(name), 0) + name)


def central_header(e, offset):
    name = e.name.encode("utf-8")
    return (b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, 20, e.flags, e.method, 0, 0x21, e.crc, e.csize,
                                        e.size, len(name), 0, 0, 0, 0, 0, offset) + name)


def eocd(count, cd_size, cd_offset, comment=b"", count_on_disk=None):
    return (b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count if count_on_disk is None else count_on_disk, count,
                                        cd_size, cd_offset, len(comment)) + comment)


def zip_bytes(entries, prepend=b"", offsets=None, extra_central=(), count=None):
    """A zip of `entries` (local headers then central directory then end record).

    offsets: central-directory offsets to use instead of the real ones (by entry index)
    extra_central: more (Entry, offset) central records that point anywhere
    """
    out = bytearray(prepend)
    real = []
    for e in entries:
        real.append(len(out) - len(prepend))
        out += local_header(e) + e.compressed
    cd_start = len(out) - len(prepend)
    cd = bytearray()
    for i, e in enumerate(entries):
        cd += central_header(e, (offsets or {}).get(i, real[i]))
    for e, offset in extra_central:
        cd += central_header(e, offset)
    n = len(entries) + len(extra_central)
    out += cd + eocd(n if count is None else count, len(cd), cd_start)
    return bytes(out)


def torch_entries(pickle_bytes, prefix="archive", records=None, version=b"3\n"):
    """The records torch.save writes: data.pkl, data/<key>..., version."""
    entries = [Entry(f"{prefix}/data.pkl", pickle_bytes)]
    for key, data in (records or {}).items():
        entries.append(Entry(f"{prefix}/data/{key}", data))
    if version is not None:
        entries.append(Entry(f"{prefix}/version", version))
    return entries


def torch_zip(pickle_bytes, records=None, prefix="archive"):
    return zip_bytes(torch_entries(pickle_bytes, prefix, records))


# ---- legacy streams ---------------------------------------------------------------------------------

SYS_INFO = dict(protocol_version=PROTOCOL_VERSION, little_endian=True, type_sizes=dict(short=2, int=4, long=4))


def legacy(obj_pickle, keys, blobs=(), magic=None, protocol=None, sys_info=None, keys_pickle=None, tail=b""):
    """magic, protocol version, sys_info, the object, the storage keys, then (count, bytes) per blob."""
    out = bytearray()
    out += magic if magic is not None else pickle.dumps(MAGIC_NUMBER, protocol=2)
    out += protocol if protocol is not None else pickle.dumps(PROTOCOL_VERSION, protocol=2)
    out += sys_info if sys_info is not None else pickle.dumps(SYS_INFO, protocol=2)
    out += obj_pickle
    out += keys_pickle if keys_pickle is not None else pickle.dumps(list(keys), protocol=2)
    for count, data in blobs:
        out += struct.pack("<q", count) + data
    return bytes(out + tail)


# ---- safetensors ------------------------------------------------------------------------------------


def safetensors(header, data=b"", length=None):
    """8-byte length, header (a dict, serialised compactly, or raw bytes), data."""
    raw = header if isinstance(header, bytes) else json.dumps(header, separators=(",", ":")).encode("utf-8")
    return struct.pack("<Q", len(raw) if length is None else length) + raw + data
