"""Reading plates offline with rapidocr: the ONNX detection and recognition models inside its wheel, on onnxruntime.

Two ways in. A plate crop, as an ANPR box or a plate detector cuts it, skips detection: recognition only, tens of
milliseconds; a crop shaped like a two-row plate is read as its two rows. A whole camera frame goes through text
detection first (hundreds of milliseconds on a CPU), then each line found is cut out of the full-resolution frame,
straightened and recognised. The lines go to domain.plate_text, which keeps what fits a plate grammar and joins
two-row plates. Reading stops at the first attempt that gives a plate as read; the next attempts are for pictures
that gave none, or only one needing a misread undone: for a crop, text detection on it, then a denoised copy; for
a frame, a closer look around the lines that may be pieces of a plate, then detection at a second scale (the
detector misses some plates at one scale and finds them at another).

Nothing is downloaded: the engine is pointed at the model files in the installed wheel, and a missing file is an
error, never a fetch. The engine is built on first use (or by warm_up) and shared; calls to it are serialised
because rapidocr keeps per-call settings on the engine, and onnxruntime already spreads one call over every core.
"""
from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from bordergate.domain.errors import InvalidValue
from bordergate.domain.plate_text import PlateReading, TextBox, plate_fragment, plate_readings

# A 4K camera frame is 8.3 megapixels; anything far bigger is a mistake or an attack on memory, not a picture.
MAX_PIXELS = 25_000_000
# Longest side a frame is shrunk to for text detection, in order; the second only when the first finds no plate.
DETECTION_SIDES = (960, 1280)
# Width over height of a crop: a one-row Vietnamese plate is 520x110 mm (4.7), a Chinese one 440x140 (3.1), a
# two-row plate 330x165 or 440x220 (2.0); a tilt of 10 degrees brings a Chinese plate's crop down to 2.0. In between
# a crop is read both ways, as one row first unless it is narrower than ROWS_FIRST_BELOW, and the grammar decides.
ONE_ROW_WIDER_THAN = 1.6
TWO_ROWS_NARROWER_THAN = 3.3
ROWS_FIRST_BELOW = 2.3
# Lines recognised in one picture, the detector's surest first: a gate camera's frame holds a handful.
MAX_LINES = 32
# A frame with no plate gets a closer look around at most this many lines that may be pieces of one.
MAX_SECOND_LOOKS = 3
# Where two rows of a plate part: looked for in this band of the span of rows that hold characters (rows crossed by
# at least this share of the busiest row's strokes); each half reaches a little past it.
_SPLIT_BAND = (0.25, 0.75)
_INKED = 0.35
_SPLIT_OVERLAP = 0.04
# Text detection misses characters that touch the picture's edge: a crop is padded by this share of its height.
_CROP_MARGIN = 0.1
# Detection settings, stated on every call because rapidocr keeps per-call settings on the engine: a lower box
# threshold than its default 0.5 finds plate rows it would drop (what is not a plate the grammar drops anyway).
_BOX_THRESHOLD = 0.3
_UNCLIP_RATIO = 1.6
_NO_RESIZE = 8192

Box = tuple[float, float, float, float]


