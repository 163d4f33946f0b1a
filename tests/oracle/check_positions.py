#!/usr/bin/python3
"""Oracle for --positions sinusoidal on the tables: the encoding of "Attention Is All You Need".

For the bundled tables of DATA_DIR (default.json, journey.json, journey-sa-v2.json,
overflow.json: d_in 6, 3, 3, 2) and two made here (d_in 5, odd, and d_in 64 with a
sentence of 256 tokens), it runs

    BINARY --json [-e TABLE] --positions sinusoidal SENTENCE    and the same without --positions

and checks, each problem named by its check:
  config.positions   "sinusoidal", and "none" in the run without;
  position_encoding  n x d_in, [pos][2i] = sin(pos / 10000^(2i/d)), [pos][2i+1] = cos(...),
                     computed here in double (Python's math), within 1e-6;
  inputs             token_embeddings + position_encoding, within 1e-6 (relative above 1);
  token_embeddings   the inputs of the run without --positions, within 1e-6;
  permutation        "dog bites man" and "man bites dog" (and the journey table's words
                     reversed): without positions, the attention weights (heads[0]) of one
                     are those of the other with rows and columns reordered alike, within
                     1e-6; with --positions sinusoidal they are not (some weight differs by
                     more than 1e-3).

--selftest: the same runs, then each of BREAKS (a wrong formula, sine and cosine swapped,
the inputs without the encoding, ...) applied to a copy of the traces must be caught by
the check it names.

usage: /usr/bin/python3 tests/oracle/check_positions.py BINARY DATA_DIR [--selftest]
Prints one line per failure and ends with "N passed, N failed"; exit 1 when anything failed.
"""
import argparse
import copy
import json
import math
import os
import random
import subprocess
import sys
import tempfile

TOLERANCE = 1e-6
DIFFERENT = 1e-3  # with positions, the two orders' weights must differ by more than this somewhere


def run(binary, args):
    """The JSON trace of BINARY --json ARGS; RuntimeError on a bad exit."""
    done = subprocess.run([binary, "--json", *args], capture_output=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)[:80]}: exit {done.returncode}: "
                           f"{done.stderr.decode(errors='replace').strip()[:300]}")
    return json.loads(done.stdout)


def sinusoidal(pos, j, d):
    """Element j of position pos's encoding: sin for even j = 2i, cos for odd j = 2i + 1."""
    angle = pos / 10000 ** ((j - j % 2) / d)
    return math.sin(angle) if j % 2 == 0 else math.cos(angle)


def off(got, want):
    """|got - want|, relative to |want| above 1; inf when got is not a number."""
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        return math.inf
    return abs(got - want) / max(1.0, abs(want))


def worst_matrix(got, want):
    """(largest difference, (row, column)) of two matrices; inf at the first shape mismatch."""
    if not isinstance(got, list) or len(got) != len(want):
        return math.inf, f"{len(got) if isinstance(got, list) else got!r} rows, not {len(want)}"
    worst = (0.0, None)
    for r, (g, w) in enumerate(zip(got, want)):
        if not isinstance(g, list) or len(g) != len(w):
            return math.inf, f"row {r}: {len(g) if isinstance(g, list) else g!r} columns, not {len(w)}"
        for c, (x, y) in enumerate(zip(g, w)):
            diff = off(x, y)
            if diff > worst[0]:
                worst = (diff, (r, c))
    return worst


# ------------------------------------------------------------------- the checks of one table

def check_table(label, pos_trace, plain_trace):
    """Problems "check: why" of one table's runs with and without --positions sinusoidal."""
    problems = []
    got = (pos_trace.get("config") or {}).get("positions")
    if got != "sinusoidal":
        problems.append(f"config.positions: {got!r} with --positions sinusoidal")
    got = (plain_trace.get("config") or {}).get("positions")
    if got != "none":
        problems.append(f"config.positions: {got!r} without --positions")
    d, n = (pos_trace.get("config") or {}).get("d_in"), len(pos_trace.get("tokens") or [])
    if not isinstance(d, int) or d < 1 or n < 1:
        return problems + [f"config.d_in: {d!r}, {n} tokens"]
    want = [[sinusoidal(p, j, d) for j in range(d)] for p in range(n)]
    pe = pos_trace.get("position_encoding")
    diff, where = worst_matrix(pe, want)
    if diff > TOLERANCE:
        detail = where if diff == math.inf else \
            f"off by {diff:.3g} at {where}: {pe[where[0]][where[1]]!r}, sin/cos gives {want[where[0]][where[1]]:.9g}"
        problems.append(f"position_encoding: {detail}")
    te = pos_trace.get("token_embeddings")
    if diff != math.inf and worst_matrix(te, want)[0] != math.inf:
        total = [[t + p for t, p in zip(trow, prow)] for trow, prow in zip(te, pe)]
        diff, where = worst_matrix(pos_trace.get("inputs"), total)
        if diff > TOLERANCE:
            problems.append(f"inputs: not token_embeddings + position_encoding: off by {diff:.3g} at {where}")
    diff, where = worst_matrix(te, plain_trace.get("inputs") or [])
    if diff > TOLERANCE:
        problems.append(f"token_embeddings: not the inputs of the run without --positions: "
                        f"off by {diff:.3g} at {where}")
    return [f"{label}: {p}" for p in problems]


