#!/usr/bin/env python3
"""Streamed output through the binary (issue 16.3).

usage: check_stream.py ATTN_BINARY SCRATCH_DIR

For each run: the --json text, read with Python's json module and laid out again
by the rules of docs/trace-format.md (objects indented by two spaces, arrays of
numbers and strings on one line, every float as the shortest decimal that reads
back, in nlohmann's notation), must be the text byte for byte, once the text's
numbers are written the same way (before issue 23, nlohmann's Grisu2 wrote a
few doubles with more digits than the shortest, 0.7088005000000001 for
0.7088005: the same double, as json.loads reads them; the normalising keeps
this check about layout, tests/trace_numbers_test.cpp checks the digits); the --trace file
of the same run must be the same bytes; and the tables printed with --step in a
pipe (no pauses) must be the tables without it.
"""
import json
import os
import re
import subprocess
import sys


def number(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    # repr gives the shortest round-trip digits; nlohmann writes them fixed when the
    # decimal point falls within [-4, 15] places, else as d.ddde±XX.
    sign = "-" if x < 0 or (x == 0 and str(x).startswith("-")) else ""
    mantissa, _, exp = repr(abs(x)).partition("e")
    int_part, _, frac = mantissa.partition(".")
    digits = (int_part + frac).lstrip("0") or "0"
    point = len(int_part) + (int(exp) if exp else 0)  # digits before the point
    if int_part == "0":
        point = -(len(frac) - len(frac.lstrip("0"))) + (int(exp) if exp else 0)
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    if digits == "0":
        return sign + "0.0"
    if k <= n <= 15:
        return sign + digits + "0" * (n - k) + ".0"
    if 0 < n <= 15:
        return sign + digits[:n] + "." + digits[n:]
    if -4 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    m = digits[0] + ("." + digits[1:] if k > 1 else "")
    return sign + m + "e" + ("-" if e < 0 else "+") + f"{abs(e):02d}"


def scalar(v):
    if v is None:
        return "null"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return number(v)


NUMBER = re.compile(r"(?<=[\[ ])-?[0-9][0-9.eE+-]*(?=[,\]\n])")


def renumbered(text):
    """The text with each number (outside strings, in arrays and after keys) as number() writes it."""
    def one(m):
        s = m.group(0)
        return number(int(s)) if re.fullmatch(r"-?[0-9]+", s) else number(float(s))
    return NUMBER.sub(one, text)


def layout(v, indent=0):
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(v, dict) and v:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {layout(x, indent + 1)}" for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list) and v and any(isinstance(x, (list, dict)) for x in v):
        return "[\n" + ",\n".join(inner + layout(x, indent + 1) for x in v) + "\n" + pad + "]"
    if isinstance(v, list):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{}"
    return scalar(v)


RUNS = [
    ["How are you doing?"],
    ["--causal", "--dropout", "0.3", "--dropout-seed", "5", "--heads", "2", "--projection", "rand", "Your journey starts with one step"],
    ["--heads", "3", "--multihead", "split", "--d-out", "6", "--projection", "linear", "--qkv-bias", "The dog chased the zebra"],
    ["--max-tokens", "400"] + [" ".join(f"w{i}" for i in range(400))],
    ["--model", "demo", "--layer", "2", "The cat sat on the mat"],
    ["--model", "demo", "--layer", "all", "The cat sat on the mat"],
]


def main():
    binary, scratch = sys.argv[1], sys.argv[2]
    os.makedirs(scratch, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1")
    failures = 0
    for args in RUNS:
        what = " ".join(a if len(a) < 40 else a[:37] + "..." for a in args)
        trace = os.path.join(scratch, "t.json")
        out = subprocess.run([binary, "--json", "--trace", trace] + args, capture_output=True, env=env, check=True).stdout
        text = out.decode("utf-8")
        again = layout(json.loads(text)) + "\n"
        text = renumbered(text)
        if again != text:
            at = next((i for i, (a, b) in enumerate(zip(again, text)) if a != b), min(len(again), len(text)))
            print(f"FAIL {what}: the JSON read back and laid out again differs near byte {at}: "
                  f"{text[max(0, at - 40):at + 40]!r} vs {again[max(0, at - 40):at + 40]!r}")
            failures += 1
        with open(trace, "rb") as f:
            if f.read() != out:
                print(f"FAIL {what}: the --trace file is not the --json text")
                failures += 1
        tables = subprocess.run([binary] + args, capture_output=True, env=env, check=True).stdout
        stepped = subprocess.run([binary, "--step"] + args, capture_output=True, env=env, check=True,
                                 stdin=subprocess.DEVNULL).stdout
        if tables != stepped or not tables:
            print(f"FAIL {what}: the tables with --step in a pipe are not the tables")
            failures += 1
        print(f"ok   {what}: {len(out)} bytes of JSON, {len(tables)} of tables")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
