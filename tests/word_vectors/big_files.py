#!/usr/bin/python3
"""Word-vector files from a few KB to 1 GB through the binary (issue 16).

Usage: big_files.py ATTN_EXPLAIN [--sanitized]

Writes GloVe-shaped files (50 values a row, about 440 bytes a line) of 4 KB, 1 MB,
100 MB and 1 GB into a temp dir (removed at the end, also on failure), plus a
word2vec text and binary file of 100 MB, each ending with the row "zebra" of known
values. Runs `attn-explain --json -e FILE "the zebra"`: "the" is in none of them,
so every run reads its file to the end. Checks that each run succeeds, that
zebra's vector is the one written (each value the float32 of its decimal), and
that peak memory (ru_maxrss of the run, from wait4) stays under 64 MiB for every
size: the file is streamed, not held. Prints each file's size, time and MB/s.
Exit status 1 on a failed check. With --sanitized (the AddressSanitizer build, whose
shadow memory and quarantine count as resident) the peak is not checked and the
1 GB file is left out; the values still are.
"""

import json
import os
import struct
import subprocess
import sys
import tempfile
import time

DIM = 50
PEAK_LIMIT_KB = 64 * 1024
ZEBRA = [round((i - 25) * 0.0123456, 6) for i in range(DIM)]


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def text_block(lines, start):
    return "".join(f"w{start + i} " + " ".join(f"{((i * 7 + k) % 1000 - 500) / 1234:.5f}" for k in range(DIM)) + "\n"
                   for i in range(lines)).encode()


def write_text(path, size, header):
    block = text_block(2400, 0)  # about 1 MB
    zebra = ("zebra " + " ".join(str(v) for v in ZEBRA) + "\n").encode()
    whole, rest = divmod(max(size - len(zebra), 0), len(block))
    cut = block[:rest]
    cut = cut[:cut.rfind(b"\n") + 1]
    rows = whole * 2400 + cut.count(b"\n") + 1
    with open(path, "wb") as f:
        if header:
            f.write(f"{rows} {DIM}\n".encode())
        for _ in range(whole):
            f.write(block)
        f.write(cut)
        f.write(zebra)


def write_binary(path, size):
    record = lambda word, values: word.encode() + b" " + struct.pack(f"<{DIM}f", *values) + b"\n"
    block = b"".join(record(f"w{i}", [((i * 7 + k) % 1000 - 500) / 1234 for k in range(DIM)]) for i in range(4000))
    whole = max(size // len(block), 1)
    with open(path, "wb") as f:
        f.write(f"{whole * 4000 + 1} {DIM}\n".encode())
        for _ in range(whole):
            f.write(block)
        f.write(record("zebra", ZEBRA))


def run(binary, path, out_path):
    with open(out_path, "wb") as out, open(os.devnull, "rb") as devnull:
        start = time.perf_counter()
        proc = subprocess.Popen([binary, "--json", "-e", path, "the zebra"], stdin=devnull, stdout=out,
                                stderr=subprocess.PIPE)
        err = proc.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
    return proc.returncode, err, usage.ru_maxrss, seconds


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--sanitized"):
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    sanitized = len(sys.argv) == 3
    failures = []
    with tempfile.TemporaryDirectory(prefix="attn-big-vectors-") as tmp:
        cases = [("4k.txt", 4 << 10, "glove"), ("1m.txt", 1 << 20, "glove"), ("100m.txt", 100 << 20, "glove"),
                 ("100m.vec", 100 << 20, "text"), ("100m.bin", 100 << 20, "bin"), ("1g.txt", 1 << 30, "glove")]
        if sanitized:
            cases = cases[:-1]
        for name, size, kind in cases:
            path = os.path.join(tmp, name)
            if kind == "bin":
                write_binary(path, size)
            else:
                write_text(path, size, kind == "text")
            code, err, peak_kb, seconds = run(binary, path, os.path.join(tmp, "out.json"))
            real = os.path.getsize(path)
            print(f"{name:9} {real / 1e6:9.1f} MB  {seconds:6.2f} s  {real / 1e6 / seconds:7.0f} MB/s  "
                  f"peak RSS {peak_kb / 1024:6.1f} MiB")
            if code != 0:
                failures.append(f"{name}: exit {code}: {err.strip()}")
            else:
                trace = json.load(open(os.path.join(tmp, "out.json")))
                got = trace["inputs"][1]
                if [f32(x) for x in got] != [f32(v) for v in ZEBRA]:
                    failures.append(f"{name}: zebra's vector is {got[:3]}..., expected {ZEBRA[:3]}...")
            if not sanitized and peak_kb > PEAK_LIMIT_KB:
                failures.append(f"{name}: peak RSS {peak_kb} KiB, more than {PEAK_LIMIT_KB} KiB")
            os.remove(path)
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
