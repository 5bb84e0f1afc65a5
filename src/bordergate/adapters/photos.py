"""Photos sent with a report: refused unless they are a real, reasonably sized photo; kept clean; stored by digest."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.report_photos import Photo

FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
QUALITY = 82
THUMB_SIDE = 480
NOT_A_PHOTO = "this file is not a photo: send a JPEG, PNG or WebP picture"


@dataclass(frozen=True)
class PhotoLimits:
    """How big a photo may arrive and how big it is kept (BORDERGATE_REPORT_PHOTO_* settings)."""

    max_bytes: int = 8_000_000
    max_pixels: int = 40_000_000
    long_side: int = 2048


class PhotoPreparer:
    """Turns what a phone sent into a ``Photo``. Decoding a 40-megapixel picture takes ~160 MB and a core for a
    moment, so only ``slots`` run at once (as password hashing does); callers run it off the event loop."""

    def __init__(self, limits: PhotoLimits, slots: int = 2) -> None:
        self.limits = limits
        self._slots = threading.BoundedSemaphore(slots)
        # Pillow's own bomb guard (it refuses twice this outright, at open); prepare() refuses anything over it
        # from the header, before a pixel is decoded.
        Image.MAX_IMAGE_PIXELS = limits.max_pixels

    def prepare(self, data: bytes, field: str = "photo") -> Photo:
        """The photo re-encoded from its pixels only, or Invalid naming ``field`` and what to do."""
        if len(data) > self.limits.max_bytes:  # before a single byte is decoded
            raise Invalid([FieldProblem(field, f"this photo is {len(data) / 1e6:.1f} MB; send one of at most "
                                               f"{self.limits.max_bytes / 1e6:.1f} MB")])
        with self._slots:
            try:
                return self._prepare(data, field)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise Invalid([FieldProblem(field, self._too_many_pixels)]) from None
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                raise Invalid([FieldProblem(field, NOT_A_PHOTO)]) from None

    def _prepare(self, data: bytes, field: str) -> Photo:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise Invalid([FieldProblem(field, NOT_A_PHOTO)])
            self._within_pixels(probe, field)
            probe.verify()  # a truncated or forged file fails here, before any pixel is decoded
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable: open it again
            self._within_pixels(image, field)
            side = self.limits.long_side
            image.draft("RGB", (side, side))  # a JPEG decodes at 1/2, 1/4, 1/8 scale: far faster for a phone's 12 MP
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
        rgb.thumbnail((side, side), Image.Resampling.LANCZOS)
        # A new image from the pixels alone: nothing of the file's metadata (EXIF, GPS, XMP, ICC) can follow it.
        clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
        jpeg = _jpeg(clean)
        thumb = clean.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        return Photo(hashlib.sha256(jpeg).hexdigest(), clean.width, clean.height, jpeg, _jpeg(thumb))

    def _within_pixels(self, image: Image.Image, field: str) -> None:
        width, height = image.size
        if width * height > self.limits.max_pixels:
            raise Invalid([FieldProblem(field, self._too_many_pixels)])

    @property
    def _too_many_pixels(self) -> str:
        return f"this picture has more than {self.limits.max_pixels / 1e6:.0f} megapixels; send a smaller one"


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


class FilesystemPhotoStore:
    """Photos as files under one folder (BORDERGATE_PHOTO_DIR), two levels of the digest deep so no folder grows
    past a few thousand files; written to a temporary name and renamed, so a reader never sees half a photo."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"not a photo key: {key!r}")
        return self.folder / key[:2] / key[2:4] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.exists():  # named by its digest: the same key is the same bytes
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None


class InMemoryPhotoStore:
    """The store's twin for tests: a dictionary."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, key: str, data: bytes) -> None:
        with self._lock:
            self.files.setdefault(key, data)

    def get(self, key: str) -> bytes | None:
        return self.files.get(key)
