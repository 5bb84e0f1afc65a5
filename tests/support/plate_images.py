"""Generated licence-plate pictures, seeded: Vietnamese one- and two-row and Chinese plates, as a camera sees them.

Drawn with PIL from the fonts Debian installs (DejaVu Sans Bold, WenQuanYi Zen Hei from fonts-wqy-zenhei); nothing is
downloaded. A plate is drawn at 2 px/mm to its regulation proportions, then scaled, tilted, put in perspective,
either cropped tight (what an ANPR box posts) or placed on a truck's front in a camera frame, blurred, noised and
saved as JPEG, the way a camera sends it.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PX_PER_MM = 2

VN_PROVINCES = ["12"] * 6 + ["29", "30", "51", "98", "14", "15", "34", "36", "37", "43", "20", "88", "99"]
VN_SERIES = ["C"] * 5 + ["H"] * 2 + ["LD", "D", "B", "G", "K", "E", "F", "R", "RM", "KT", "A", "M"]
CN_PREFIXES = ["桂F"] * 6 + ["桂A", "桂B", "桂K", "粤B", "粤A", "云A", "湘A", "川A", "闽D", "浙B", "鲁B"]
CN_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

WHITE, BLACK = (240, 240, 236), (20, 20, 22)
YELLOW = (246, 196, 30)
CN_BLUE = (14, 64, 180)
# Text a truck carries besides its plate: a reader must not take it for one.
CAB_WORDS = ["VAN TAI", "HOWO", "DONGFENG", "0912.345.678", "HINO", "CHENGLONG", "重汽", "货运", "12 TAN",
             "SDT 0205.3871.234"]


class PlateKind(StrEnum):
    """The plate layouts a camera at Lang Son sees."""

    VN_ONE_ROW = "vn_one_row"
    VN_TWO_ROW = "vn_two_row"
    CN = "cn"


@dataclass(frozen=True)
class PlateDesign:
    """What is printed on one plate: its rows of text, colours, and the compact key a reader should return."""

    kind: PlateKind
    rows: tuple[str, ...]
    compact: str
    background: tuple[int, int, int]
    ink: tuple[int, int, int]


@dataclass(frozen=True)
class Conditions:
    """How the camera saw the plate: its scale, tilt, perspective, blur, noise and the framing.

    Scale is in pixels per millimetre, so one camera shows a two-row plate (165 mm high) taller than a one-row one
    (110 mm): 0.5 px/mm makes a one-row Vietnamese plate 55 px high, its characters 40 px.
    """

    px_per_mm: float = 0.5
    rotation: float = 0.0
    perspective: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    frame: bool = False
    frame_size: tuple[int, int] = (1280, 720)
    jpeg_quality: int = 90
    cab_text: bool = True


def a_plate(kind: PlateKind, rng: random.Random, *, commercial: bool | None = None) -> PlateDesign:
    """A random plate of one kind: Vietnamese ones 60% commercial (yellow), a third of Chinese ones trucks' yellow."""
    if kind is PlateKind.CN:
        return _chinese_plate(rng)
    province, series = rng.choice(VN_PROVINCES), rng.choice(VN_SERIES)
    digits = "".join(rng.choices("0123456789", k=4 if rng.random() < 0.1 else 5))
    number = f"{digits[:3]}.{digits[3:]}" if len(digits) == 5 else digits
    if commercial is None:
        commercial = rng.random() < 0.6
    background = YELLOW if commercial else WHITE
    if kind is PlateKind.VN_ONE_ROW:
        rows = (f"{province}{series}-{number}",)
    else:
        rows = (f"{province}-{series}" if len(series) == 2 else f"{province}{series}", number)
    return PlateDesign(kind, rows, f"{province}{series}{digits}", background, BLACK)


