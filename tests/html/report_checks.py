"""The checks of check_report.py on one page: its file, its DOM as Chromium
left it, its pictures and its screenshot, against the trace of the same run.

Every check returns a list of failures (empty: it holds). Numbers are compared
as the page prints them: the trace's float32 value rounded to the run's
precision (either way at an exact tie, which the two usual roundings decide
differently), never as a copy of the page's own output.

The parts: report_dom.py (the page's DOM), report_numbers.py (numbers as
printed, the trace's matrices), report_colours.py (colours, PNG), and
report_popups.py (the numbers, popups, no-script and screenshot checks).
"""

import base64
import hashlib
import re
import zlib

from report_colours import close, colour, diverging, hex_colour, luminance, palette_index, read_png, scale_of, sequential
from report_dom import find_all, parse_html, text
from report_numbers import (MARKED_KEYS, WEIGHT_KEYS, drawn_as_table, expected_keys, f32, printed, row_maxima,
                            short_key, trace_matrix)
# check_report.py calls these as report_checks' own (rc.check_popup, ...).
from report_popups import check_numbers, check_popup, check_popup_against_focus, check_screenshot, check_without_script  # noqa: F401

# The page may run one script: its own, named by the SHA-256 of its text (computed here with hashlib).
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def script_hash(script):
    """The policy's name of a script element whose text is `script`: base64 of its SHA-256."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


# ---- the checks (those on numbers, popups and the screenshot: report_popups.py)

def check_static(html):
    failures = []
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    if len(scripts) != 1:
        failures.append("the page has {} classic <script> elements, expected 1".format(len(scripts)))
    elif not m or m.group(1) != CSP.format(script_hash(scripts[0])):
        failures.append("the Content-Security-Policy is not the strict one, with the hash of the page's script: "
                        "{}".format(m.group(1) if m else "none"))
    dom = parse_html(html)
    for node in find_all(dom, lambda n: True):
        for name in ("src", "href", "xlink:href", "action", "formaction", "poster", "data", "srcset", "background"):
            value = node.attrs.get(name)
            if value is not None and not (value.startswith("#") or value.startswith("data:image/png;base64,")):
                failures.append("<{} {}={!r}> refers to something outside the page".format(node.tag, name, value[:80]))
    for tag in ("link", "iframe", "object", "embed", "base", "form"):
        if find_all(dom, lambda n, tag=tag: n.tag == tag):
            failures.append("the page has a <{}> element".format(tag))
    styles = " ".join(text(n) for n in find_all(dom, lambda n: n.tag == "style"))
    if "url(" in styles or "@import" in styles:
        failures.append("the style sheet loads something (url( or @import)")
    addresses = set(re.findall(r"(?:https?:)?//[A-Za-z0-9.-]+\.[a-z]{2,}[^\s\"'<>)]*", html)) - {"//www.w3.org/2000/svg"}
    addresses = {a for a in addresses if not a.startswith(SVG_NAMESPACE)}
    if addresses:
        failures.append("the page names addresses: {}".format(sorted(addresses)[:5]))
    return failures


def check_tables(dom, trace, p):
    failures = []
    stages = find_all(dom, lambda n: n.tag == "section" and "stages" in n.cls())
    if not stages:
        return ["no 'Stage by stage' section"]
    keys = expected_keys(trace)
    tables = {t.attrs["data-m"]: t for t in find_all(stages[0], lambda n: n.tag == "table" and "data-m" in n.attrs)}
    pictures = {s.attrs["data-m"]: s for s in find_all(stages[0], lambda n: n.tag == "svg" and "heatmap" in n.cls())}
    for key in keys:
        m = trace_matrix(trace, key)
        if drawn_as_table(m):
            if key not in tables:
                failures.append("stage {}: no table".format(key))
                continue
            failures += check_table(tables[key], key, m, trace, 0 if short_key(key) == "dm" else p)
        elif key not in pictures:
            failures.append("stage {} ({} x {}): no heatmap in place of a table".format(key, len(m), len(m[0])))
    extra = set(tables) - set(keys)
    if extra:
        failures.append("tables the trace has no stage for: {}".format(sorted(extra)))
    return failures


def labels_of(trace, key, m):
    tokens = trace["tokens"]
    dims = ["d{}".format(c) for c in range(len(m[0]))]
    # A table that names its dimensions labels X's columns and the rows of W_query,
    # W_key and W_value (the input dimensions) with them; out_proj's rows stay d0, d1, ...
    named = trace.get("dimension_names")
    name = short_key(key)
    if name in ("Wq", "Wk", "Wv") and named:
        return list(named), dims
    if name in ("Wq", "Wk", "Wv", "Wo"):
        return ["d{}".format(r) for r in range(len(m))], dims
    if key == "x" and named:
        return tokens, list(named)
    if name == "b":
        return ["b_query", "b_key", "b_value"], dims
    if name == "bo":
        return ["bias"], dims
    if name in ("s", "c", "ms", "mw", "w", "dm", "dw"):
        return tokens, tokens
    return tokens, dims


def check_table(table, key, m, trace, p):
    failures = []
    rows, cols = labels_of(trace, key, m)
    head = find_all(table, lambda n: n.tag == "thead")[0]
    shown_cols = [text(th) for th in find_all(head, lambda n: n.tag == "th")]
    if len(shown_cols) != len(cols) or any(len(c) <= 14 and c != s for c, s in zip(cols, shown_cols)):
        failures.append("{}: column labels {} are not {}".format(key, shown_cols[:8], cols[:8]))
    body_rows = find_all(find_all(table, lambda n: n.tag == "tbody")[0], lambda n: n.tag == "tr")
    if len(body_rows) != len(m):
        return failures + ["{}: {} rows, the trace has {}".format(key, len(body_rows), len(m))]
    weights = short_key(key) in WEIGHT_KEYS
    scale = scale_of(m, weights)
    for r, tr in enumerate(body_rows):
        label = find_all(tr, lambda n: n.tag == "th")
        if not label or (len(rows[r]) <= 14 and text(label[0]) != rows[r]):
            failures.append("{}: row {} is labelled {!r}, not {!r}".format(key, r + 1, text(label[0]) if label else None, rows[r]))
        cells = find_all(tr, lambda n: n.tag == "td")
        if len(cells) != len(m[r]):
            failures.append("{}: row {} has {} cells, the trace {}".format(key, r + 1, len(cells), len(m[r])))
            continue
        maxima = row_maxima(m[r], p) if short_key(key) in MARKED_KEYS else set()
        for c, td in enumerate(cells):
            shown = text(td).strip()
            if shown not in printed(m[r][c], p):
                failures.append("{}({},{}) shows {}, the trace {} at {} decimals".format(
                    key, r + 1, c + 1, shown, m[r][c], p))
            background = hex_colour(td.attrs.get("style"))
            want = colour(scale, m[r][c])
            if background is None or not close(background, want):
                failures.append("{}({},{}): colour {} for {}, expected {}".format(key, r + 1, c + 1, background, shown, want))
            elif ("d" in td.cls()) != (luminance(background) < 0.18):
                failures.append("{}({},{}): text colour does not suit the background".format(key, r + 1, c + 1))
            marked = "max" in td.cls() and bool(find_all(td, lambda n: n.tag == "strong"))
            if marked != (c in maxima):
                failures.append("{}({},{}) {} marked as a largest weight of its row".format(
                    key, r + 1, c + 1, "is" if marked else "is not"))
    return failures


def image_of(svg):
    images = find_all(svg, lambda n: n.tag == "image")
    if not images:
        return None
    href = images[0].attrs.get("href") or images[0].attrs.get("xlink:href") or ""
    prefix = "data:image/png;base64,"
    if not href.startswith(prefix):
        return None
    import base64
    return base64.b64decode(href[len(prefix):])


def check_heatmaps(dom, trace, p):
    failures = []
    heatmaps = find_all(dom, lambda n: n.tag == "svg" and "heatmap" in n.cls())
    glance = [s for s in heatmaps if re.fullmatch(r"h\d+\.w", s.attrs.get("data-m", ""))]
    if len({s.attrs["data-m"] for s in glance}) != len(trace["heads"]):
        failures.append("{} heads have a heatmap of their weights, the trace has {} heads".format(
            len({s.attrs["data-m"] for s in glance}), len(trace["heads"])))
    for svg in heatmaps:
        key = svg.attrs.get("data-m")
        m = trace_matrix(trace, key)
        png = image_of(svg)
        if png is None:
            failures.append("heatmap {}: no PNG image".format(key))
            continue
        try:
            width, height, ctype, palette, rows = read_png(png)
        except (ValueError, zlib.error) as error:
            failures.append("heatmap {}: {}".format(key, error))
            continue
        if (width, height, ctype) != (len(m[0]), len(m), 3):
            failures.append("heatmap {}: a {} x {} PNG of colour type {}, expected {} x {} with a palette".format(
                key, width, height, ctype, len(m[0]), len(m)))
            continue
        weights = short_key(key) in WEIGHT_KEYS
        scale = scale_of(m, weights)
        for k, rgb in enumerate(palette[:255]):
            want = sequential(k / 254.0) if weights else diverging(k / 127.0 - 1.0)
            if not close(rgb, want):
                failures.append("heatmap {}: palette entry {} is {}, the scale's colour is {}".format(key, k, rgb, want))
                break
        wrong = [(r, c) for r in range(height) for c in range(width)
                 if abs(rows[r][c] - palette_index(scale, m[r][c])) > 0.5 + 1e-9]
        if wrong:
            r, c = wrong[0]
            failures.append("heatmap {}: {} pixels are not the colour of their value, e.g. ({},{}) = {} holds {}".format(
                key, len(wrong), r + 1, c + 1, m[r][c], rows[r][c]))
        failures += check_outlines(svg, key, m, p)
    return failures


def check_outlines(svg, key, m, p):
    """The outlines round each row's largest weights, and the numbers in the cells when printed."""
    left, top, cell = (int(v) for v in svg.attrs["data-geo"].split())
    failures = []
    values = find_all(svg, lambda n: n.tag == "text" and n.parent.tag == "g" and "val" in n.parent.cls())
    for node in values:
        c = (float(node.attrs["x"]) - left) // cell
        r = (float(node.attrs["y"]) - top) // cell
        if text(node) not in printed(m[int(r)][int(c)], p):
            failures.append("heatmap {}: cell ({},{}) prints {}".format(key, int(r) + 1, int(c) + 1, text(node)))
    if short_key(key) not in MARKED_KEYS or cell < 5:
        return failures
    outlined = set()
    for path in find_all(svg, lambda n: n.tag == "path" and "top" in n.cls()):
        for x, y in re.findall(r"M(\d+) (\d+)", path.attrs.get("d", "")):
            outlined.add(((int(y) - top) // cell, (int(x) - left) // cell))
    expected = {(r, c) for r in range(len(m)) for c in row_maxima(m[r], p)}
    if outlined != expected:
        failures.append("heatmap {}: outlines round {} cells, {} expected; e.g. {}".format(
            key, len(outlined), len(expected), sorted(outlined ^ expected)[:3]))
    return failures


def check_line_views(dom, trace):
    failures = []
    views = find_all(dom, lambda n: n.tag == "svg" and "lines" in n.cls())
    if len(views) != len(trace["heads"]):
        return ["{} line views, the trace has {} heads".format(len(views), len(trace["heads"]))]
    for svg in views:
        h = int(svg.attrs["data-head"])
        w = trace["heads"][h]["weights"]
        n = len(w)
        largest = max([1e-6] + [f32(v) for row in w for v in row if v is not None])
        x1, x2, step = (int(v) for v in svg.attrs["data-geo"].split())
        everything = svg.attrs.get("data-all") == "1"
        groups = [g for g in find_all(svg, lambda node: node.tag == "g" and "q" in node.cls())]
        if len(groups) != n:
            failures.append("line view {}: {} query tokens, expected {}".format(h + 1, len(groups), n))
            continue
        for i, g in enumerate(groups):
            seen = {}
            for path in find_all(g, lambda node: node.tag == "path" and "extra" not in node.cls()):
                m = re.fullmatch(r"M(\d+) (\d+)L(\d+) (\d+)", path.attrs.get("d", ""))
                j = (int(m.group(4)) - 4 - step // 2) // step
                seen[j] = float(path.attrs["stroke-opacity"])
            strength = [f32(v) / largest if v is not None else 0.0 for v in w[i]]
            # Every key, or the three strongest (of equal ones, the first), less those fainter than 1%.
            drawn = range(n) if everything else sorted(range(n), key=lambda j: -strength[j])[:3]
            wanted = {j for j in drawn if strength[j] >= 0.01}
            if set(seen) != wanted:
                failures.append("line view {}: token {} has lines to {}, expected {}".format(
                    h + 1, i + 1, sorted(seen), sorted(wanted)))
            for j, opacity in seen.items():
                if abs(opacity - min(strength[j], 1.0)) > 0.0051:
                    failures.append("line view {}: the line {} → {} has opacity {}, its weight / largest is {:.4f}".format(
                        h + 1, i + 1, j + 1, opacity, strength[j]))
    return failures
