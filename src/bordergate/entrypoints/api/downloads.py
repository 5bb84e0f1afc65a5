"""Content-Disposition for every file bordergate hands out, built in one place so no name can break the header."""
from __future__ import annotations

import re
import unicodedata
from typing import Literal
from urllib.parse import quote

# What goes between the quotes of filename="...": letters, digits and . _ - only. Quotes, semicolons, backslashes
# and control characters would end the header's value or start another parameter (a second filename, or a
# response split); anything else is replaced, so the header is always one well-formed value.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LONGEST = 120


def disposition(filename: str, *, inline: bool = False) -> dict[str, str]:
    """The Content-Disposition header for a download named ``filename`` (RFC 6266): a safe ASCII ``filename``,
    and ``filename*`` (UTF-8) beside it when the name had printable characters beyond ASCII."""
    kind: Literal["inline", "attachment"] = "inline" if inline else "attachment"
    printable = "".join(c for c in filename if unicodedata.category(c)[0] != "C")
    stem, dot, extension = printable.rpartition(".")
    if not dot:
        stem, extension = printable, ""
    safe_extension = _UNSAFE.sub("", extension)[:10]
    safe_stem = _UNSAFE.sub("_", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode())
    safe_stem = safe_stem.strip("._")[:_LONGEST] or "download"
    safe = f"{safe_stem}.{safe_extension}" if safe_extension else safe_stem
    value = f'{kind}; filename="{safe}"'
    if not printable.isascii():
        value += f"; filename*=UTF-8''{quote(printable, safe='')}"
    return {"content-disposition": value}
