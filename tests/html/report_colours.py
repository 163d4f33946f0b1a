"""The HTML report's colours for report_checks.py (colour_scale.hpp: matplotlib's
viridis at t = 0, 1/8, ..., 1; ColorBrewer RdBu's ends), and a reader of the
PNG pictures and screenshot.
"""

import math
import re
import struct
import zlib

from report_numbers import f32

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
