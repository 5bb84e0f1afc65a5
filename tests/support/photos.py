"""Pictures for the photo tests: a phone's JPEG with its GPS position, a forged file, a decompression bomb."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def a_phone_photo(width: int = 600, height: int = 400, *, gps: bool = True, rotated: bool = True) -> bytes:
    """A JPEG as a phone writes it: EXIF with where it was taken, and turned on its side by the orientation tag."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height // 2))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if rotated:
        exif[0x0112] = 6  # the camera was held upright: the pixels must be turned 90 degrees to show it so
    if gps:
        where = exif.get_ifd(0x8825)
        where.update({1: "N", 2: (21.0, 51.0, 3.0), 3: "E", 4: (106.0, 45.0, 7.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def a_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG a few hundred bytes long that claims 400 megapixels (decoding it would take 1.2 GB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 3 * width) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
