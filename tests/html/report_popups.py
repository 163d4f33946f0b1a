"""The checks of check_report.py on the numbers a page carries and its popups'
arithmetic, on the page without JavaScript, and on its screenshot. Every
check returns a list of failures (empty: it holds).
"""

import json
import math
import re
from decimal import Decimal

from report_colours import close, palette_index, read_png, scale_of, sequential
from report_dom import find_all, text
from report_numbers import (HEAD_KEYS, canonical, decimal, f32, factor, places, printed, prints_as, short_key, sign,
                            trace_matrix)

def page_numbers(dom):
    blocks = find_all(dom, lambda n: n.tag == "script" and n.attrs.get("id") == "attn-data")
    return json.loads(text(blocks[0])) if blocks else None


def normalisation(trace, h, i):
    """What normalise_row gives row i (recomputed here in double): max, numerators, sum."""
    config, head = trace["config"], trace["heads"][h]
    source = head["masked_scores"] if head["masked_scores"] is not None else head["scaled_scores"]
    row = [None if v is None else f32(v) for v in source[i]]
    n = len(row)
    visible = i + 1 if head["masked_scores"] is not None else n
    finite = [v for v in row if v is not None]
    if config["softmax"] == "stable":
        top = max(finite)
        numerators = [0.0 if v is None else math.exp(v - top) for v in row]
    elif config["softmax"] == "naive":
        top = 0.0
        numerators = [0.0 if v is None else (math.exp(v) if v < 88.7 else float("inf")) for v in row]
    else:
        top = 0.0
        numerators = [row[j] if j < visible else 0.0 for j in range(n)]
    return top, numerators, sum(numerators)


def near(shown, value, p):
    d = decimal(shown)
    if d is None or not math.isfinite(value):
        return False
    return abs(float(d) - value) <= 1.5 * 10 ** -p + 1e-6 * abs(value)


def check_numbers(dom, trace, p):
    data = page_numbers(dom)
    if data is None:
        return ["no #attn-data block"]
    failures = []
    if data["p"] != p:
        failures.append("the page's numbers are at {} decimals, the run's at {}".format(data["p"], p))
    run = data["runs"][0]
    if run["tokens"] != trace["tokens"]:
        failures.append("the page's tokens are not the trace's")
    for key, m in run["m"].items():
        values = m["v"].split(" ")
        name = short_key(key)
        if name in HEAD_KEYS or key in ("x", "cat", "out", "Wo"):
            want = [v for row in trace_matrix(trace, key) for v in row]
            bad = [k for k, (shown, v) in enumerate(zip(values, want)) if shown not in printed(v, p)]
            if len(values) != len(want) or bad:
                failures.append("numbers {}: {} of {} differ from the trace".format(key, len(bad), len(want)))
        elif name == "d":
            h = int(key[1:key.index(".")])
            if values[0] not in printed(trace["heads"][h]["scale"], p):
                failures.append("numbers {}: {} is not the head's √d_k".format(key, values[0]))
        elif name in ("e", "z", "mx", "sw"):
            h = int(key[1:key.index(".")])
            n = len(trace["tokens"])
            for i in range(n):
                top, numerators, total = normalisation(trace, h, i)
                if name == "e":
                    shown = values[i * n:(i + 1) * n]
                    wrong = [j for j in range(n) if math.isfinite(numerators[j]) and not near(shown[j], numerators[j], p)]
                    if wrong:
                        failures.append("numbers {}: row {} numerator {} is {}, about {:.6f} expected".format(
                            key, i + 1, wrong[0] + 1, shown[wrong[0]], numerators[wrong[0]]))
                elif name == "z" and math.isfinite(total) and not near(values[i], total, p):
                    failures.append("numbers {}: row {} sums to {}, about {:.6f} expected".format(key, i + 1, values[i], total))
                elif name == "sw":  # the softmax's weights before the mask (renorm): numerator / sum
                    shown = values[i * n:(i + 1) * n]
                    wrong = [j for j in range(n) if math.isfinite(numerators[j]) and total and
                             not near(shown[j], numerators[j] / total, p)]
                    if wrong:
                        failures.append("numbers {}: row {} weight {} is {}, about {:.6f} expected".format(
                            key, i + 1, wrong[0] + 1, shown[wrong[0]], numerators[wrong[0]] / total))
                elif name == "mx" and values[i] not in printed(top, p):
                    failures.append("numbers {}: row {} max {}, expected {}".format(key, i + 1, values[i], top))
    return failures


