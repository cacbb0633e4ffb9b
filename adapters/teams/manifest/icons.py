"""Draws the Teams app's two icons as PNG files, with nothing but ``zlib``: run it to regenerate them.

    python -m adapters.teams.manifest.icons

Teams wants a 192×192 full-colour icon and a 32×32 outline icon that is white on a transparent
background. Both show a check mark: an action followed through to done. Edges are anti-aliased
by sampling each pixel 4×4 times.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
ACCENT = (0x1F, 0x6F, 0x5C)  # the manifest's accentColor
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4
CHECK = ((0.27, 0.52), (0.44, 0.69), (0.74, 0.34))  # the check mark's polyline, in units of the icon's size

Shape = Callable[[float, float], bool]


def png(width: int, height: int, pixels: list[tuple[int, int, int, int]]) -> bytes:
    """An RGBA PNG (8 bits per channel, no filtering) of ``pixels`` listed row by row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel) for pixel in pixels[y * width : (y + 1) * width]) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _near_polyline(points: tuple[tuple[float, float], ...], half_width: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            if (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= half_width**2:
                return True
        return False

    return inside


def _rounded_square(margin: float, radius: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        low, high = margin + radius, 1 - margin - radius
        cx, cy = min(max(x, low), high), min(max(y, low), high)
        return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2

    return inside


def _coverage(shape: Shape, size: int, px: int, py: int) -> float:
    hits = sum(
        shape((px + (i + 0.5) / SAMPLES) / size, (py + (j + 0.5) / SAMPLES) / size)
        for i in range(SAMPLES)
        for j in range(SAMPLES)
    )
    return hits / SAMPLES**2


def color_icon(size: int = 192) -> bytes:
    """The accent-coloured rounded square with a white check mark, fully opaque."""
    check = _near_polyline(CHECK, 0.06)
    pixels = []
    for py in range(size):
        for px in range(size):
            white = _coverage(check, size, px, py)
            rgb = tuple(round(a * (1 - white) + w * white) for a, w in zip(ACCENT, WHITE, strict=True))
            pixels.append((rgb[0], rgb[1], rgb[2], 255))
    return png(size, size, pixels)


def outline_icon(size: int = 32) -> bytes:
    """A white check mark inside a white rounded-square outline, on transparent."""
    check = _near_polyline(CHECK, 0.07)
    outer, inner = _rounded_square(0.03, 0.2), _rounded_square(0.11, 0.12)

    def shape(x: float, y: float) -> bool:
        return check(x, y) or (outer(x, y) and not inner(x, y))

    pixels = [(255, 255, 255, round(255 * _coverage(shape, size, px, py))) for py in range(size) for px in range(size)]
    return png(size, size, pixels)


def main() -> None:
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    main()
