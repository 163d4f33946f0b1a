#!/usr/bin/python3
"""PyTorch's side of issue 14's speed comparison: GPT-2 in eager PyTorch on a checkpoint folder.

usage: /usr/bin/python3 bench/gpt2_torch_timing.py CHECKPOINT_DIR IDS_OR_COUNT [--repeat R] [--all-logits]

IDS_OR_COUNT: comma-separated token ids ("464,3290,26172"), or a count N for N
deterministic ids (no tokenizer: the binary's tokenising is not timed here either;
take the ids from a trace's "token_ids" for the same sentence).

Prints one JSON object:
  whole_process: what a script that imports torch, loads the weights and runs one forward
    pays: interpreter start (from /proc, 10 ms resolution), `import torch`, loading
    config.json and model.safetensors (our reader, tests/oracle/safetensors_io.py: a
    copy-on-write mapping, as safetensors' own loader), the first forward, and the total
    since the process started;
    and the CPU time of all that (cpu_s: user + system, every thread);
  forward_only: R forward passes on the loaded model, eager, no autograd, with
    torch.set_num_threads(1) and with the default number of threads; min and median wall
    time, min CPU time (min_cpu_s: on a shared machine, the figure to compare);
  peak_rss_mb: the process's peak resident memory (ru_maxrss) at the end of the whole-process
    part (before the timing runs and the check).
The forward is a plain eager GPT-2 (batched heads, F.layer_norm, F.softmax, GELU tanh),
the way one would write it for speed; "blas" names the BLAS library torch's matmuls ran on
(with Debian's python3-torch, the system's libblas.so.3). Its next-token probabilities are checked against
tests/oracle/gpt2_torch.py and the largest difference is reported ("check_vs_oracle").
By default only the last position's logits are computed (what --top needs);
--all-logits computes every position's, as Hugging Face's GPT2LMHeadModel does.
"""
import time

T0 = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402


def since_process_start():
    """Seconds since this process was started, from /proc (None where there is no /proc)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


STARTED_BEFORE_T0 = since_process_start()  # interpreter start-up, before the first line ran

T_IMPORT = time.perf_counter()
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

T_IMPORTED = time.perf_counter()

ORACLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "oracle")
sys.path.insert(0, ORACLE)
import gpt2_torch  # noqa: E402
import safetensors_io  # noqa: E402


def load(model_dir):
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    w = gpt2_torch.strip_prefix(safetensors_io.read(os.path.join(model_dir, "model.safetensors")))
    return cfg, w


def forward(cfg, w, ids, all_logits=False):
    """Next-token probabilities (last position, or every position with all_logits)."""
    n, e, h = len(ids), cfg["n_embd"], cfg["n_head"]
    hd, eps = e // h, cfg.get("layer_norm_epsilon", 1e-5)
    x = w["wte.weight"][torch.tensor(ids)] + w["wpe.weight"][:n]
    future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        a = F.layer_norm(x, (e,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = torch.addmm(w[p + "attn.c_attn.bias"], a, w[p + "attn.c_attn.weight"])
        q, k, v = (t.view(n, h, hd).transpose(0, 1) for t in qkv.split(e, dim=1))
        att = (q @ k.transpose(1, 2)) / (hd ** 0.5)
        att = F.softmax(att.masked_fill(future, float("-inf")), dim=-1)
        ctx = (att @ v).transpose(0, 1).reshape(n, e)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], ctx, w[p + "attn.c_proj.weight"])
        m = F.layer_norm(x, (e,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = F.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], m, w[p + "mlp.c_fc.weight"]), approximate="tanh")
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], m, w[p + "mlp.c_proj.weight"])
    last = x if all_logits else x[-1:]
    final = F.layer_norm(last, (e,), w["ln_f.weight"], w["ln_f.bias"], eps)
    return F.softmax(final @ w["wte.weight"].T, dim=-1)


def blas_libraries():
    """The BLAS/LAPACK libraries this process has loaded (Debian's torch uses the system's
    libblas.so.3: netlib's reference BLAS unless OpenBLAS or BLIS is installed)."""
    try:
        with open("/proc/self/maps") as f:
            return sorted({line.split()[-1] for line in f if "blas" in line.lower() or "blis" in line.lower()})
    except OSError:
        return []


def token_ids(arg, cfg):
    if "," in arg or not arg.isdigit():
        return [int(x) for x in arg.split(",") if x.strip()]
    count = int(arg)
    return [(i * 7919 + 13) % cfg["vocab_size"] for i in range(count)]


def timed(cfg, w, ids, repeat, all_logits):
    times, cpu = [], []
    with torch.no_grad():
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            forward(cfg, w, ids, all_logits)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    return {"min_s": round(min(times), 6), "median_s": round(statistics.median(times), 6),
            "min_cpu_s": round(min(cpu), 6), "runs": repeat}


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir", metavar="CHECKPOINT_DIR")
    parser.add_argument("ids", metavar="IDS_OR_COUNT")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--all-logits", action="store_true")
    a = parser.parse_args(argv)

    t_load = time.perf_counter()
    cfg, w = load(a.model_dir)
    t_loaded = time.perf_counter()
    ids = token_ids(a.ids, cfg)
    if not 1 <= len(ids) <= cfg["n_positions"]:
        parser.error(f"{len(ids)} tokens; the model takes 1 to {cfg['n_positions']}")
    default_threads = torch.get_num_threads()
    with torch.no_grad():
        probs = forward(cfg, w, ids, a.all_logits)
    t_forward = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = since_process_start()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the whole process's, as a script's

    model = gpt2_torch.GPT2(cfg, w)
    with torch.no_grad():
        oracle = model.forward(ids)["probabilities"][-1]
    check = ((probs[-1] - oracle).abs() / oracle).max().item()

    torch.set_num_threads(1)
    forward_only = {"threads_1": timed(cfg, w, ids, a.repeat, a.all_logits)}
    torch.set_num_threads(default_threads)
    if default_threads != 1:  # torch's default here (on a machine or cgroup of one core, that is 1 too)
        forward_only[f"threads_{default_threads}"] = timed(cfg, w, ids, a.repeat, a.all_logits)
    print(json.dumps({
        "checkpoint": os.path.abspath(a.model_dir),
        "model": {k: cfg[k] for k in ("n_layer", "n_head", "n_embd", "n_positions", "vocab_size")},
        "tokens": len(ids),
        "logits": "every position" if a.all_logits else "last position",
        "torch": torch.__version__,
        "blas": [os.path.realpath(p) for p in blas_libraries()],
        "whole_process": {
            "interpreter_start_s": None if STARTED_BEFORE_T0 is None else round(STARTED_BEFORE_T0, 3),
            "import_torch_s": round(T_IMPORTED - T_IMPORT, 4),
            "load_s": round(t_loaded - t_load, 4),
            "forward_s": round(t_forward - t_loaded, 4),
            "script_s": round(t_forward - T0, 4),
            "since_process_start_s": None if total is None else round(total, 3),
            "threads": default_threads,
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),  # the whole process's CPU time so far
        },
        "forward_only": forward_only,
        "check_vs_oracle": f"{check:.2g}",
        "peak_rss_mb": round(peak, 1),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