def _chinese_plate(rng: random.Random) -> PlateDesign:
    prefix = rng.choice(CN_PREFIXES)
    body = "".join(rng.choices("0123456789", k=5))
    if rng.random() < 0.4:
        at = rng.randrange(5)
        body = body[:at] + rng.choice(CN_LETTERS) + body[at + 1:]
    if rng.random() < 0.35:
        return PlateDesign(PlateKind.CN, (f"{prefix}·{body}",), prefix + body, YELLOW, BLACK)
    return PlateDesign(PlateKind.CN, (f"{prefix}·{body}",), prefix + body, CN_BLUE, WHITE)


def vn_plate(text: str, *, commercial: bool = True) -> PlateDesign:
    """A given Vietnamese plate: one row like "12C-123.45", two rows like "12C/123.45" (the slash splits the rows)."""
    rows = tuple(text.split("/"))
    kind = PlateKind.VN_ONE_ROW if len(rows) == 1 else PlateKind.VN_TWO_ROW
    key = "".join(rows).replace("-", "").replace(".", "")
    return PlateDesign(kind, rows, key, YELLOW if commercial else WHITE, BLACK)


def cn_plate(text: str, *, truck: bool = False) -> PlateDesign:
    """A given Chinese plate like "桂F·12345": blue with white characters, or yellow with black for a large truck."""
    key = text.replace("·", "")
    colours = (YELLOW, BLACK) if truck else (CN_BLUE, WHITE)
    return PlateDesign(PlateKind.CN, (text,), key, *colours)


def random_conditions(rng: random.Random, *, frame: bool) -> Conditions:
    """Conditions a gate camera meets on an ordinary day: mostly fair, sometimes tilted, blurred or grainy."""
    return Conditions(
        px_per_mm=rng.uniform(0.3, 0.65) if frame else rng.uniform(0.36, 1.0),
        rotation=rng.uniform(-5, 5) if rng.random() < 0.6 else 0.0,
        perspective=rng.uniform(0, 0.12) if rng.random() < 0.4 else 0.0,
        blur=rng.uniform(0.3, 1.6) if rng.random() < 0.5 else 0.0,
        noise=rng.uniform(3, 14) if rng.random() < 0.5 else 0.0,
        frame=frame,
    )


def hard_conditions(rng: random.Random, *, frame: bool) -> Conditions:
    """Conditions past what a gate camera should be installed for: small, steep, soft, grainy and over-compressed."""
    return Conditions(
        px_per_mm=rng.uniform(0.22, 0.4) if frame else rng.uniform(0.25, 0.5),
        rotation=rng.choice([-1, 1]) * rng.uniform(4, 10),
        perspective=rng.uniform(0.08, 0.2),
        blur=rng.uniform(1.0, 2.5),
        noise=rng.uniform(10, 25),
        frame=frame,
        jpeg_quality=rng.randint(40, 70),
    )


def picture(design: PlateDesign, conditions: Conditions = Conditions(), seed: int = 0) -> bytes:
    """The JPEG a camera would post of this plate: a tight plate crop, or a whole frame with the truck in it."""
    rng = random.Random(seed)
    plate = _transformed(_draw(design), conditions, rng)
    image = _in_frame(plate, conditions, rng) if conditions.frame else _cropped(plate, rng)
    if conditions.blur:
        image = image.filter(ImageFilter.GaussianBlur(conditions.blur))
    if conditions.noise:
        image = _noisy(image, conditions.noise, seed)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=conditions.jpeg_quality)
    return out.getvalue()


