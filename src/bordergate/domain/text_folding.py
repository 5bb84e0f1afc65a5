"""Vietnamese text folded the way people type it without diacritics: "Đăng ký khai sinh" -> "dang ky khai sinh"."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Đ is a letter of its own, not D with a mark: NFD leaves it whole, so it is mapped by hand.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)  # a catalogue's texts are folded again with every search that finds them
def fold(text: str) -> str:
    """Lowercase ASCII words separated by single spaces: marks dropped, đ -> d, punctuation to spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NOT_WORD.sub(" ", bare).strip()


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    return folded.split(" ") if folded else []
