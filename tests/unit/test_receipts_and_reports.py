"""Receipts as PDFs a payer can keep and check, and the reconciliation report as CSV and XLSX an accountant opens."""
from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bordergate.adapters import receipts
from bordergate.adapters.receipts import Receipt, render_receipt, without_diacritics
from bordergate.adapters.reports import to_csv, to_xlsx

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_dejavu = pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed")


def a_receipt(**changes) -> Receipt:
    receipt = Receipt(
        number="BL2026-000042",
        issued_at=datetime(2026, 11, 27, 1, 5, tzinfo=UTC),
        issuer="Trung tâm Quản lý cửa khẩu Lạng Sơn",
        payer="Công ty TNHH Xuất nhập khẩu Đồng Đăng",
        payer_tax_code="4900123456",
        reference="TK-2026-11-000731",
        crossing_point="Hữu Nghị",
        tractor_plate="12C-345.67",
        amount_vnd=4_000_000,
        method="Tiền mặt tại quầy",
        tariff_version="LS-2025-09",
        lines=(("40-foot container, fresh fruit and vegetables (line 3a)", 4_000_000),),
        verify_url="https://cuakhau.example.vn/bien-lai/BL2026-000042?c=7f3a",
    )
    return replace(receipt, **changes)


def read_pdf(document: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(document))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def no_unicode_font(monkeypatch, tmp_path):
    monkeypatch.setenv(receipts.FONT_ENV, str(tmp_path / "missing.ttf"))
    monkeypatch.setattr(receipts, "SYSTEM_FONT_DIR", tmp_path / "no-fonts-here")
    monkeypatch.setattr(receipts, "_matplotlib_font_dir", lambda: None)


@needs_dejavu
def test_a_receipt_is_one_pdf_page_with_its_number_amount_reference_and_vietnamese_intact(monkeypatch):
    monkeypatch.delenv(receipts.FONT_ENV, raising=False)
    document = render_receipt(a_receipt())
    reader, text = read_pdf(document)
    assert document.startswith(b"%PDF")
    assert len(reader.pages) == 1
    assert "BL2026-000042" in text
    assert "4,000,000 VND" in text
    assert "TK-2026-11-000731" in text
    assert "BIÊN LAI THU PHÍ" in text
    assert "Công ty TNHH Xuất nhập khẩu Đồng Đăng" in text
    assert reader.metadata.title == "BL2026-000042"


@needs_dejavu
def test_the_receipt_prints_the_issue_time_in_vietnam_time_and_every_assessment_line(monkeypatch):
    monkeypatch.delenv(receipts.FONT_ENV, raising=False)
    lines = (("40-foot container (line 3a)", 5_000_000), ("ceiling of the schedule", 4_000_000))
    _, text = read_pdf(render_receipt(a_receipt(issued_at=datetime(2026, 12, 31, 17, 30, tzinfo=UTC), lines=lines)))
    assert "01/01/2027 00:30" in text
    assert "40-foot container (line 3a)" in text and "5,000,000 VND" in text
    assert "ceiling of the schedule" in text


@needs_dejavu
def test_the_font_named_in_the_environment_is_used_first(monkeypatch):
    monkeypatch.setenv(receipts.FONT_ENV, str(DEJAVU.with_name("DejaVuSerif.ttf")))
    regular, bold = receipts.receipt_fonts()
    assert regular.name == "DejaVuSerif.ttf" and bold.name == "DejaVuSerif-Bold.ttf"
    reader, text = read_pdf(render_receipt(a_receipt()))
    assert "BIÊN LAI" in text
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].get_object().values()}
    assert any("DejaVuSerif" in name for name in fonts)


def test_without_a_unicode_font_the_receipt_still_prints_with_the_diacritics_stripped(no_unicode_font):
    assert receipts.receipt_fonts() is None
    document = render_receipt(a_receipt())
    reader, text = read_pdf(document)
    assert document.startswith(b"%PDF") and len(reader.pages) == 1
    assert "BIEN LAI THU PHI" in text
    assert "Cong ty TNHH Xuat nhap khau Dong Dang" in text
    assert "BL2026-000042" in text and "4,000,000 VND" in text
    assert "Biên" not in text and "Đồng" not in text


def test_stripping_diacritics_keeps_vietnamese_readable_and_never_fails():
    assert without_diacritics("Đường Hữu Nghị, đèo") == "Duong Huu Nghi, deo"
    assert without_diacritics("凭祥 Pingxiang") == "?? Pingxiang"