class RapidOcrPlateReader:
    """A PlateRecogniser on rapidocr 3 and onnxruntime, on the CPU, offline; safe to share between threads."""

    def __init__(self, *, detection_sides: Sequence[int] = DETECTION_SIDES, min_text_confidence: float = 0.5,
                 threads: int | None = None) -> None:
        self.detection_sides = tuple(detection_sides)
        self.min_text_confidence = min_text_confidence
        self.threads = threads
        self._engine: Any = None
        self._lock = threading.Lock()

    def read(self, image: bytes, *, crop: bool = False) -> list[PlateReading]:
        """The plates in a picture (JPEG, PNG, ...), best first; ``crop`` when it is a plate cut out already."""
        picture = _decoded(image)
        return _first_clean(self._crop_attempts(picture) if crop else self._frame_attempts(picture))

    def warm_up(self) -> None:
        """Load both models now, so that the first camera's picture is not the one that waits a second for them."""
        blank = np.full((64, 256, 3), 255, np.uint8)
        self._recognise(blank)
        self._detect(blank)

    def _frame_attempts(self, picture: np.ndarray) -> Iterator[list[PlateReading]]:
        """Every line detected at the first scale; a closer look around lines that may be pieces of a plate; again."""
        for scale in _scales(picture.shape, self.detection_sides):
            lines = self._detected_lines(picture, scale)
            yield plate_readings(lines)
            fragments = sorted((line for line in lines if plate_fragment(line.text)), key=lambda line: -line.confidence)
            for line in fragments[:MAX_SECOND_LOOKS]:
                for rows, cols in _surroundings(line, picture.shape):
                    yield from self._crop_attempts(picture[rows, cols], thorough=False)

    def _detected_lines(self, picture: np.ndarray, scale: float) -> list[TextBox]:
        """Every line the detector finds at one scale, recognised from the full-resolution picture."""
        small = picture if scale == 1 else cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        lines = []
        for quad in self._detect(small):
            quad = np.asarray(quad, np.float32) / scale
            lines += self._line(_upright(picture, quad), _bounds(quad))
        return lines

    def _crop_attempts(self, picture: np.ndarray, *, thorough: bool = True) -> Iterator[list[PlateReading]]:
        """A plate crop read as one line or as two rows split where they part; thoroughly, then detected line by
        line (~0.1 s: finds rows a tilted plate puts out of reach of a straight split), then read again denoised."""
        yield from self._rows_or_line(picture)
        if thorough:
            margin = round(picture.shape[0] * _CROP_MARGIN)
            padded = cv2.copyMakeBorder(picture, margin, margin, margin, margin, cv2.BORDER_REPLICATE)
            yield plate_readings(self._detected_lines(padded, 1.0))
            yield from self._rows_or_line(_denoised(picture))

    def _rows_or_line(self, picture: np.ndarray) -> Iterator[list[PlateReading]]:
        height, width = picture.shape[:2]
        if height < 2 or width < 2:
            return
        aspect = width / height
        ways = []
        if aspect > ONE_ROW_WIDER_THAN:
            ways.append(lambda: self._line(picture, (0, 0, width, height)))
        if aspect < TWO_ROWS_NARROWER_THAN:
            ways.append(lambda: self._split_rows(picture))
        if aspect < ROWS_FIRST_BELOW:
            ways.reverse()
        for way in ways:
            yield plate_readings(way())

    def _split_rows(self, picture: np.ndarray) -> list[TextBox]:
        height, width = picture.shape[:2]
        split = _row_split(picture)
        overlap = round(height * _SPLIT_OVERLAP)
        upper, lower = split + overlap, split - overlap
        return (self._line(picture[:upper], (0, 0, width, upper))
                + self._line(picture[lower:], (0, lower, width, height)))

    def _line(self, strip: np.ndarray, box: Box) -> list[TextBox]:
        """The one line of text in a strip, placed where the strip came from; nothing if it is unreadable."""
        if strip.shape[0] < 2 or strip.shape[1] < 2:
            return []
        result = self._recognise(strip)
        if not result.txts or not result.txts[0].strip() or result.scores[0] < self.min_text_confidence:
            return []
        return [TextBox(result.txts[0], float(result.scores[0]), *box)]

    def _recognise(self, strip: np.ndarray) -> Any:
        # rapidocr keeps use_det/use_cls/use_rec from one call to the next, so every call states all three.
        with self._lock:
            return self._ready()(strip, use_det=False, use_cls=False, use_rec=True)

    def _detect(self, picture: np.ndarray) -> list:
        """The quadrilaterals of the lines of text detected, surest first and no more than MAX_LINES."""
        with self._lock:
            result = self._ready()(picture, use_det=True, use_cls=False, use_rec=False,
                                   box_thresh=_BOX_THRESHOLD, unclip_ratio=_UNCLIP_RATIO)
        boxes = getattr(result, "boxes", None)
        if boxes is None:
            return []
        ranked = sorted(zip(result.scores, range(len(boxes)), strict=True), reverse=True)
        return [boxes[index] for _, index in ranked[:MAX_LINES]]

    def _ready(self) -> Any:
        """The shared engine, built on first use; called with the lock held."""
        if self._engine is None:
            self._engine = _engine(self.threads)
        return self._engine


def _first_clean(attempts: Iterator[list[PlateReading]]) -> list[PlateReading]:
    """The readings of the first attempt that reads a plate as it is; failing that, of the first that needed
    misreads undone to fit the grammar, since a later, closer look may read the plate without any."""
    fallback: list[PlateReading] = []
    for readings in attempts:
        if any(reading.corrections == 0 for reading in readings):
            return readings
        fallback = fallback or readings
    return fallback