def popup_lines(dom):
    popups = find_all(dom, lambda n: n.attrs.get("id") == "attn-popup")
    if not popups or "hidden" in popups[0].attrs:
        return None, None
    lines = {}
    for node in find_all(popups[0], lambda n: "l" in n.cls()):
        lines.setdefault(node.attrs.get("data-kind"), []).append(text(node))
    title = find_all(popups[0], lambda n: "t" in n.cls())
    return (text(title[0]) if title else ""), {k: v[0] for k, v in lines.items()}


def spelled(pieces):
    if len(pieces) <= 8:
        return " + ".join(pieces)
    return " + ".join(pieces[:3]) + " + … + " + pieces[-1]


def terms_note(count):
    return "  ({} terms)".format(count) if count > 8 else ""


def check_popup(dom, trace, p, h, i, j):
    title, lines = popup_lines(dom)
    if lines is None:
        return ["no popup opened"]
    head, config, tokens = trace["heads"][h], trace["config"], trace["tokens"]
    data = page_numbers(dom)["runs"][0]["m"]
    pr = lambda v: canonical(v, p)  # noqa: E731
    failures = []
    want_title = '"{}" → "{}"'.format(tokens[i], tokens[j])
    if want_title not in title:
        failures.append("popup title {!r} does not name {}".format(title, want_title))
    name = "({},{})".format(i + 1, j + 1)

    q = [pr(v) for v in head["queries"][i]]
    k = [pr(v) for v in head["keys"][j]]
    terms = ["{}×{}".format(factor(a), factor(b)) for a, b in zip(q, k)]
    score = pr(head["scores"][i][j])
    exact = sum((decimal(a) * decimal(b) for a, b in zip(q, k)), Decimal(0))
    expect = {"score": 'ω{} = q("{}")·k("{}") = {} {} {}{}'.format(name, tokens[i], tokens[j], spelled(terms),
                                                                  sign(prints_as(exact, score)), score,
                                                                  terms_note(len(terms)))}
    source = score
    if config["scale"]:
        d, scaled = pr(head["scale"]), pr(head["scaled_scores"][i][j])
        expect["scaled"] = "ω / √d_k = {} / {} {} {}".format(score, d, sign(quotient_holds(score, d, scaled)), scaled)
        source = scaled
    n = len(tokens)
    masked = config["causal"] and config["causal_method"] == "inf" and j > i
    left_out = lambda key: config["softmax"] == "sum" and config["causal"] and config["causal_method"] == "inf" and key > i  # noqa: E731
    e_row = data["h{}.e".format(h)]["v"].split(" ")[i * n:(i + 1) * n]
    z = data["h{}.z".format(h)]["v"].split(" ")[i]
    if not masked and config["softmax"] == "stable":
        top = data["h{}.mx".format(h)]["v"].split(" ")[i]
        expect["exp"] = "exp(s − max) = exp({} − {}) = {}".format(source, "(" + top + ")" if top.startswith("-") else top, e_row[j])
    elif not masked and config["softmax"] == "naive":
        expect["exp"] = "exp(s) = exp({}) = {}".format(source, e_row[j])
    pieces = [e_row[key] for key in range(n) if not left_out(key)]
    what = {"sum": "Σ s(k)", "naive": "Σ exp(s(k))", "stable": "Σ exp(s(k) − max)"}[config["softmax"]]
    total = sum((decimal(x) for x in pieces), Decimal(0)) if all(decimal(x) is not None for x in pieces) else None
    expect["sum"] = "{} = {} {} {}{}".format(what, spelled(pieces), sign(prints_as(total, z)), z, terms_note(len(pieces)))
    weight = pr(head["weights"][i][j])
    if config["causal"] and config["causal_method"] == "renorm":
        # The softmax's weight before the mask: the trace's masked weight up to the diagonal, and
        # beyond it (zeroed there) the page's own "sw" (the focus view, C++, checks it below).
        before = pr(head["masked_weights"][i][j]) if j <= i else data["h{}.sw".format(h)]["v"].split(" ")[i * n + j]
        expect["weight"] = "softmax{} = {} / {} {} {}".format(name, e_row[j], z, sign(quotient_holds(e_row[j], z, before)), before)
        if j > i:
            expect["renorm"] = "in the future: zeroed, α{} = {}".format(name, weight)
        else:
            kept = data["h{}.rz".format(h)]["v"].split(" ")[i]
            kept_sum = sum(f32(v) for v in head["masked_weights"][i][:i + 1])
            if not near(kept, kept_sum, p):
                failures.append("the kept sum {} is not about {:.6f}".format(kept, kept_sum))
            expect["renorm"] = "renormalised: α{} = {} / {} {} {}  ({}: the sum of the kept weights of the row)".format(
                name, before, kept, sign(quotient_holds(before, kept, weight)), weight, kept)
    elif left_out(j):
        expect["weight"] = "α{} = 0".format(name)
    else:
        expect["weight"] = "α{} = {} / {} {} {}".format(name, e_row[j], z, sign(quotient_holds(e_row[j], z, weight)), weight)
    if config["dropout"] > 0:
        mask, dropped = pr(head["dropout_mask"][i][j]), pr(head["dropped_weights"][i][j])
        keep = canonical(1.0 / f32(1.0 - config["dropout"]), p)
        product = decimal(weight) * decimal(mask) * decimal(keep)
        expect["dropout"] = "after dropout (p = {}): α × mask × 1/(1 − p) = {}×{}×{} {} {}  ({})".format(
            config["dropout"], factor(weight), factor(mask), factor(keep), sign(prints_as(product, dropped)), dropped,
            "dropped" if decimal(mask) == 0 else "kept")
    if masked:
        if "mask" not in lines or "masked" not in lines["mask"]:
            failures.append("no line saying the key is masked")
    for kind, want in expect.items():
        if lines.get(kind) != want:
            failures.append("{} line:\n      shown    {}\n      expected {}".format(kind, lines.get(kind), want))
    return failures