def weights(trace):
    heads = trace.get("heads")
    return heads[0].get("weights") if isinstance(heads, list) and heads and isinstance(heads[0], dict) else None


def check_permutation(label, a_plain, b_plain, a_pos, b_pos):
    """Sentence b is sentence a's tokens reordered (distinct tokens): without positions its
    weights are a's with rows and columns reordered alike; with positions they are not."""
    ta, tb = a_plain.get("tokens") or [], b_plain.get("tokens") or []
    if len(set(ta)) != len(ta) or sorted(ta) != sorted(tb):
        return [f"{label}: permutation: tokens {ta} and {tb} are not one reordering of distinct tokens"]
    order = [ta.index(t) for t in tb]  # b's token k is a's token order[k]
    problems = []
    for which, a, b in (("without positions", a_plain, b_plain), ("with --positions sinusoidal", a_pos, b_pos)):
        wa, wb = weights(a), weights(b)
        n = len(ta)
        if not isinstance(wa, list) or len(wa) != n or not all(isinstance(r, list) and len(r) == n for r in wa):
            problems.append(f"permutation: heads[0].weights {which} is not {n} x {n}")
            continue
        diff, where = worst_matrix(wb, [[wa[i][j] for j in order] for i in order])
        if diff == math.inf:
            problems.append(f"permutation: heads[0].weights {which}, the other order: {where}")
        elif which == "without positions" and diff > TOLERANCE:
            problems.append(f"permutation: {which}, the weights are not the other order's reordered: "
                            f"off by {diff:.3g} at {where}")
        elif which != "without positions" and diff <= DIFFERENT:
            problems.append(f"permutation: {which}, the weights are the other order's reordered "
                            f"(to {diff:.3g}): the positions changed nothing")
    return [f"{label}: {p}" for p in problems]


# ------------------------------------------------------------------- the runs

def made_tables(workdir):
    """Two tables made here: d_in 5 (odd: the last column a sine alone) and d_in 64."""
    rng = random.Random(5)
    out = []
    for name, d, words in (("odd", 5, ["dog", "bites", "man"]), ("wide", 64, [f"w{i}" for i in range(20)])):
        path = os.path.join(workdir, f"{name}.json")
        table = {"name": name, "description": f"random {d}-d vectors for check_positions.py", "dim": d,
                 "vectors": {w: [round(rng.uniform(-2, 2), 4) for _ in range(d)] for w in words}}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(table, f)
        out.append((path, words))
    return out


def collect(binary, data_dir, workdir):
    """(tables, permutations): tables [(label, trace with, trace without)], permutations
    [(label, a without, b without, a with, b with)]."""
    odd, wide = made_tables(workdir)
    cases = [  # label, table (None: the default), sentence, the sentence reordered (or None)
        ("default", None, "dog bites man", "man bites dog"),
        ("default", None, "The dog chased the ball, and it rolled away.", None),
        ("journey", os.path.join(data_dir, "journey.json"), "Your journey starts with one step",
         "step one with starts journey Your"),
        ("journey-sa-v2", os.path.join(data_dir, "journey-sa-v2.json"), "Your journey starts with one step", None),
        ("overflow", os.path.join(data_dir, "overflow.json"), "Big numbers break naive softmax", None),
        ("odd d_in 5", odd[0], "dog bites man", "man bites dog"),
        ("wide d_in 64, 256 tokens", wide[0], " ".join(wide[1][i % len(wide[1])] for i in range(256)), None),
    ]
    tables, permutations = [], []
    for label, table, sentence, reordered in cases:
        table_args = ["-e", table] if table else []
        runs = []
        for s in (sentence, reordered) if reordered else (sentence,):
            runs.append((run(binary, [*table_args, "--positions", "sinusoidal", s]), run(binary, [*table_args, s])))
        tables.append((f"{label} {sentence[:40]!r}", *runs[0]))
        if reordered:
            (a_with, a_without), (b_with, b_without) = runs
            permutations.append((f"{label} {sentence!r} / {reordered!r}", a_without, b_without, a_with, b_with))
    return tables, permutations


def check_all(tables, permutations):
    problems = []
    for label, with_pos, without in tables:
        problems += check_table(label, with_pos, without)
    for label, *traces in permutations:
        problems += check_permutation(label, *traces)
    return problems


# ------------------------------------------------------------------- the self-test's breaks