def _engine(threads: int | None) -> Any:
    import rapidocr  # imported late: loading onnxruntime costs ~0.3 s that a gate without cameras never pays

    models = Path(rapidocr.__file__).resolve().parent / "models"
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Global.use_cls": False,
        # The reader scales frames itself (DETECTION_SIDES); rapidocr's own resizing is switched off.
        "Det.limit_type": "max",
        "Det.limit_side_len": _NO_RESIZE,
        # Explicit files: with a path rapidocr loads what is there and never reaches for its download URL.
        "Det.model_path": str(_model(models, "det")),
        "Rec.model_path": str(_model(models, "rec")),
    }
    if threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
    return rapidocr.RapidOCR(params=params)


def _model(folder: Path, task: str) -> Path:
    """The wheel's own model for a task (PP-OCRv6 small in rapidocr 3.10); its absence is an install problem."""
    found = sorted(folder.glob(f"*_{task}_*.onnx"))
    if not found:
        raise FileNotFoundError(f"no rapidocr {task} model in {folder}: reinstall the rapidocr wheel")
    return found[-1]


def _decoded(image: bytes) -> np.ndarray:
    """The picture as the BGR array rapidocr works on, the right way up; InvalidValue if it is not a picture."""
    try:
        with Image.open(io.BytesIO(image)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise InvalidValue(f"the picture is {opened.width}x{opened.height}: too large for a camera picture")
            rgb = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise InvalidValue(f"the picture could not be read as an image: {error}") from None
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])


def _denoised(picture: np.ndarray) -> np.ndarray:
    """Grey, with sensor grain and JPEG speckle smoothed out: a last try at a crop that colour and grain defeated."""
    grey = cv2.medianBlur(cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY), 3)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def _scales(shape: tuple[int, ...], sides: Sequence[int]) -> list[float]:
    """The factors that shrink a frame to each detection side, never enlarging it, each once."""
    longest = max(shape[:2])
    scales = []
    for side in sides:
        scale = min(1.0, side / longest)
        if scale not in scales:
            scales.append(scale)
    return scales


def _upright(picture: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The strip inside a detected quadrilateral (clockwise from top left), straightened out."""
    width = round(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[3] - quad[2])))
    height = round(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    if width < 2 or height < 2:
        return picture[:0, :0]
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    return cv2.warpPerspective(picture, cv2.getPerspectiveTransform(quad, target), (width, height),
                               flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def _bounds(quad: np.ndarray) -> Box:
    return float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max())


def _row_split(picture: np.ndarray) -> int:
    """The row between a two-row plate's rows: the quietest row in the middle of the span that holds characters.

    Characters are where many strokes cross a row; the span runs from the first such row to the last, so a margin
    of bumper above or below the plate does not pull the split off the plate.
    """
    grey = picture.mean(axis=2)
    strokes = np.convolve(np.abs(np.diff(grey, axis=1)).sum(axis=1), np.ones(3) / 3, mode="same")
    inked = np.flatnonzero(strokes > _INKED * strokes.max())
    first, last = (inked[0], inked[-1]) if len(inked) > 1 else (0, len(strokes) - 1)
    start, stop = (first + round((last - first) * bound) for bound in _SPLIT_BAND)
    if stop <= start:
        return len(strokes) // 2
    return start + int(np.argmin(strokes[start:stop]))


def _surroundings(line: TextBox, shape: tuple[int, ...]) -> list[tuple[slice, slice]]:
    """Where the rest of a plate may be, around a line that is part of one: as slices of the frame.

    First the line widened (a Chinese province character or Vietnamese province number the detector left out),
    then with a row's room above it and below it (a two-row plate's row whose other row was missed).
    """
    h = line.height
    widened = (line.left - 1.0 * h, line.top - 0.15 * h, line.right + 0.3 * h, line.bottom + 0.15 * h)
    raised = (line.left - 0.6 * h, line.top - 1.1 * h, line.right + 0.6 * h, line.bottom + 0.1 * h)
    lowered = (line.left - 1.0 * h, line.top - 0.1 * h, line.right + 1.0 * h, line.bottom + 1.1 * h)
    return [_clipped(area, shape) for area in (widened, raised, lowered)]


def _clipped(area: Box, shape: tuple[int, ...]) -> tuple[slice, slice]:
    left, top, right, bottom = area
    height, width = shape[:2]
    return (slice(max(0, round(top)), min(height, round(bottom))),
            slice(max(0, round(left)), min(width, round(right))))
