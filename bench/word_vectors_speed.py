#!/usr/bin/python3
"""How fast `attn-explain -e FILE` reads a word-vector file, beside `wc -l` (issue 16).

Usage: bench/word_vectors_speed.py [ATTN_EXPLAIN] [--mb N] [--dim D] [--runs R]

Writes into a temp dir (removed at the end) a GloVe file of about N MB (default
1024) with D values a row (default 50, the shape of glove.6B.50d.txt: about 440
bytes a line, numbers as GloVe prints them) and a word2vec binary file of the same
rows. Each file is read once to warm the page cache; then, best of R runs (default 3):
`wc -l FILE` and `attn-explain --json -e FILE "qqqq zzzz"`, whose words are in
neither file, so that every run reads its file to the end. Prints the MB/s of each and
the ratio attn-explain / wc -l (1.0: as fast as counting the lines). The goal of
issue 16 is at least 500 MB/s.
"""

import argparse
import os
import random
import struct
import subprocess
import tempfile
import time


def best_time(cmd, runs):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def write_files(folder, mb, dim):
    rng = random.Random(6)
    rows = []
    for i in range(5000):
        values = [round(rng.gauss(0, 0.6), 5) for _ in range(dim)]
        rows.append((f"w{i}x{rng.randrange(10**6)}", values))
    text_block = "".join(w + " " + " ".join(f"{v:g}" for v in vs) + "\n" for w, vs in rows).encode()
    bin_block = b"".join(w.encode() + b" " + struct.pack(f"<{dim}f", *vs) + b"\n" for w, vs in rows)
    repeats = max(1, mb * 1_000_000 // len(text_block))
    glove = os.path.join(folder, "vectors.txt")
    binary = os.path.join(folder, "vectors.bin")
    with open(glove, "wb") as f:
        for _ in range(repeats):
            f.write(text_block)
    with open(binary, "wb") as f:
        f.write(f"{repeats * len(rows)} {dim}\n".encode())
        for _ in range(repeats):
            f.write(bin_block)
    return [glove, binary]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default=os.path.join(here, "..", "build", "attn-explain"))
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--dim", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="attn-vectors-bench-") as folder:
        for path in write_files(folder, args.mb, args.dim):
            size = os.path.getsize(path)
            subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
            wc = best_time(["wc", "-l", path], args.runs)
            ours = best_time([args.binary, "--json", "-e", path, "qqqq zzzz"], args.runs)
            print(f"{os.path.basename(path):12} {size / 1e6:8.1f} MB   wc -l {size / 1e6 / wc:7.0f} MB/s   "
                  f"attn-explain {size / 1e6 / ours:7.0f} MB/s   ratio {wc / ours:5.2f} of wc -l")


if __name__ == "__main__":
    main()
