"""The checks of check_report.py on one page: its file, its DOM as Chromium
left it, its pictures and its screenshot, against the trace of the same run.

Every check returns a list of failures (empty: it holds). Numbers are compared
as the page prints them: the trace's float32 value rounded to the run's
precision (either way at an exact tie, which the two usual roundings decide
differently), never as a copy of the page's own output.
"""

import json
import math
import re
import struct
import zlib
from decimal import Decimal, ROUND_HALF_EVEN, ROUND_HALF_UP
from html.parser import HTMLParser

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# ---- a small DOM

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    def cls(self):
        return (self.attrs.get("class") or "").split()


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text):
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def find_all(node, predicate):
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if predicate(child):
                found.append(child)
            found += find_all(child, predicate)
    return found


def text(node):
    return "".join(c if isinstance(c, str) else text(c) for c in node.children)


def elements(node):
    return [c for c in node.children if isinstance(c, Node)]


# ---- numbers as the page prints them

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


# ---- colours (colour_scale.hpp: matplotlib's viridis at t = 0, 1/8, ..., 1; ColorBrewer RdBu's ends)

VIRIDIS = [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141), (39, 173, 129),
           (92, 200, 99), (170, 220, 50), (253, 231, 37)]
BLUE, WHITE, RED, GREY = (33, 102, 172), (247, 247, 247), (178, 24, 43), (150, 150, 150)


def mix(a, b, t):
    # std::lround: halves away from zero (every channel here is at least 0)
    return tuple(int(math.floor(x + (y - x) * t + 0.5)) for x, y in zip(a, b))


def sequential(t):
    t = min(max(t, 0.0), 1.0) * 8.0
    k = min(int(t), 7)
    return mix(VIRIDIS[k], VIRIDIS[k + 1], t - k)


def diverging(t):
    t = min(max(t, -1.0), 1.0)
    return mix(WHITE, BLUE, -t) if t < 0 else mix(WHITE, RED, t)


def scale_of(m, weights):
    finite = [f32(v) for row in m for v in row if v is not None]
    if weights:
        return ("seq", max([1e-6] + finite))
    return ("div", max([0.0] + [abs(v) for v in finite]))


def colour(scale, value):
    if value is None:
        return GREY
    kind, high = scale
    v = f32(value)
    if kind == "seq":
        return sequential(v / high if high > 0 else 0.0)
    return diverging(v / high if high > 0 else 0.0)


def palette_index(scale, value):
    if value is None:
        return 255
    kind, high = scale
    v = f32(value)
    if kind == "seq":
        t = min(max(v / high if high > 0 else 0.0, 0.0), 1.0)
    else:
        t = (min(max(v / high if high > 0 else 0.0, -1.0), 1.0) + 1.0) / 2.0
    return t * 254.0  # the index before rounding


def luminance(rgb):
    def linear(c):
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def close(a, b, tolerance=1):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def hex_colour(text_value):
    m = re.search(r"#([0-9a-f]{6})", text_value or "")
    return tuple(int(m.group(1)[k:k + 2], 16) for k in (0, 2, 4)) if m else None


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


# ---- PNG

def read_png(data):
    """(width, height, colour type, palette, rows of pixels): a PNG of 8-bit palette, RGB or RGBA."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, palette = 8, b"", []
    width = height = ctype = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("bad CRC in " + kind.decode())
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace != 0:
                raise ValueError("unsupported PNG: depth {}, interlace {}".format(depth, interlace))
        elif kind == b"PLTE":
            palette = [tuple(body[k:k + 3]) for k in range(0, len(body), 3)]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        f, cur = line[0], bytearray(line[1:])
        for x in range(stride):
            a = cur[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if f == 1:
                cur[x] = (cur[x] + a) & 255
            elif f == 2:
                cur[x] = (cur[x] + b) & 255
            elif f == 3:
                cur[x] = (cur[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                cur[x] = (cur[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(cur))
        previous = cur
    return width, height, ctype, palette, rows


# ---- the checks

def check_static(html):
    failures = []
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    if not m or m.group(1) != CSP:
        failures.append("the Content-Security-Policy is not the strict one: {}".format(m.group(1) if m else "none"))
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
        elif name in ("e", "z", "mx"):
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
        before = pr(head["masked_weights"][i][j])
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
