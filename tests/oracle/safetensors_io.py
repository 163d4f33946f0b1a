#!/usr/bin/python3
"""Our own safetensors writer and reader, for the GPT-2 oracle (issue 14), and broken files.

The format (https://github.com/huggingface/safetensors, README "Format"):
  8 bytes    N, the header length, an unsigned little-endian 64-bit integer
  N bytes    JSON: {name: {"dtype": "F32"|"F16"|"BF16", "shape": [...],
             "data_offsets": [begin, end]}, ..., optional "__metadata__": {str: str}};
             padded with spaces so that the data starts at a multiple of 8
  the rest   the tensors' raw little-endian bytes, begin/end relative to the data's start

write(path, {name: tensor}, dtype="F32", metadata=None) stores the tensors in the
order given, rounding to F16/BF16 in torch (round to nearest even) when asked.
read(path) gives {name: float32 tensor}, checking every field as strictly as the
C++ reader promises to (so a file it accepts is one the binary must accept too).

As a command, it writes deliberately broken copies of a good file, for the
bad-checkpoint tests:
  safetensors_io.py broken KIND IN OUT [--tensor NAME]
  safetensors_io.py kinds          (lists the kinds, one a line, with what each breaks)
"""
import argparse
import json
import mmap
import os
import struct
import sys

import torch

DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}
# Reinterpreting the rounded values as integers of the same width gives their bytes.
_BITS = {"F32": torch.int32, "F16": torch.int16, "BF16": torch.int16}
_NUMPY_LE = {"F32": "<i4", "F16": "<i2", "BF16": "<i2"}


class FormatError(ValueError):
    """A file that is not valid safetensors (the message names the file and tensor)."""


def rounded(t, dtype):
    """t as float32 after rounding to `dtype` ("F32", "F16" or "BF16"): what a reader of the file gets."""
    torch_dtype, _ = DTYPES[dtype]
    return t.detach().to(torch.float32).to(torch_dtype).to(torch.float32)


def tensor_bytes(t, dtype):
    """The raw little-endian bytes of t stored as `dtype`."""
    torch_dtype, _ = DTYPES[dtype]
    values = t.detach().to(torch.float32).to(torch_dtype).contiguous()
    bits = values.view(_BITS[dtype]).numpy()
    return bits.astype(_NUMPY_LE[dtype], copy=False).tobytes()


