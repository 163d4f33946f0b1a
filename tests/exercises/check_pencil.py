#!/usr/bin/env python3
"""Every exercise accepts the answer its own page and hints produce (issue 23, item 1).

usage: check_pencil.py BINARY REPO

A learner works an exercise from what it prints: the tables at four decimals and the
constants of its header and hints (√2 ≈ 1.4142), not from full precision. For each
data/exercises/*.json this script reads the page `attn-explain exercise ID` prints, parses
its tables, works the task the way the hints say with those printed numbers (Python's own
arithmetic, nothing of the program's), writes the result to the decimals the task asks
for and answers it with `--answer`: it must be accepted (exit 0). Then, for the numeric
exercises, the same answer one unit of the last decimal away, when refused, must be told
"close: check your rounding", not a generic nudge. Stdlib only.
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile

NUMBER = re.compile(r"^-?(\d+(\.\d*)?|inf)$")


def is_number(text):
    return bool(NUMBER.match(text))


def value(text):
    return float("-inf") if text == "-inf" else float(text)


def is_data(line):
    parts = line.split()
    return len(parts) >= 2 and all(is_number(p) for p in parts[1:])


def parse_page(page):
    """{(head, kind, name): (columns, [(label, [numbers])])} of the printed tables, and the header lines."""
    tables, header, head, kind, name = {}, [], 1, None, ""
    lines = page.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^─+ head (\d+) of \d+ ─+$", line.strip())
        if m:
            head = int(m.group(1))
            continue
        m = re.match(r"^\d+\. (.+?)(  |$)", line)
        if m:
            kind, name = m.group(1), ""
            continue
        if kind is None:
            header.append(line)
            continue
        parts = line.split()
        if len(parts) >= 2 and all(is_number(p) for p in parts[1:]):
            key = (head, kind, name)
            if key not in tables:
                tables[key] = (lines[i - 1].split(), [])
            tables[key][1].append((parts[0], [value(p) for p in parts[1:]]))
        elif len(parts) == 1 and i + 2 < len(lines) and not is_data(lines[i + 1]) and is_data(lines[i + 2]):
            name = parts[0]  # a matrix's name, as W_query above its header
    return tables, header


def table(tables, kind_prefix, head=1, name=""):
    """A printed table by its title; head 1 also means the one head a model's page shows."""
    found = {h: t for (h, kind, n), t in tables.items() if kind.startswith(kind_prefix) and n == name}
    if head in found:
        return found[head]
    return next(iter(found.values())) if head == 1 and len(found) == 1 else None


def rows(t):
    return [r for _, r in t[1]]


def row_index(t, token):
    labels = [label for label, _ in t[1]]
    for spelling in (token, "·" + token):
        if spelling in labels:
            return labels.index(spelling)
    raise SystemExit(f"token {token!r} is not a row of {labels}")


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def softmax(row):
    top = max(x for x in row if x != float("-inf"))
    e = [0.0 if x == float("-inf") else math.exp(x - top) for x in row]
    return [x / sum(e) for x in e]


def divisor(ex, header):
    """√d_k as the learner has it: the hint's rounded constant (√2 ≈ 1.4142), else the header's."""
    for hint in ex["hints"]:
        m = re.search(r"√\d+ ≈ (\d+\.\d+)", hint)
        if m:
            return float(m.group(1))
    for line in header:
        m = re.search(r"√d_k = √\d+ = (\d+\.\d+)", line)
        if m:
            return float(m.group(1))
    raise SystemExit(f"{ex['id']}: no √d_k on the page")


def weights_row(ex, tables, header, t, head=1):
    """Row t of the weights, from the latest table the page prints before them."""
    run = ex["run"]
    shown = table(tables, "Attention weights", head)
    if shown:
        return rows(shown)[t]
    masked = table(tables, "Causal mask", head)
    if masked:
        return softmax(rows(masked)[t])
    scaled = table(tables, "Scaled scores", head)
    if scaled:
        row = list(rows(scaled)[t])
    else:
        scores = table(tables, "Attention scores", head)
        if scores:
            row = list(rows(scores)[t])
        else:
            q, k = table(tables, "Queries", head), table(tables, "Keys", head)
            row = [dot(rows(q)[t], kj) for kj in rows(k)]
        if run.get("scale", True):
            c = divisor(ex, header)
            row = [x / c for x in row]
    if run.get("causal"):
        row = [x if j <= t else float("-inf") for j, x in enumerate(row)]
    if run.get("softmax") == "sum":
        return [x / sum(row) for x in row]
    return softmax(row)


def weighted(w, vectors):
    return [sum(w[j] * vectors[j][d] for j in range(len(w))) for d in range(len(vectors[0]))]


