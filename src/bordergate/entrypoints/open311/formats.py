"""GeoReport v2's two formats: XML (with its declaration, text/xml) and JSON, the XML mapped as the spec's examples."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from fastapi import Response

from bordergate.domain.errors import NotFound

XML = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
FORMATS = ("xml", "json")
# Characters XML 1.0 cannot carry at all (control characters a pasted text may hold): dropped, or the answer would
# not be well-formed and the client's parser would refuse the whole list.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A list in the JSON is a wrapper element holding one element per item in the XML.
ITEM = {"endpoints": "endpoint", "formats": "format", "services": "service", "attributes": "attribute",
        "values": "value", "service_requests": "request", "errors": "error"}


def format_of(fmt: str) -> str:
    """The path's suffix: xml or json; anything else is not a resource here."""
    if fmt not in FORMATS:
        raise NotFound(f"there is no .{fmt} format; ask for .xml or .json")
    return fmt


def answer(root: str, body: Any, fmt: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """``body`` as the spec shapes it: ``root`` names the XML root (a top-level list is a JSON array)."""
    if fmt == "json":
        return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type=JSON,
                        headers=headers)
    return Response(DECLARATION + ET.tostring(element(root, body), encoding="unicode"), status_code=status,
                    media_type=XML, headers=headers)


def element(tag: str, value: Any) -> ET.Element:
    """One XML element: a dict's keys and a list's items (named by ITEM) become children; None is empty."""
    node = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(element(key, child))
    elif isinstance(value, list):
        for child in value:
            node.append(element(ITEM.get(tag, "item"), child))
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = _NOT_XML.sub("", str(value))
    return node


def errors(status: int, descriptions: list[str], fmt: str, headers: dict[str, str] | None = None) -> Response:
    """The spec's error body: one ``error`` (code, description) per thing wrong."""
    return answer("errors", [{"code": status, "description": d} for d in descriptions], fmt, status, headers)