@pytest.mark.parametrize("font", ["unicode", "fallback"])
def test_the_receipt_carries_the_qr_code_to_verify_it(font, request):
    if font == "fallback":
        request.getfixturevalue("no_unicode_font")
    elif not DEJAVU.is_file():
        pytest.skip("DejaVu Sans is not installed")
    reader, text = read_pdf(render_receipt(a_receipt()))
    assert len(reader.pages[0].images) == 1
    assert "Scan to verify" in text


def test_a_receipt_time_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        a_receipt(issued_at=datetime(2026, 11, 27, 8, 5))


SUMMARY_COLUMNS = ["method", "payments", "amount_vnd"]
DETAIL_COLUMNS = ["receipt", "payer", "paid_at", "amount_vnd"]
SUMMARY = [{"method": "Tiền mặt tại quầy", "payments": 2, "amount_vnd": 8_000_000},
           {"method": "Thanh toán trực tuyến", "payments": 1, "amount_vnd": 1_234_000}]
DETAIL = [{"receipt": "BL2026-000042", "payer": "Công ty Đồng Đăng", "amount_vnd": 4_000_000,
           "paid_at": datetime(2026, 11, 27, 1, 5, tzinfo=UTC)},
          {"payer": "Công ty Hữu Nghị", "receipt": "BL2026-000043", "amount_vnd": 4_000_000, "note": "not a column"}]


def read_csv(document: bytes) -> list[list[str]]:
    assert document.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(document[3:].decode("utf-8"), newline="")))


def test_the_csv_has_the_summary_a_blank_line_then_the_detail_in_the_given_columns():
    rows = read_csv(to_csv(SUMMARY, DETAIL, summary_columns=SUMMARY_COLUMNS, detail_columns=DETAIL_COLUMNS))
    assert rows[:3] == [SUMMARY_COLUMNS, ["Tiền mặt tại quầy", "2", "8000000"],
                        ["Thanh toán trực tuyến", "1", "1234000"]]
    assert rows[3] == []
    assert rows[4] == DETAIL_COLUMNS
    assert rows[5][:2] == ["BL2026-000042", "Công ty Đồng Đăng"] and rows[5][3] == "4000000"
    assert rows[6] == ["BL2026-000043", "Công ty Hữu Nghị", "", "4000000"]
    assert len(rows) == 7


def test_an_empty_report_is_still_a_csv_with_its_headers():
    rows = read_csv(to_csv([], [], summary_columns=SUMMARY_COLUMNS, detail_columns=DETAIL_COLUMNS))
    assert rows == [SUMMARY_COLUMNS, [], DETAIL_COLUMNS]


def test_without_columns_the_csv_header_follows_the_rows_keys():
    rows = read_csv(to_csv(SUMMARY, []))
    assert rows[0] == ["method", "payments", "amount_vnd"] and rows[-1] == []


def open_workbook(document: bytes):
    return load_workbook(io.BytesIO(document))


def test_the_workbook_has_a_summary_and_a_detail_sheet_with_bold_frozen_headers():
    book = open_workbook(to_xlsx(SUMMARY, DETAIL, summary_columns=SUMMARY_COLUMNS, detail_columns=DETAIL_COLUMNS))
    assert book.sheetnames == ["Summary", "Detail"]
    for sheet, columns in ((book["Summary"], SUMMARY_COLUMNS), (book["Detail"], DETAIL_COLUMNS)):
        assert [cell.value for cell in sheet[1]] == columns
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
    assert book["Detail"].column_dimensions["B"].width >= len("Công ty Đồng Đăng")


def test_money_in_the_workbook_is_a_number_with_thousands_separators():
    book = open_workbook(to_xlsx(SUMMARY, DETAIL, summary_columns=SUMMARY_COLUMNS, detail_columns=DETAIL_COLUMNS))
    amount = book["Summary"]["C3"]
    assert amount.value == 1_234_000 and type(amount.value) is int
    assert amount.number_format == "#,##0"
    assert type(book["Summary"]["B2"].value) is int
    assert book["Detail"]["D2"].value == 4_000_000 and type(book["Detail"]["D2"].value) is int
    assert book["Detail"]["C2"].value == datetime(2026, 11, 27, 8, 5)  # Vietnam time: Excel knows no zones
    assert book["Detail"]["C3"].value is None


def test_an_empty_detail_gives_a_sheet_with_only_its_header():
    book = open_workbook(to_xlsx(SUMMARY, [], summary_columns=SUMMARY_COLUMNS, detail_columns=DETAIL_COLUMNS))
    detail = book["Detail"]
    assert detail.max_row == 1
    assert [cell.value for cell in detail[1]] == DETAIL_COLUMNS
    assert book["Summary"].max_row == 3
