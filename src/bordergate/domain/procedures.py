"""Administrative procedures as published data, and the one ranking of a search so every database agrees."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.domain.text_folding import fold, words

LEVELS = ("full_online", "partly_online", "in_person")  # "dịch vụ công trực tuyến toàn trình / một phần", at the desk
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
# Weights of a query word found in each part of a procedure: the name says what it is, keywords what people call it.
NAME, KEYWORD, OTHER = 3, 2, 1
PHRASE = 5  # what was typed stands whole in the name or a keyword: people's own wording


@dataclass(frozen=True)
class Folded:
    """A procedure's folded words by part, and its name and keywords padded for whole-phrase matching."""

    name: frozenset[str]
    keywords: frozenset[str]
    everything: frozenset[str]
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Procedure:
    """One administrative procedure: what to bring, what it costs, how long it takes, where to go."""

    code: str
    name: str
    agency: str
    documents: tuple[str, ...]
    fee_text: str
    fee_vnd: int | None
    time_limit_text: str
    time_limit_working_days: int | None
    where_to_apply: str
    level: str
    keywords: tuple[str, ...]

    @cached_property
    def search_text(self) -> str:
        """Everything a search may match, folded: what the database indexes."""
        parts = [self.code, self.name, self.agency, *self.documents, self.where_to_apply, *self.keywords]
        return " ".join(fold(p) for p in parts if p)

    @cached_property
    def folded(self) -> Folded:
        """The procedure's words as a search compares them, folded once (a search scores every candidate)."""
        keywords = tuple(fold(k) for k in self.keywords)
        return Folded(frozenset(words(self.name)), frozenset(w for k in keywords for w in k.split(" ") if w),
                      frozenset(self.search_text.split(" ")), (f" {fold(self.name)} ", *(f" {k} " for k in keywords)))

    def as_document(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "agency": self.agency, "documents": list(self.documents),
                "fee_text": self.fee_text, "fee_vnd": self.fee_vnd, "time_limit_text": self.time_limit_text,
                "time_limit_working_days": self.time_limit_working_days, "where_to_apply": self.where_to_apply,
                "level": self.level, "keywords": list(self.keywords)}


