#!/usr/bin/python3
"""Issue 25's comparison in one interleaved run: attn-explain's GPT-2 against PyTorch's, one thread.

usage: /usr/bin/python3 bench/gpt2_vs_torch.py CHECKPOINT_DIR [--binary build/attn-explain]
           [--bench build/bench/gpt2_bench] [--tokens 16,256] [--rounds 3]

For each token count N and each round, in turn (so that the machine's load falls on both alike):
  - attn-explain, whole process: `BINARY --model DIR --layer 5 --stages weights SENTENCE` with
    ATTN_THREADS=1, a sentence of N tokens; its CPU time (user + system, from wait4);
  - its forward pass alone: bench/gpt2_bench (Google Benchmark, ATTN_THREADS=1, CPU time), when
    --bench names it;
  - PyTorch: bench/gpt2_torch_timing.py on the same token ids: the whole script's CPU time
    (`import torch`, load, forward) and the forward alone (min CPU time of 5, one thread).
PyTorch runs on the BLAS library it loads, printed first: give it OpenBLAS, what a PyTorch
from pip runs on (`apt-get install libopenblas0-pthread`, or without switching the system's
libblas.so.3: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread). The reference
BLAS Debian installs by default is a naive loop; this script says so when it is the one loaded.
Prints one line per measurement, then a table of the best (least CPU) of the rounds and the
ratios (PyTorch's CPU time / attn-explain's: above 1, attn-explain is faster).
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORDS = "the dog chased the ball and it rolled away under a tree near the old house by the river".split()


def sentence_of(binary, model, n):
    """A sentence of exactly n tokens (GPT-2's tokenizer: each of these words is one token) and its ids."""
    words = [WORDS[k % len(WORDS)] for k in range(n)]
    text = " ".join(words)
    out = subprocess.run([binary, "--model", model, "--layer", "1", "--json", "--max-tokens", "1024", text],
                         capture_output=True, text=True, check=True)
    ids = json.loads(out.stdout)["token_ids"]
    if len(ids) != n:
        raise SystemExit(f"{n} words gave {len(ids)} tokens")
    return text, ids


def cpu_of(args, env):
    """The CPU time (user + system) of a child process, and its exit status."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def bench_forward(bench, model, n, env):
    """gpt2_bench's CPU time for n tokens, in seconds (None when the benchmark has no such size)."""
    out = subprocess.run([bench, f"--benchmark_filter=BM_Gpt2Forward/{n}$", "--benchmark_format=json"],
                         capture_output=True, text=True, env=dict(env, ATTN_BENCH_MODEL=model))
    if out.returncode != 0:
        return None
    runs = json.loads(out.stdout).get("benchmarks", [])
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return min(b["cpu_time"] * unit[b["time_unit"]] for b in runs) if runs else None


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model")
    p.add_argument("--binary", default=os.path.join(HERE, "build", "attn-explain"))
    p.add_argument("--bench")
    p.add_argument("--tokens", default="16,256")
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args(argv)
    env = dict(os.environ, ATTN_THREADS="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    torch_script = os.path.join(HERE, "bench", "gpt2_torch_timing.py")
    best = {}
    blas = None
    for n in [int(t) for t in a.tokens.split(",")]:
        text, ids = sentence_of(a.binary, a.model, n)
        for r in range(a.rounds):
            ours, code = cpu_of([a.binary, "--model", a.model, "--layer", "5", "--stages", "weights",
                                 "--max-tokens", "1024", text], env)
            if code != 0:
                raise SystemExit(f"attn-explain exited {code}")
            out = subprocess.run([sys.executable, torch_script, a.model, ",".join(map(str, ids))],
                                 capture_output=True, text=True, env=env, check=True)
            theirs = json.loads(out.stdout)
            blas = theirs["blas"]
            forward = bench_forward(a.bench, a.model, n, env) if a.bench else None
            row = {"ours_process": ours, "torch_process": theirs["whole_process"]["cpu_s"],
                   "torch_forward": theirs["forward_only"]["threads_1"]["min_cpu_s"], "ours_forward": forward}
            print(f"n = {n}, round {r + 1}: " + ", ".join(f"{k} {v:.3f} s" for k, v in row.items() if v is not None),
                  flush=True)
            for k, v in row.items():
                if v is not None:
                    best.setdefault(n, {})[k] = min(v, best.get(n, {}).get(k, v))
    print(f"\nPyTorch's BLAS: {', '.join(blas) or 'none found'}")
    if not any(re.search("openblas|mkl", b) for b in blas):
        print("note: PyTorch is on the reference BLAS, not what users run (see the top of this script)")
    print("| tokens | attn-explain, whole process | PyTorch script, whole process | ratio | "
          "forward alone: attn-explain | PyTorch | ratio |")
    print("|---|---|---|---|---|---|---|")
    for n, b in best.items():
        fwd = b.get("ours_forward")
        ours_fwd = "" if fwd is None else f"{fwd:.3f} s"
        fwd_ratio = "" if fwd is None else f"{b['torch_forward'] / fwd:.2f}×"
        print(f"| {n} | {b['ours_process']:.3f} s | {b['torch_process']:.3f} s | "
              f"{b['torch_process'] / b['ours_process']:.2f}× | {ours_fwd} | {b['torch_forward']:.3f} s | {fwd_ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