def collapsed(line):
    return re.sub(r" +", " ", line.strip())


def check_popup_against_focus(dom, focus, trace, i, j):
    """The popup says what the focus view (attn-explain --focus, C++) says for the same cell:
    the same dot product, the same sum of the row, each division with the same "=" or "≈"."""
    _, lines = popup_lines(dom)
    if lines is None:
        return ["no popup opened"]
    # The focus view's text as one line (a long sum wraps onto lines that start with "+").
    text = " " + collapsed(focus.replace("\n", " ")) + " "
    failures = []
    wanted = [collapsed(lines.get("score", ""))]
    wanted.append("Sum: " + collapsed(lines.get("sum", "")).split(" = ", 1)[-1])
    for kind in ("scaled", "weight", "renorm"):
        found = re.search(r"-?[0-9.]+ / -?[0-9.]+ [=≈] -?[0-9.]+", lines.get(kind, ""))
        if found:
            wanted.append(found.group(0))
    for want in wanted:
        if " " + want + " " not in text:
            failures.append("the popup's {!r} is not in the focus view".format(want))
    return failures


def quotient_holds(a, b, q):
    x, y, r = decimal(a), decimal(b), decimal(q)
    if x is None or y is None or r is None:
        return None
    if y == 0:
        return False
    return abs(x - r * y) <= Decimal(5).scaleb(-places(q) - 1) * abs(y)


def check_without_script(dom, trace):
    failures = []
    heads = len(trace["heads"])
    heatmaps = find_all(dom, lambda n: n.tag == "svg" and "heatmap" in n.cls())
    if len({s.attrs.get("data-m") for s in heatmaps if re.fullmatch(r"h\d+\.w", s.attrs.get("data-m", ""))}) != heads:
        failures.append("the weights' heatmaps are missing")
    views = find_all(dom, lambda n: n.tag == "svg" and "lines" in n.cls())
    if len(views) != heads or not all(find_all(v, lambda n: n.tag == "path") for v in views):
        failures.append("the line views are missing or have no lines")
    if not find_all(dom, lambda n: n.tag == "table" and "matrix" in n.cls()):
        failures.append("no tables")
    if find_all(dom, lambda n: n.attrs.get("id") == "attn-popup"):
        failures.append("the script ran (a popup element exists)")
    return failures


def check_screenshot(path, trace):
    with open(path, "rb") as f:
        width, height, ctype, palette, rows = read_png(f.read())
    bpp = {2: 3, 6: 4}.get(ctype)
    if (width, height) != (1366, 768) or bpp is None:
        return ["the screenshot is {} x {} of colour type {}".format(width, height, ctype)]
    counts = {}
    for row in rows:
        for x in range(0, width * bpp, bpp):
            rgb = tuple(row[x:x + 3])
            counts[rgb] = counts.get(rgb, 0) + 1
    failures = []
    if len(counts) < 20:
        failures.append("the screenshot has only {} colours: blank?".format(len(counts)))
    w = trace["heads"][0]["weights"]
    scale = scale_of(w, True)
    expected = {sequential(round(palette_index(scale, v)) / 254.0) for row in w for v in row}
    found = [c for c in expected if sum(n for rgb, n in counts.items() if close(rgb, c, 2)) >= 40]
    if len(found) < min(5, len(expected)):
        failures.append("only {} of the heatmap's {} colours show in the screenshot".format(len(found), len(expected)))
    return failures