@dataclass(frozen=True)
class Catalogue:
    """A published version of the catalogue: procedures, the synonyms people use, words a search ignores."""

    version: str
    note: str
    procedures: tuple[Procedure, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    ignored_words: frozenset[str] = field(default_factory=frozenset)

    def as_document(self) -> dict[str, Any]:
        return {"version": self.version, "note": self.note, "synonyms": [list(s) for s in self.synonyms],
                "ignored_words": sorted(self.ignored_words), "procedures": [p.as_document() for p in self.procedures]}


Alternative = tuple[str, ...]  # the words of one way of saying a thing


@dataclass(frozen=True)
class Query:
    """A search as typed, folded into concepts: each a word, or a synonym group's ways of saying one thing."""

    typed: str
    concepts: tuple[tuple[Alternative, ...], ...]

    @property
    def words(self) -> tuple[str, ...]:
        """Every word any alternative uses, once: what the database is asked for (any of them)."""
        return tuple(dict.fromkeys(w for c in self.concepts for a in c for w in a))

    @property
    def empty(self) -> bool:
        return not self.concepts


def read_query(text: str, synonyms: tuple[tuple[str, ...], ...] = (),
               ignored: frozenset[str] = frozenset()) -> Query:
    """Fold what was typed and read it left to right: the longest synonym phrase starting at each word is one
    concept with all its group's alternatives ("gplx" ~ "giay phep lai xe"); other words are concepts of their own,
    except the words a search ignores ("thu tuc", "o dau")."""
    typed = words(text)[:30]
    groups = [tuple(tuple(words(s)) for s in g) for g in synonyms]
    phrases = sorted(((a, g) for g in groups for a in g if a), key=lambda ag: -len(ag[0]))
    concepts: list[tuple[Alternative, ...]] = []
    at = 0
    while at < len(typed):
        found = next(((a, g) for a, g in phrases if tuple(typed[at:at + len(a)]) == a), None)
        if found is not None:
            concepts.append(found[1])
            at += len(found[0])
            continue
        if typed[at] not in ignored:
            concepts.append(((typed[at],),))
        at += 1
    return Query(" ".join(typed), tuple(dict.fromkeys(concepts)))


def score(procedure: Procedure, query: Query) -> int:
    """How well a procedure answers a query: each concept by the best part of the procedure that holds all the words
    of one of its alternatives, plus a bonus when what was typed stands whole in the name or a keyword."""
    folded = procedure.folded
    parts = ((NAME, folded.name), (KEYWORD, folded.keywords), (OTHER, folded.everything))
    total = 0
    for concept in query.concepts:
        total += max((weight for weight, held in parts for a in concept if held.issuperset(a)), default=0)
    if total and " " in query.typed and any(f" {query.typed} " in p for p in folded.phrases):
        total += PHRASE
    return total


def rank(candidates: list[Procedure], query: Query, limit: int = 20) -> list[Procedure]:
    """The one ordering of a search, whichever database found the candidates: best score, then the name with fewest
    words the query did not ask for (the general procedure before its special cases), then the code; procedures
    scoring under a third of the best are left out."""
    scored = [(score(p, query), p) for p in candidates]
    best = max((s for s, _ in scored), default=0)
    # A procedure matching a third of what the best one matches is noise on a phone's screen, not an answer.
    kept = [(s, p) for s, p in scored if s > 0 and 3 * s >= best]
    asked = set(query.words)
    kept.sort(key=lambda sp: (-sp[0], len(sp[1].folded.name - asked), sp[1].code))
    return [p for _, p in kept[:limit]]


def read_catalogue(document: dict[str, Any]) -> Catalogue:
    """A catalogue from its published document; Invalid naming each bad field."""
    problems: list[FieldProblem] = []
    version = document.get("version")
    if not isinstance(version, str) or not 1 <= len(version) <= 40:
        problems.append(FieldProblem("version", "must be a text of 1-40 characters, e.g. lang-son-2026-1"))
    raw = document.get("procedures")
    if not isinstance(raw, list) or not raw:
        problems.append(FieldProblem("procedures", "must list at least one procedure"))
        raw = []
    procedures = [p for i, item in enumerate(raw) if (p := _procedure(item, f"procedures[{i}]", problems))]
    codes = [p.code for p in procedures]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(FieldProblem("procedures", f"the code {code} is used twice; each code names one procedure"))
    synonyms = document.get("synonyms") or []
    if not isinstance(synonyms, list) or not all(isinstance(g, list) and len(g) > 1 and
                                                 all(isinstance(s, str) and fold(s) for s in g) for g in synonyms):
        problems.append(FieldProblem("synonyms", "must be a list of groups of two or more phrases"))
        synonyms = []
    ignored = document.get("ignored_words") or []
    if not isinstance(ignored, list) or not all(isinstance(w, str) for w in ignored):
        problems.append(FieldProblem("ignored_words", "must be a list of words"))
        ignored = []
    if problems:
        raise Invalid(problems)
    return Catalogue(str(version), str(document.get("note") or ""), tuple(procedures),
                     tuple(tuple(g) for g in synonyms), frozenset(fold(w) for w in ignored))


def _procedure(item: Any, at: str, problems: list[FieldProblem]) -> Procedure | None:
    if not isinstance(item, dict):
        problems.append(FieldProblem(at, "must be an object"))
        return None
    before = len(problems)

    def text(name: str, longest: int = 500) -> str:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > longest:
            problems.append(FieldProblem(f"{at}.{name}", f"must be a text of 1-{longest} characters"))
            return ""
        return value.strip()

    def texts(name: str) -> tuple[str, ...]:
        value = item.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(FieldProblem(f"{at}.{name}", "must be a list of texts"))
            return ()
        return tuple(v.strip() for v in value)

    def whole(name: str) -> int | None:
        value = item.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            problems.append(FieldProblem(f"{at}.{name}", "must be a whole number of 0 or more, or null"))
            return None
        return value

    code = text("code", 40)
    if code and (not 3 <= len(code) or not set(code) <= CODE_CHARS):
        problems.append(FieldProblem(f"{at}.code", "must be 3-40 characters A-Z, 0-9, '.', '-'"))
    level = item.get("level")
    if level not in LEVELS:
        problems.append(FieldProblem(f"{at}.level", f"must be one of: {', '.join(LEVELS)}"))
    procedure = Procedure(code, text("name", 300), text("agency", 200), texts("documents"), text("fee_text"),
                          whole("fee_vnd"), text("time_limit_text"), whole("time_limit_working_days"),
                          text("where_to_apply"), str(level), texts("keywords"))
    return procedure if len(problems) == before else None
