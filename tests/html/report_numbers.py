"""Numbers as the HTML report prints them, for report_checks.py: float32 values
rounded to the run's precision (either way at an exact tie), the trace's
matrices by the page's keys, and each row's largest weights.
"""

import math
import re
import struct
from decimal import Decimal, ROUND_HALF_EVEN, ROUND_HALF_UP

def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def printed(value, p):
    """Every text format_number may give for the trace's value (a JSON null is not finite)."""
    if value is None:
        return {"nan", "inf", "-inf"}
    exact = Decimal(f32(value))
    texts = set()
    for rounding in (ROUND_HALF_EVEN, ROUND_HALF_UP):
        s = format(exact.quantize(Decimal(1).scaleb(-p), rounding=rounding), "f")
        if s.startswith("-") and set(s[1:]) <= set("0."):
            s = s[1:]
        texts.add(s)
    return texts


def canonical(value, p):
    return sorted(printed(value, p))[0]


def decimal(text_value):
    text_value = text_value.strip("()")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text_value):
        return None
    return Decimal(text_value)


def places(text_value):
    return len(text_value.split(".")[1]) if "." in text_value else 0


def prints_as(exact, result):
    """Does the exact value round to `result` (a tie holds either way)?"""
    r = decimal(result)
    if exact is None or r is None:
        return None
    return abs(exact - r) <= Decimal(5).scaleb(-places(result) - 1)


def factor(text_value):
    """A factor inside a sum, as the focus view writes it."""
    s = text_value
    if re.fullmatch(r"-?\d+\.\d+", s):
        s = s.rstrip("0").rstrip(".")
        if s == "-0":
            s = "0"
    return "(" + s + ")" if s.startswith("-") else s


def sign(holds):
    return "≈" if holds is False else "="


# ---- the trace's matrices by the page's keys

HEAD_KEYS = {"Wq": "W_query", "Wk": "W_key", "Wv": "W_value", "q": "queries", "k": "keys", "v": "values",
             "s": "scores", "c": "scaled_scores", "ms": "masked_scores", "mw": "masked_weights", "w": "weights",
             "dm": "dropout_mask", "dw": "dropped_weights", "ctx": "context"}
WEIGHT_KEYS = {"w", "mw", "dw", "dm"}  # shaded from 0 to the largest value; the others blue-white-red
MARKED_KEYS = {"w", "mw", "dw"}        # each row's largest marked


def trace_matrix(trace, key):
    top = {"x": "inputs", "cat": "concatenated", "out": "output"}
    if key in top:
        return trace[top[key]]
    if key == "Wo":
        return trace["out_proj"]["weight"]
    if key == "bo":
        return [trace["out_proj"]["bias"]]
    m = re.fullmatch(r"h(\d+)\.(\w+)", key)
    head = trace["heads"][int(m.group(1))]
    if m.group(2) == "b":
        return [head["b_query"], head["b_key"], head["b_value"]]
    return head[HEAD_KEYS[m.group(2)]]


def short_key(key):
    return key.split(".")[-1]


def expected_keys(trace):
    keys = ["x"]
    for k, head in enumerate(trace["heads"]):
        p = "h{}.".format(k)
        if head["W_query"] is not None:
            keys += [p + "Wq", p + "Wk", p + "Wv", p + "q", p + "k", p + "v"]
            if head["b_query"] is not None:
                keys.append(p + "b")
        keys.append(p + "s")
        if trace["config"]["scale"]:
            keys.append(p + "c")
        if head["masked_scores"] is not None:
            keys.append(p + "ms")
        if head["masked_weights"] is not None:
            keys.append(p + "mw")
        keys.append(p + "w")
        if head["dropout_mask"] is not None:
            keys += [p + "dm", p + "dw"]
        keys.append(p + "ctx")
    if trace["concatenated"] is not None:
        keys.append("cat")
    if trace["out_proj"] is not None:
        keys += ["Wo", "bo", "out"]
    return keys


def drawn_as_table(m):
    rows, cols = len(m), len(m[0])
    return cols <= 32 and rows * cols <= 16384


# ---- each row's largest weights (strongest_keys: every key that prints like the largest)

def row_maxima(row, p):
    values = [None if v is None else f32(v) for v in row]
    if any(v is None or math.isnan(v) for v in values):
        return set()
    largest = canonical(max(values), p)
    keys = {j for j, v in enumerate(values) if canonical(v, p) == largest}
    if len(values) >= 2 and len(keys) == len(values):
        return set()
    return {j for j in keys if values[j] > 0}
