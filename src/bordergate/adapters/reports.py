"""The reconciliation report's files: CSV (summary, a blank line, detail) and an XLSX workbook with one sheet each."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING


from bordergate.domain.capacity import GATE_TIME

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = "#,##0"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 60
Rows = Sequence[dict]


def to_csv(summary: Rows, detail: Rows, *, summary_columns: Sequence[str] | None = None,
           detail_columns: Sequence[str] | None = None) -> bytes:
    """Both tables in one CSV: the summary, a blank line, then the detail; each with its header row. Columns are
    the given ones, in order (a missing key is an empty cell), else the rows' keys in order of first appearance."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    _write_csv_table(writer, summary, columns_of(summary, summary_columns))
    writer.writerow([])
    _write_csv_table(writer, detail, columns_of(detail, detail_columns))
    # The BOM is what makes Excel read the file as UTF-8 rather than the Windows code page, mangling Vietnamese.
    return text.getvalue().encode("utf-8-sig")


def to_xlsx(summary: Rows, detail: Rows, *, summary_columns: Sequence[str] | None = None,
            detail_columns: Sequence[str] | None = None) -> bytes:
    """A workbook with sheets "Summary" and "Detail": bold frozen header, money as numbers with thousands
    separators, columns about as wide as their content. Columns are chosen as for ``to_csv``."""
    # Imported here: openpyxl is 0.3 s of every start-up for a report a cashier downloads once a day.
    from openpyxl import Workbook
    workbook = Workbook()
    _fill_sheet(workbook.active, "Summary", summary, columns_of(summary, summary_columns))
    _fill_sheet(workbook.create_sheet(), "Detail", detail, columns_of(detail, detail_columns))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def columns_of(rows: Rows, given: Sequence[str] | None) -> list[str]:
    """The given columns, or every key the rows use, in the order they first appear."""
    if given is not None:
        return list(given)
    return list(dict.fromkeys(key for row in rows for key in row))


def is_money(column: str) -> bool:
    """Money columns are named for their currency, as everywhere in bordergate (amount_vnd, total_vnd)."""
    return "vnd" in column.lower()


def _write_csv_table(writer, rows: Rows, columns: list[str]) -> None:
    if columns:
        writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(column) is None else row.get(column) for column in columns])


def _fill_sheet(sheet: Worksheet, title: str, rows: Rows, columns: list[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    sheet.title = title
    if not columns:
        return
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(column) for column in columns]
    for row in rows:
        values = [_excel_value(row.get(column)) for column in columns]
        sheet.append(values)
        for index, (column, value, cell) in enumerate(zip(columns, values, sheet[sheet.max_row], strict=True)):
            if isinstance(value, int) and not isinstance(value, bool) and is_money(column):
                cell.number_format = MONEY_FORMAT
                shown = f"{value:,}"
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
                shown = "dd/mm/yyyy hh:mm"
            else:
                shown = "" if value is None else str(value)
            widths[index] = max(widths[index], len(shown))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _excel_value(value: object) -> object:
    # Excel has no time zones (openpyxl refuses aware datetimes): show the gate's local time, as the receipts do.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(GATE_TIME).replace(tzinfo=None)
    if value is None or isinstance(value, (str, int, float, Decimal, date, time)):
        return value
    return str(value)