def header_bytes(entries, metadata=None):
    """The header for `entries` ([(name, {dtype, shape, data_offsets})] or a dict), length and padding included."""
    obj = {}
    if metadata is not None:
        obj["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    obj.update(entries)
    return pack_header(json.dumps(obj, separators=(",", ":")).encode())


def pack_header(text):
    """8-byte length + the JSON text padded with spaces so that the data starts 8-aligned."""
    text = text + b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def write(path, tensors, dtype="F32", metadata=None):
    """Writes {name: tensor} to `path` as safetensors, in the order given, every tensor as
    `dtype` ("F32", "F16", "BF16"; or a dict {name: dtype}, "F32" for names it lacks)."""
    entries, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        if name == "__metadata__":
            raise ValueError("__metadata__ is not a tensor name")
        kind = dtype.get(name, "F32") if isinstance(dtype, dict) else dtype
        if kind not in DTYPES:
            raise ValueError(f"dtype {kind!r}: F32, F16 or BF16")
        data = tensor_bytes(t, kind)
        entries[name] = {"dtype": kind, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    with open(path, "wb") as f:
        f.write(header_bytes(entries, metadata))
        for data in chunks:
            f.write(data)


def read_raw(path, header_only=False):
    """(header dict in file order, data as a memoryview; None with header_only): the length and
    the JSON checked, the entries not yet."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        first = f.read(8)
        if len(first) < 8:
            raise FormatError(f"{path}: {size} bytes, shorter than the 8-byte header length")
        (n,) = struct.unpack("<Q", first)
        if n > size - 8:
            raise FormatError(f"{path}: header length {n} runs past the end of the file ({size} bytes)")
        text = f.read(n)
        data = None
        if not header_only:  # a private copy-on-write mapping: read lazily, writable for torch.frombuffer
            data = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY))[8 + n:] if size > 8 + n \
                else memoryview(bytearray())

    def no_repeats(pairs):
        names = [k for k, _ in pairs]
        for name in names:
            if names.count(name) > 1:
                raise FormatError(f"{path}: tensor {name} is named twice in the header")
        return dict(pairs)

    try:
        header = json.loads(text.decode("utf-8"), object_pairs_hook=no_repeats)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FormatError(f"{path}: header is not JSON: {e}") from None
    if not isinstance(header, dict):
        raise FormatError(f"{path}: header is not a JSON object")
    return header, data


def check_entries(path, header, data_size):
    """[(name, dtype, shape, begin, end)] sorted by begin, after checking every field; FormatError otherwise."""
    out = []
    for name, e in header.items():
        if name == "__metadata__":
            if not isinstance(e, dict) or not all(isinstance(v, str) for v in e.values()):
                raise FormatError(f"{path}: __metadata__ is not an object of strings")
            continue
        if not isinstance(e, dict):
            raise FormatError(f"{path}: tensor {name}: entry is not an object")
        dtype, shape, offsets = e.get("dtype"), e.get("shape"), e.get("data_offsets")
        if dtype not in DTYPES:
            raise FormatError(f"{path}: tensor {name}: unknown dtype {dtype!r}")
        if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
            raise FormatError(f"{path}: tensor {name}: shape is not a list of sizes")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) and o >= 0 for o in offsets)):
            raise FormatError(f"{path}: tensor {name}: data_offsets is not [begin, end]")
        begin, end = offsets
        if begin > end:
            raise FormatError(f"{path}: tensor {name}: data_offsets reversed ({begin} > {end})")
        if end > data_size:
            raise FormatError(f"{path}: tensor {name}: data_offsets end {end} past the data ({data_size} bytes)")
        count = 1
        for d in shape:
            count *= d
        if count * DTYPES[dtype][1] != end - begin:
            raise FormatError(f"{path}: tensor {name}: shape {shape} of {dtype} needs {count * DTYPES[dtype][1]} bytes, "
                              f"data_offsets give {end - begin}")
        out.append((name, dtype, shape, begin, end))
    out.sort(key=lambda x: (x[3], x[4]))
    for a, b in zip(out, out[1:]):
        if b[3] < a[4]:
            raise FormatError(f"{path}: tensors {a[0]} and {b[0]} overlap")
    return out


def decode(data, dtype, shape):
    """float32 tensor from raw little-endian bytes (a memoryview: F32 shares its memory when aligned)."""
    if sys.byteorder != "little":  # pragma: no cover - the test machines are little-endian
        raise RuntimeError("safetensors_io assumes a little-endian machine")
    torch_dtype, size = DTYPES[dtype]
    count = len(data) // size
    if count == 0:
        return torch.zeros(shape, dtype=torch.float32)
    if not isinstance(data, memoryview) or data.readonly or _address(data) % size:
        data = memoryview(bytearray(data))
    ints = torch.frombuffer(data, dtype=_BITS[dtype], count=count)
    return ints.view(torch_dtype).to(torch.float32).reshape(shape)


def _address(view):
    """Where a memoryview's bytes start in memory (for the alignment torch needs)."""
    import ctypes
    return ctypes.addressof(ctypes.c_char.from_buffer(view)) if not view.readonly else 1


def read(path, with_dtypes=False):
    """{name: float32 tensor} from a safetensors file; with_dtypes: also {name: dtype as stored}."""
    header, data = read_raw(path)
    tensors, dtypes = {}, {}
    for name, dtype, shape, begin, end in check_entries(path, header, len(data)):
        tensors[name] = decode(data[begin:end], dtype, shape)
        dtypes[name] = dtype
    return (tensors, dtypes) if with_dtypes else tensors


def metadata(path):
    """The header's __metadata__ ({} when absent); reads only the header."""
    header, _ = read_raw(path, header_only=True)
    return header.get("__metadata__", {})


# ---------------------------------------------------------------- broken files

def _entries(header):
    """The tensor entries (no __metadata__) in data order, as [name, entry] lists to modify."""
    items = [[k, dict(v)] for k, v in header.items() if k != "__metadata__"]
    items.sort(key=lambda kv: tuple(kv[1]["data_offsets"]))
    return items


def _pick(items, tensor, want=None):
    if tensor is not None:
        for kv in items:
            if kv[0] == tensor:
                return kv
        raise SystemExit(f"no tensor {tensor!r} in the file")
    for kv in items:
        if want is None or want(kv[1]):
            return kv
    raise SystemExit("no tensor in the file fits this kind")


def _json_header(items, header):
    obj = {}
    if "__metadata__" in header:
        obj["__metadata__"] = header["__metadata__"]
    obj.update({k: v for k, v in items})
    return json.dumps(obj, separators=(",", ":")).encode()


def _byte_size(e):
    return e["data_offsets"][1] - e["data_offsets"][0]


def _without(items, data, name):
    """items and data repacked without tensor `name` (no hole left behind)."""
    kept, chunks, offset = [], [], 0
    for k, e in items:
        b, end = e["data_offsets"]
        if k == name:
            continue
        chunks.append(data[b:end])
        kept.append([k, dict(e, data_offsets=[offset, offset + end - b])])
        offset += end - b
    return kept, b"".join(chunks)


def _broken_truncated(items, header, data, tensor):
    """the file cut in the middle of its data (the last tensors' bytes are missing)"""
    return pack_header(_json_header(items, header)) + data[:len(data) // 2]


def _broken_short(items, header, data, tensor):
    """a file of 5 bytes, shorter than the header length itself"""
    return pack_header(_json_header(items, header))[:5]


def _broken_header_past_end(items, header, data, tensor):
    """the header length (first 8 bytes) says more bytes than the file has"""
    body = pack_header(_json_header(items, header))[8:] + data
    return struct.pack("<Q", len(body) + 1) + body


def _broken_offsets_outside(items, header, data, tensor):
    """a tensor's data_offsets moved past the end of the data (its size still matching its shape)"""
    name, e = _pick(items, tensor, lambda e: _byte_size(e) > 0)
    size = _byte_size(e)
    e["data_offsets"] = [len(data), len(data) + size]
    return pack_header(_json_header(items, header)) + data


def _broken_overlap(items, header, data, tensor):
    """the second tensor in the data starts one element before the first one ends"""
    if tensor is None:
        nonempty = [kv for kv in items if _byte_size(kv[1]) > 0]
        if len(nonempty) < 2:
            raise SystemExit("overlap needs two tensors with data")
        second = nonempty[1]
    else:
        second = _pick(items, tensor)
        if items.index(second) == 0:
            raise SystemExit("overlap moves a tensor that is not the first in the data")
    e = second[1]
    step = DTYPES[e["dtype"]][1]
    b, end = e["data_offsets"]
    e["data_offsets"] = [b - step, end - step]
    return pack_header(_json_header(items, header)) + data


def _broken_unknown_dtype(items, header, data, tensor):
    """a tensor's dtype is "Q7", a type that does not exist"""
    _pick(items, tensor)[1]["dtype"] = "Q7"
    return pack_header(_json_header(items, header)) + data


def _broken_wrong_shape(items, header, data, tensor):
    """a matrix's shape transposed: as many bytes as before, wrong for the config"""
    _, e = _pick(items, tensor, lambda e: len(e["shape"]) == 2 and e["shape"][0] != e["shape"][1])
    e["shape"] = e["shape"][::-1]
    return pack_header(_json_header(items, header)) + data


def _broken_size_mismatch(items, header, data, tensor):
    """a tensor's shape has one row more than its data_offsets hold"""
    _, e = _pick(items, tensor, lambda e: len(e["shape"]) >= 1)
    e["shape"] = [e["shape"][0] + 1, *e["shape"][1:]]
    return pack_header(_json_header(items, header)) + data


def _broken_reversed(items, header, data, tensor):
    """a tensor's data_offsets given as [end, begin]"""
    _, e = _pick(items, tensor, lambda e: _byte_size(e) > 0)
    e["data_offsets"] = e["data_offsets"][::-1]
    return pack_header(_json_header(items, header)) + data


def _broken_missing(items, header, data, tensor):
    """one tensor left out (the file repacked, no hole); default: the last in the data"""
    name = tensor if tensor is not None else items[-1][0]
    _pick(items, name)
    kept, rest = _without(items, data, name)
    return pack_header(_json_header(kept, header)) + rest


def _broken_duplicate(items, header, data, tensor):
    """a tensor named twice in the header (the second entry a copy of the first)"""
    name, e = _pick(items, tensor)
    text = _json_header(items, header)
    assert text.endswith(b"}")
    extra = json.dumps({name: e}, separators=(",", ":"))[1:-1].encode()
    return pack_header(text[:-1] + b"," + extra + b"}") + data


def _broken_not_json(items, header, data, tensor):
    """the header's closing brace replaced by a space: not JSON"""
    text = _json_header(items, header)
    return pack_header(text[:-1] + b" ") + data


BROKEN = {
    "truncated": _broken_truncated,
    "short": _broken_short,
    "header-past-end": _broken_header_past_end,
    "offsets-outside": _broken_offsets_outside,
    "overlap": _broken_overlap,
    "unknown-dtype": _broken_unknown_dtype,
    "wrong-shape": _broken_wrong_shape,
    "size-mismatch": _broken_size_mismatch,
    "reversed": _broken_reversed,
    "missing": _broken_missing,
    "duplicate": _broken_duplicate,
    "not-json": _broken_not_json,
}


def broken(kind, src, dst, tensor=None):
    """Writes to dst a copy of the good file src broken as `kind` (a key of BROKEN); `tensor`
    chooses the tensor to break where the kind breaks one (default: chosen by the kind)."""
    header, data = read_raw(src)
    data = bytes(data)
    items = _entries(header)
    blob = BROKEN[kind](items, header, data, tensor)
    with open(dst, "wb") as f:
        f.write(blob)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("broken", help="write a broken copy of a good safetensors file")
    b.add_argument("kind", choices=sorted(BROKEN))
    b.add_argument("src", metavar="IN")
    b.add_argument("dst", metavar="OUT")
    b.add_argument("--tensor", help="the tensor to break (default: one chosen by the kind)")
    sub.add_parser("kinds", help="list the kinds of broken file")
    d = sub.add_parser("dump", help="print the header and each tensor's dtype, shape and first values")
    d.add_argument("path")
    args = parser.parse_args(argv)
    if args.command == "kinds":
        for kind in BROKEN:
            print(f"{kind}: {BROKEN[kind].__doc__}")
    elif args.command == "broken":
        broken(args.kind, args.src, args.dst, args.tensor)
    else:
        try:
            tensors, dtypes = read(args.path, with_dtypes=True)
        except FormatError as e:
            print(e, file=sys.stderr)
            return 1
        for name, t in tensors.items():
            print(f"{name} {dtypes[name]} {list(t.shape)} {t.flatten()[:4].tolist()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
