"""Fee receipts (biên lai) as one-page A5 PDFs with bilingual labels and a QR code to verify them online."""
from __future__ import annotations

import importlib.util
import io
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from bordergate.adapters.qr import qr_png
from bordergate.domain.capacity import GATE_TIME

if TYPE_CHECKING:
    from fpdf import FPDF

log = structlog.get_logger(__name__)

FONT_ENV = "BORDERGATE_RECEIPT_FONT"
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
FAMILY = "receipt"
QR_SIZE_MM = 30


@dataclass(frozen=True)
class Receipt:
    """What a paid fee's receipt shows: who paid what for which declaration, how the fee was assessed, and the
    address where anyone holding the paper can check it is genuine."""

    number: str
    issued_at: datetime
    issuer: str
    payer: str
    payer_tax_code: str | None
    reference: str
    crossing_point: str
    tractor_plate: str
    amount_vnd: int
    method: str
    tariff_version: str
    lines: tuple[tuple[str, int], ...]
    verify_url: str

    def __post_init__(self) -> None:
        # A naive time would be printed as if it were the server's local time, which is not the gate's.
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("a receipt's issued_at must be timezone-aware")


def money(amount_vnd: int) -> str:
    """Whole VND as receipts and reports print it: 1,234,000 VND."""
    return f"{amount_vnd:,} VND"


def receipt_fonts() -> tuple[Path, Path] | None:
    """The regular and bold TTF for receipts: the one named by BORDERGATE_RECEIPT_FONT, else DejaVu Sans from the
    system or matplotlib; None when there is none (receipts then print without diacritics)."""
    configured = os.environ.get(FONT_ENV)
    if configured:
        regular = Path(configured)
        if regular.is_file():
            bold = regular.with_name(f"{regular.stem}-Bold{regular.suffix}")
            return regular, bold if bold.is_file() else regular
        log.warning("receipt_font_missing", path=configured, env=FONT_ENV)
    for folder in (SYSTEM_FONT_DIR, _matplotlib_font_dir()):
        if folder is not None and (folder / REGULAR).is_file():
            bold = folder / BOLD
            return folder / REGULAR, bold if bold.is_file() else folder / REGULAR
    return None


def _matplotlib_font_dir() -> Path | None:
    # find_spec rather than import: matplotlib takes seconds to import and we only want its bundled DejaVu files.
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def without_diacritics(text: str) -> str:
    """Vietnamese readable in a Latin-1 core font: Biên lai -> Bien lai, Đồng -> Dong; anything else unprintable
    becomes '?' rather than stopping the receipt."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.encode("latin-1", errors="replace").decode("latin-1")


def render_receipt(receipt: Receipt) -> bytes:
    """The receipt as a one-page A5 PDF, titled with its number."""
    # Imported here: the PDF library (and the numpy it loads) is 0.6 s of every start-up, the demo's included,
    # for a document printed a few times an hour.
    from fpdf import FPDF
    pdf = FPDF(orientation="P", unit="mm", format=(148, 210))  # A5; the name warns since fpdf2 2.8.5
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=12)
    fonts = receipt_fonts()
    if fonts is None:
        log.warning("receipt_font_fallback", hint=f"install fonts-dejavu-core or set {FONT_ENV}")
        family, fit = "helvetica", without_diacritics
    else:
        pdf.add_font(FAMILY, "", str(fonts[0]))
        pdf.add_font(FAMILY, "B", str(fonts[1]))
        family, fit = FAMILY, _as_is
    pdf.set_title(receipt.number)
    pdf.set_subject(fit("Biên lai thu phí / Fee receipt"))
    pdf.set_author(fit(receipt.issuer))
    pdf.add_page()
    _heading(pdf, receipt, family, fit)
    _particulars(pdf, receipt, family, fit)
    _assessment(pdf, receipt, family, fit)
    return bytes(pdf.output())


def _as_is(text: str) -> str:
    return text


def _heading(pdf: FPDF, receipt: Receipt, family: str, fit: Callable[[str], str]) -> None:
    """Issuer, title and number on the left; the QR code in the top-right corner, where it never runs off the page."""
    left = pdf.epw - QR_SIZE_MM - 4
    top = pdf.get_y()
    qr_x = pdf.l_margin + pdf.epw - QR_SIZE_MM
    pdf.image(io.BytesIO(qr_png(receipt.verify_url)), x=qr_x, y=top, w=QR_SIZE_MM, h=QR_SIZE_MM)
    pdf.set_xy(qr_x - 4, top + QR_SIZE_MM)
    pdf.set_font(family, "", 6.5)
    pdf.cell(QR_SIZE_MM + 8, 3.5, fit("Quét để kiểm tra / Scan to verify"), align="C")
    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font(family, "B", 8)
    pdf.multi_cell(left, 4, fit(receipt.issuer), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "B", 13)
    pdf.multi_cell(left, 6, fit("BIÊN LAI THU PHÍ"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.multi_cell(left, 4.5, fit("Fee receipt: border-gate infrastructure fee"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    pdf.set_font(family, "", 8)
    pdf.cell(left, 4, fit("Số / No."), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 16)
    pdf.cell(left, 8, fit(receipt.number), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE_MM + 4) + 3)


def _particulars(pdf: FPDF, receipt: Receipt, family: str, fit: Callable[[str], str]) -> None:
    issued = receipt.issued_at.astimezone(GATE_TIME).strftime("%d/%m/%Y %H:%M")
    rows = [
        ("Ngày lập / Issued", f"{issued} (UTC+7)"),
        ("Người nộp / Payer", receipt.payer),
        ("Mã số thuế / Tax code", receipt.payer_tax_code or "-"),
        ("Tờ khai / Declaration", receipt.reference),
        ("Cửa khẩu / Crossing point", receipt.crossing_point),
        ("Biển số đầu kéo / Tractor plate", receipt.tractor_plate),
        ("Hình thức / Payment method", receipt.method),
        ("Biểu phí / Tariff", receipt.tariff_version),
    ]
    label_width = 46
    for label, value in rows:
        pdf.set_font(family, "", 8)
        pdf.cell(label_width, 5, fit(label))
        pdf.set_font(family, "B", 9)
        pdf.multi_cell(pdf.epw - label_width, 5, fit(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _assessment(pdf: FPDF, receipt: Receipt, family: str, fit: Callable[[str], str]) -> None:
    pdf.set_font(family, "B", 9)
    pdf.cell(pdf.epw, 5, fit("Cách tính phí / How the fee was assessed"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(family, "", 7.5)
    from fpdf.fonts import FontFace
    headings = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(col_widths=(3, 1), text_align=("LEFT", "RIGHT"), line_height=4, headings_style=headings,
                   padding=1) as table:
        heading = table.row()
        heading.cell(fit("Quy tắc / Rule"))
        heading.cell(fit("Số tiền / Amount"))
        for rule, amount in receipt.lines:
            row = table.row()
            row.cell(fit(rule))
            row.cell(money(amount))
    pdf.ln(4)
    pdf.set_font(family, "B", 12)
    pdf.cell(pdf.epw / 2, 7, fit("Tổng cộng / Total"))
    pdf.cell(pdf.epw / 2, 7, money(receipt.amount_vnd), align="R", new_x="LMARGIN", new_y="NEXT")