def set_encoding(trace, formula):
    """The trace's position_encoding by another formula, inputs changed to match."""
    d = trace["config"]["d_in"]
    trace["position_encoding"] = [[formula(p, j, d) for j in range(d)] for p in range(len(trace["tokens"]))]
    trace["inputs"] = [[t + e for t, e in zip(t_row, e_row)]
                       for t_row, e_row in zip(trace["token_embeddings"], trace["position_encoding"])]


def swap_sin_cos(p, j, d):
    angle = p / 10000 ** ((j - j % 2) / d)
    return math.cos(angle) if j % 2 == 0 else math.sin(angle)


def with_encoding(formula):
    return lambda tables, permutations: [set_encoding(with_pos, formula) for _, with_pos, _ in tables]


def break_inputs(tables, permutations):
    for _, with_pos, without in tables:
        with_pos["inputs"] = copy.deepcopy(with_pos["token_embeddings"])


def break_token_embeddings(tables, permutations):
    for _, with_pos, without in tables:
        with_pos["token_embeddings"] = copy.deepcopy(with_pos["inputs"])


def break_config(tables, permutations):
    for _, with_pos, without in tables:
        with_pos["config"]["positions"] = "none"


def break_float16(tables, permutations):
    for _, with_pos, without in tables:
        with_pos["position_encoding"] = [[round(v, 3) for v in row] for row in with_pos["position_encoding"]]


def break_ignored_by_attention(tables, permutations):
    for _, a_plain, b_plain, a_pos, b_pos in permutations:
        a_pos["heads"], b_pos["heads"] = copy.deepcopy(a_plain["heads"]), copy.deepcopy(b_plain["heads"])


def break_not_equivariant(tables, permutations):
    for _, a_plain, b_plain, a_pos, b_pos in permutations:
        w = b_plain["heads"][0]["weights"]
        w[0][0], w[0][-1] = w[0][-1], w[0][0]


# name: (what, the check that must catch it, how)
BREAKS = {
    "exponent-j-over-d": ("the exponent j/d (every column its own frequency) instead of 2i/d", "position_encoding",
                          with_encoding(lambda p, j, d: (math.sin if j % 2 == 0 else math.cos)(p / 10000 ** (j / d)))),
    "sin-cos-swapped": ("cos in the even columns, sin in the odd", "position_encoding", with_encoding(swap_sin_cos)),
    "positions-from-1": ("positions counted from 1", "position_encoding",
                         with_encoding(lambda p, j, d: sinusoidal(p + 1, j, d))),
    "base-1000": ("10000 written 1000", "position_encoding",
                  with_encoding(lambda p, j, d: (math.sin if j % 2 == 0 else math.cos)(p / 1000 ** ((j - j % 2) / d)))),
    "rounded": ("the encoding rounded to 3 decimals", "position_encoding", break_float16),
    "inputs-without-encoding": ("inputs = the token embeddings alone", "inputs", break_inputs),
    "token-embeddings-with-encoding": ("token_embeddings = the inputs (encoding included)", "token_embeddings",
                                       break_token_embeddings),
    "config-positions": ("config.positions \"none\" with --positions sinusoidal", "config.positions", break_config),
    "attention-ignores-positions": ("the weights with positions those without", "permutation",
                                    break_ignored_by_attention),
    "not-equivariant": ("two weights of a row swapped in a run without positions", "permutation",
                        break_not_equivariant),
}


def selftest(tables, permutations, report):
    for name, (what, check, apply) in BREAKS.items():
        broken_tables, broken_permutations = copy.deepcopy((tables, permutations))
        apply(broken_tables, broken_permutations)
        caught = [p for p in check_all(broken_tables, broken_permutations) if f": {check}:" in p]
        report(bool(caught), f"selftest: the break {name!r} ({what}) is not caught by the check {check}")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("binary", metavar="BINARY")
    p.add_argument("data_dir", metavar="DATA_DIR", help="the bundled tables (data/)")
    p.add_argument("--selftest", action="store_true", help="also break each check on copies of the traces")
    a = p.parse_args(argv)
    counts = {"passed": 0, "failed": 0}

    def report(ok, line):
        counts["passed" if ok else "failed"] += 1
        if not ok:
            print("FAIL " + " | ".join(line.splitlines()), flush=True)

    with tempfile.TemporaryDirectory() as workdir:
        try:
            tables, permutations = collect(a.binary, a.data_dir, workdir)
        except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired) as e:
            report(False, f"run: {type(e).__name__}: {e}")
            tables, permutations = [], []
    for label, with_pos, without in tables:
        problems = check_table(label, with_pos, without)
        report(not problems, "; ".join(problems))
    for label, *traces in permutations:
        problems = check_permutation(label, *traces)
        report(not problems, "; ".join(problems))
    if a.selftest and tables:
        selftest(tables, permutations, report)
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
