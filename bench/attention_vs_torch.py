#!/usr/bin/python3
"""Issue 16's speed comparison: one attention head, the engine against PyTorch eager, 1 thread.

usage: /usr/bin/python3 bench/attention_vs_torch.py [BINARY] [--sizes N,N,...] [--widths D,D,...]
                                                   [--seconds S] [--rounds R]

BINARY is the engine's timing program (default build/bench/attention_vs_torch, built
with the benchmarks). For each width d and each number of tokens n, both sides run
the whole attention of one head from X (n x d), d_out = d:
  queries, keys, values = X W_query, X W_key, X W_value     (SelfAttention_v2, no bias)
  attn_scores  = queries keys^T
  attn_weights = softmax(attn_scores / sqrt(d), dim=-1)
  context_vec  = attn_weights values
PyTorch runs the same ops in eager mode under torch.no_grad(), with
torch.set_num_threads(1), on tensors made from the same seed (torch.rand for X,
nn.Linear's initialisation for the weights), so the engine's context vectors are
the very ones computed here; their sums are compared as a check.

Both sides are timed alike: batches of at least 2 ms of the thread's CPU time (so
other processes on the machine do not count), for S seconds (default 1); the
fastest batch's time per run counts. With R rounds (default 3) each side is
measured R times, alternating, and the best of the rounds is kept.
Prints which BLAS library torch loaded (Debian's torch calls the system's libblas.so.3:
netlib's reference BLAS unless libopenblas0-pthread is installed, which switches it), then a
table: n | d | engine | torch | engine speed-up (torch time / engine time). Compare against
OpenBLAS, what a PyTorch from pip or conda runs on (MKL or OpenBLAS); the reference BLAS is
a naive loop, and beating it proves nothing.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import torch

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def torch_head(x, w_query, w_key, w_value):
    queries = x @ w_query
    keys = x @ w_key
    values = x @ w_value
    attn_scores = queries @ keys.T
    attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
    return attn_weights @ values


def torch_inputs(n, d, seed):
    """X and the three weights (d_in x d_out) as the engine's timing program draws them."""
    torch.manual_seed(seed)
    x = torch.rand(n, d)
    weights = [torch.nn.Linear(d, d, bias=False).weight.detach().T.contiguous() for _ in range(3)]
    return x, weights


def time_torch(n, d, seed, seconds):
    x, (wq, wk, wv) = torch_inputs(n, d, seed)
    clock = time.thread_time
    with torch.no_grad():
        context_sum = torch_head(x, wq, wk, wv).double().sum().item()
        batch = 1
        while True:
            t0 = clock()
            for _ in range(batch):
                torch_head(x, wq, wk, wv)
            if clock() - t0 >= 2e-3:
                break
            batch *= 2
        best, start = float("inf"), clock()
        while clock() - start < seconds:
            t0 = clock()
            for _ in range(batch):
                torch_head(x, wq, wk, wv)
            best = min(best, (clock() - t0) / batch)
    return best, context_sum


def time_engine(binary, n, d, seed, seconds):
    done = subprocess.run([binary, str(n), str(d), str(seed), str(seconds)], capture_output=True, text=True,
                          check=True)
    result = json.loads(done.stdout)
    return result["seconds"], result["context_sum"]


def show(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def blas_libraries():
    """The BLAS libraries this process has loaded, resolved (the libblas.so.3 link names none)."""
    with open("/proc/self/maps") as f:
        names = {line.split()[-1] for line in f if "blas" in line.lower() or "blis" in line.lower()}
    return sorted({os.path.realpath(name) for name in names})


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", nargs="?", default=os.path.join(HERE, "build", "bench", "attention_vs_torch"))
    parser.add_argument("--sizes", default="6,64,512", help="numbers of tokens n (default 6,64,512)")
    parser.add_argument("--widths", default="64,768", help="widths d = d_in = d_out (default 64,768)")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=123)
    a = parser.parse_args(argv)
    torch.set_num_threads(1)

    torch.ones(2, 2) @ torch.ones(2, 2)  # the BLAS is loaded on first use
    blas = blas_libraries()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, BLAS: {', '.join(blas) or 'none found'}; "
          f"engine: {a.binary}")
    if not any("openblas" in name or "mkl" in name for name in blas):
        print("note: torch is not on OpenBLAS or MKL: `apt-get install libopenblas0-pthread` gives the baseline users run",
              file=sys.stderr)
    print("| n | d | engine | torch | engine speed-up |")
    print("|---|---|---|---|---|")
    failed = False
    for d in (int(v) for v in a.widths.split(",")):
        for n in (int(v) for v in a.sizes.split(",")):
            engine, torch_time = float("inf"), float("inf")
            for _ in range(a.rounds):
                e, engine_sum = time_engine(a.binary, n, d, a.seed, a.seconds)
                t, torch_sum = time_torch(n, d, a.seed, a.seconds)
                engine, torch_time = min(engine, e), min(torch_time, t)
            # Same inputs, same sums: float32 sums of n·d values agree to about 1e-5 relative.
            if abs(engine_sum - torch_sum) > 1e-4 * max(1.0, abs(torch_sum)):
                print(f"n = {n}, d = {d}: the engine's context sums to {engine_sum}, PyTorch's to {torch_sum}",
                      file=sys.stderr)
                failed = True
            print(f"| {n} | {d} | {show(engine)} | {show(torch_time)} | {torch_time / engine:.2f}× |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