def pencil(ex, page):
    """The exercise's answer, worked from its page, as the text a learner would type."""
    tables, header = parse_page(page)
    ask, run = ex["ask"], ex.get("run", {})
    q = ask["quantity"]
    if q == "parameter_count":
        d_in, d_out, heads = ask["d_in"], ask["d_out"], ask.get("heads", 1)
        bias = d_out if ask.get("qkv_bias") else 0
        if ask.get("multihead") == "split":
            return str(3 * (d_in * d_out + bias) + d_out * d_out + d_out)
        return str(heads * 3 * (d_in * d_out + bias))
    if q == "dropout_scale":
        return f"{1 / (1 - run['dropout']):.4f}"
    if q == "output_shape":
        n = int(re.search(r"\(n = (\d+)\)", page).group(1))  # the header's token count
        return f"{n}, {run.get('heads', 1) * run['d_out']}"
    x = table(tables, "Token embeddings")
    anchor = next(t for t in tables.values() if t[1][0][0] != "d0")  # a table with a row per token
    t = row_index(anchor, ask["token"])
    k = row_index(anchor, ask["key"]) if "key" in ask else None
    if q == "score":
        qs, ks = table(tables, "Queries"), table(tables, "Keys")
        result = dot(rows(qs)[t], rows(ks)[k]) if qs else dot(rows(x)[t], rows(x)[k])
    elif q == "scores":
        result = [dot(rows(x)[t], xj) for xj in rows(x)]
    elif q == "scaled_score":
        result = rows(table(tables, "Attention scores"))[t][k] / divisor(ex, header)
    elif q in ("weight", "weights"):
        w = weights_row(ex, tables, header, t)
        result = w[k] if q == "weight" else w
    elif q == "context":
        v = table(tables, "Values") or x
        result = weighted(weights_row(ex, tables, header, t), rows(v))
    elif q == "output":
        result = []
        for h in range(1, run.get("heads", 1) + 1):
            result += weighted(weights_row(ex, tables, header, t, h), rows(table(tables, "Values", h)))
    elif q == "query":
        w = rows(table(tables, "Weight matrices", name="W_query"))
        result = [dot(rows(x)[t], [wr[d] for wr in w]) for d in range(len(w[0]))]
    elif q == "attends_most":
        masked, scores = table(tables, "Causal mask"), table(tables, "Attention scores")
        if masked or scores:
            row = rows(masked or scores)[t]
        else:
            row = [dot(rows(table(tables, "Queries"))[t], kj) for kj in rows(table(tables, "Keys"))]
        best = max(range(len(row)), key=lambda j: row[j])
        return anchor[1][best][0].lstrip("·")
    else:
        raise SystemExit(f"{ex['id']}: no pencil route for {q}")
    d = ex.get("decimals", 4)
    if isinstance(result, list):
        return ", ".join(f"{r:.{d}f}" for r in result)
    return f"{result:.{d}f}"


def one_unit_off(answer, decimals):
    """The answer with its first number one unit of the last decimal higher, and lower."""
    first, _, rest = answer.partition(", ")
    unit = 10.0 ** -decimals
    out = []
    for sign in (1, -1):
        moved = f"{float(first) + sign * unit:.{decimals}f}"
        out.append(moved + (", " + rest if rest else ""))
    return out


def main(argv):
    binary, repo = argv[0], argv[1]
    folder = os.path.join(repo, "data", "exercises")
    failures, closes = [], 0
    with tempfile.TemporaryDirectory() as state:
        env = dict(os.environ, XDG_STATE_HOME=state, HOME=state, NO_COLOR="1")

        def run(*args):
            return subprocess.run([binary, "exercise", *args], capture_output=True, text=True, env=env, check=False)

        for file in sorted(os.listdir(folder)):
            with open(os.path.join(folder, file), encoding="utf-8") as f:
                ex = json.load(f)
            page = run(ex["id"])
            if page.returncode != 0:
                failures.append(f"{ex['id']}: the page: {page.stderr.strip()}")
                continue
            answer = pencil(ex, page.stdout)
            verdict = run(ex["id"], "--answer", answer)
            if verdict.returncode != 0:
                failures.append(f"{ex['id']}: the page's own numbers give {answer}, refused: {verdict.stdout.strip()}")
                continue
            decimals = ex.get("decimals", 4)
            if ex["ask"]["quantity"] == "attends_most" or decimals == 0:
                continue
            for near in one_unit_off(answer, decimals):
                r = run(ex["id"], "--answer", near)
                if r.returncode == 0:
                    continue
                closes += 1
                if "close: check your rounding" not in r.stdout:
                    failures.append(f"{ex['id']}: {near}, one unit from {answer}, is told: {r.stdout.strip()}")
    for line in failures:
        print(f"FAIL {line}")
    if closes == 0:
        print("FAIL no answer one unit off was refused: the rounding nudge was never seen")
        failures.append("no close")
    if not failures:
        print(f"ok: every exercise accepts its page's answer; {closes} answers one unit off are told to check rounding")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
