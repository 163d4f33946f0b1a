#!/usr/bin/python3
"""linear() against OpenBLAS's sgemm and PyTorch's addmm at GPT-2 small's shapes (issue 25.2).

One thread, CPU time (the machine is shared: wall time would measure the neighbours),
the three runs interleaved round after round so that a busy moment hits all of them:
  - attn-explain's linear(), bench/gpt2_bench --benchmark_filter=BM_Linear (ATTN_THREADS=1);
  - OpenBLAS's cblas_sgemm, called through ctypes from libopenblas.so.0 (OPENBLAS_NUM_THREADS=1);
  - torch.addmm (y = b + x · W) with torch.set_num_threads(1), on the BLAS torch loaded
    (printed: Debian's torch uses libblas.so.3, OpenBLAS once libopenblas0-pthread is installed).
Prints GFLOP/s per shape and path, the best of the rounds for each.

  /usr/bin/python3 bench/linear_vs_openblas.py build/bench/gpt2_bench [--rounds 3]
"""
import argparse
import ctypes
import os
import re
import subprocess
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402

SHAPES = [(768, 2304), (768, 3072), (3072, 768)]
ROWS = [16, 256]


def loaded_blas():
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower()}
    return ", ".join(sorted(os.path.realpath(p) for p in libs)) or "(none)"


def cpu_rate(call, flops, least=0.4):
    call()
    n, start = 0, time.process_time()
    while time.process_time() - start < least:
        call()
        n += 1
    return flops * n / (time.process_time() - start) / 1e9


def openblas_rates():
    lib = ctypes.CDLL("libopenblas.so.0")
    lib.cblas_sgemm.restype = None
    f, i, p = ctypes.c_float, ctypes.c_int, ctypes.c_void_p
    lib.cblas_sgemm.argtypes = [i, i, i, i, i, i, f, p, i, p, i, f, p, i]
    rates = {}
    for k, n in SHAPES:
        for m in ROWS:
            x = np.random.rand(m, k).astype(np.float32)
            w = np.random.rand(k, n).astype(np.float32)
            y = np.zeros((m, n), np.float32)
            def call():  # row-major, no transposes: y = x · W
                lib.cblas_sgemm(101, 111, 111, m, n, k, 1.0, x.ctypes.data, k, w.ctypes.data, n, 0.0,
                                y.ctypes.data, n)
            rates[(k, n, m)] = cpu_rate(call, 2.0 * m * k * n)
    return rates


def torch_rates():
    torch.set_num_threads(1)
    rates = {}
    for k, n in SHAPES:
        for m in ROWS:
            x, w, b = torch.rand(m, k), torch.rand(k, n), torch.rand(n)
            rates[(k, n, m)] = cpu_rate(lambda: torch.addmm(b, x, w), 2.0 * m * k * n)
    return rates


def ours(bench):
    env = dict(os.environ, ATTN_THREADS="1")
    out = subprocess.run([bench, "--benchmark_filter=BM_Linear", "--benchmark_min_time=0.4"], env=env,
                         capture_output=True, text=True, check=True).stdout
    rates = {}
    for line in out.splitlines():
        m = re.match(r"BM_Linear<(\d+), (\d+)>/(\d+)/\d+\s.*GFLOP/s=([\d.]+)/s (\w+)", line)
        if m:
            rates[(int(m[1]), int(m[2]), int(m[3]), m[5])] = float(m[4])
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bench", help="build/bench/gpt2_bench")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    best = {}
    for _ in range(args.rounds):
        for name, rates in [("openblas", openblas_rates()), ("ours", ours(args.bench)), ("torch", torch_rates())]:
            for key, rate in rates.items():
                label = key if name != "ours" else key[:3]
                path = name if name != "ours" else key[3]
                best[(label, path)] = max(best.get((label, path), 0.0), rate)
    print(f"torch {torch.__version__} loaded: {loaded_blas()}")
    paths = sorted({p for _, p in best}, key=["openblas", "torch", "avx2", "avx512"].index)
    print("shape (in → out, rows)  " + "  ".join(f"{p:>9}" for p in paths) + "   best ours / openblas")
    for k, n in SHAPES:
        for m in ROWS:
            row = [best.get(((k, n, m), p), float("nan")) for p in paths]
            mine = max(best.get(((k, n, m), p), 0.0) for p in ("avx2", "avx512"))
            print(f"{k:>4} → {n:<4} {m:>4} rows   " + "  ".join(f"{r:9.1f}" for r in row) +
                  f"   {mine / best[((k, n, m), 'openblas')]:.2f}")


if __name__ == "__main__":
    main()