def lettering(text: str, *, size: tuple[int, int] = (640, 360), seed: int = 0) -> bytes:
    """A JPEG of a truck's lettering and nothing else: a name, a phone number, a load limit; no plate."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randint(150, 220),) * 3)
    font = _font(CJK_FONT if not text.isascii() else LATIN_FONT, size[1] // 8)
    ImageDraw.Draw(image).text((size[0] // 10, size[1] // 3), text, font=font, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


# Drawing the plate at 2 px/mm


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: apt-get install fonts-dejavu-core fonts-wqy-zenhei")
    return ImageFont.truetype(str(path), size)


def _draw(design: PlateDesign) -> Image.Image:
    if design.kind is PlateKind.CN:
        return _draw_chinese(design)
    two_rows = design.kind is PlateKind.VN_TWO_ROW
    size = (330, 165) if two_rows else (520, 110)
    plate = _blank(size, design.background, design.ink, border_mm=4)
    if two_rows:
        _text_in_box(plate, design.rows[0], LATIN_FONT, (30, 12, 300, 78), design.ink)
        _text_in_box(plate, design.rows[1], LATIN_FONT, (15, 88, 315, 154), design.ink)
    else:
        _text_in_box(plate, design.rows[0], LATIN_FONT, (18, 14, 502, 96), design.ink)
    return plate


def _draw_chinese(design: PlateDesign) -> Image.Image:
    """GA 36: seven 45x90 mm characters, 12 mm apart, a 10 mm dot in a 34 mm gap after the city letter."""
    plate = _blank((440, 140), design.background, design.ink, border_mm=3)
    characters = design.compact
    x = 15.5
    for index, character in enumerate(characters):
        font = CJK_FONT if not character.isascii() else LATIN_FONT
        _text_in_box(plate, character, font, (x, 25, x + 45, 115), design.ink, stretch=True)
        x += 45 + (34 if index == 1 else 12)
    dot_x = (15.5 + 2 * 45 + 12 + 17) * PX_PER_MM
    ImageDraw.Draw(plate).ellipse(
        (dot_x - 5 * PX_PER_MM, 65 * PX_PER_MM, dot_x + 5 * PX_PER_MM, 75 * PX_PER_MM), fill=design.ink
    )
    return plate


def _blank(size_mm: tuple[int, int], background, ink, *, border_mm: int) -> Image.Image:
    width, height = (side * PX_PER_MM for side in size_mm)
    plate = Image.new("RGB", (width, height), background)
    inset = 3 * PX_PER_MM
    ImageDraw.Draw(plate).rounded_rectangle(
        (inset, inset, width - inset, height - inset), radius=6 * PX_PER_MM, outline=ink, width=border_mm * PX_PER_MM
    )
    return plate


def _text_in_box(plate: Image.Image, text: str, font: Path, box_mm, ink, *, stretch: bool = False) -> None:
    """Print text filling a box: plate fonts are condensed, so a line too wide is squeezed, never overflows."""
    mask = Image.new("L", (len(text) * 260, 320), 0)
    ImageDraw.Draw(mask).text((20, 20), text, font=_font(font, 240), fill=255)
    mask = mask.crop(mask.getbbox())
    left, top, right, bottom = (round(v * PX_PER_MM) for v in box_mm)
    box_w, box_h = right - left, bottom - top
    if stretch:
        scale_w, scale_h = box_w / mask.width, box_h / mask.height
        scale_w = min(scale_w, scale_h)  # narrow glyphs like 1 keep their shape, centred in their slot
    else:
        scale_h = box_h / mask.height
        scale_w = min(scale_h, box_w / mask.width)
    new_w, new_h = max(1, round(mask.width * scale_w)), max(1, round(mask.height * scale_h))
    mask = mask.resize((new_w, new_h), Image.LANCZOS)
    plate.paste(ink, (left + (box_w - new_w) // 2, top + (box_h - new_h) // 2), mask)


# How the camera sees it


def _transformed(plate: Image.Image, conditions: Conditions, rng: random.Random) -> Image.Image:
    """The plate scaled to its height in the picture, put in perspective and tilted, on a transparent layer."""
    scale = conditions.px_per_mm / PX_PER_MM
    size = (round(plate.width * scale), round(plate.height * scale))
    plate = plate.convert("RGBA").resize(size, Image.LANCZOS)
    if conditions.perspective:
        plate = _in_perspective(plate, conditions.perspective, rng)
    if conditions.rotation:
        plate = plate.rotate(conditions.rotation, resample=Image.BICUBIC, expand=True)
    return plate


def _in_perspective(plate: Image.Image, amount: float, rng: random.Random) -> Image.Image:
    """Seen from one side: the far edge shrinks by ``amount`` of the height."""
    w, h = plate.size
    d = amount * h
    if rng.random() < 0.5:
        target = [(0, 0), (w, d), (w, h - d), (0, h)]
    else:
        target = [(0, d), (w, 0), (w, h), (0, h - d)]
    source = [(0, 0), (w, 0), (w, h), (0, h)]
    return plate.transform(plate.size, Image.PERSPECTIVE, _perspective_coefficients(target, source), Image.BICUBIC)


def _perspective_coefficients(target, source) -> list[float]:
    rows, rhs = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))


def _cropped(plate: Image.Image, rng: random.Random) -> Image.Image:
    """A tight crop as an ANPR box cuts it: the plate with a few per cent of bumper around it."""
    margin_x = round(plate.width * rng.uniform(0.03, 0.10))
    margin_y = round(plate.height * rng.uniform(0.06, 0.18))
    grey = rng.randint(60, 170)
    image = Image.new("RGB", (plate.width + 2 * margin_x, plate.height + 2 * margin_y), (grey, grey, grey + 5))
    image.paste(plate, (margin_x, margin_y), plate)
    return image


def _in_frame(plate: Image.Image, conditions: Conditions, rng: random.Random) -> Image.Image:
    """A truck's front filling part of a road scene, the plate on its bumper, maybe some lettering on the cab."""
    width, height = conditions.frame_size
    frame = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(frame)
    for y in range(height):  # sky to road
        shade = round(150 + 60 * y / height)
        draw.line([(0, y), (width, y)], fill=(shade - 20, shade - 10, shade))
    truck_w = min(width - 20, plate.width * rng.uniform(3.5, 5.0))
    truck_left = rng.uniform(10, width - truck_w - 10)
    truck_top = rng.uniform(0.05, 0.2) * height
    bumper_y = min(height - plate.height - 20, truck_top + truck_w * 0.75)
    colour = rng.choice([(180, 30, 30), (30, 70, 160), (220, 220, 215), (40, 120, 60), (200, 150, 30)])
    draw.rectangle((truck_left, truck_top, truck_left + truck_w, bumper_y + plate.height * 1.6), fill=colour)
    draw.rectangle((truck_left + truck_w * 0.08, truck_top + truck_w * 0.05, truck_left + truck_w * 0.92,
                    truck_top + truck_w * 0.32), fill=(45, 55, 65))  # windscreen
    for line in range(6):  # grille
        y = truck_top + truck_w * (0.42 + 0.04 * line)
        draw.line([(truck_left + truck_w * 0.3, y), (truck_left + truck_w * 0.7, y)], fill=(30, 30, 30), width=4)
    for side in (0.06, 0.8):  # headlights
        x = truck_left + truck_w * side
        draw.rectangle((x, bumper_y - truck_w * 0.12, x + truck_w * 0.14, bumper_y - truck_w * 0.05),
                       fill=(235, 235, 220))
    if conditions.cab_text and rng.random() < 0.7:
        _cab_lettering(frame, rng, truck_left, truck_top, truck_w, plate.height)
    plate_x = truck_left + truck_w / 2 - plate.width / 2 + rng.uniform(-0.15, 0.15) * truck_w
    frame.paste(plate, (round(plate_x), round(bumper_y)), plate)
    return frame


def _cab_lettering(frame: Image.Image, rng: random.Random, left: float, top: float, width: float, size: int) -> None:
    words = rng.choice(CAB_WORDS)
    font = _font(CJK_FONT if not words.isascii() else LATIN_FONT, max(12, round(size * rng.uniform(0.4, 0.8))))
    ImageDraw.Draw(frame).text((left + width * 0.3, top + width * 0.35), words, font=font, fill=(250, 250, 250))


def _noisy(image: Image.Image, sigma: float, seed: int) -> Image.Image:
    """Sensor grain: Gaussian noise, the same in the three channels as a cheap night-time sensor gives."""
    pixels = np.asarray(image, dtype=np.float32)
    grain = np.random.default_rng(seed).normal(0, sigma, pixels.shape[:2])[..., None]
    return Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8))
