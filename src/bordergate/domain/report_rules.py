"""The report categories and the routing table that gives each report to a unit (data, versioned)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bordergate.domain.errors import Invalid, FieldProblem, NotFound

ANY = "*"
COORDINATING_UNIT = "TT_PVHCC"  # the province's public-service centre: the last rule's unit and the coordinator
DISASTER_COMMAND = "BCH_PCTT"  # urgent reports go here at once, whatever the commune rule says
# What a report keeps as its rule index when no rule of the table decided: urgent, or the named unit not registered.
URGENT_RULE = -1
UNREGISTERED_UNIT_RULE = -2


DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")  # Open311's


@dataclass(frozen=True)
class Attribute:
    """A question a category asks, in Open311's service-definition shape (``values`` for the two list types)."""

    code: str
    datatype: str
    description: str
    required: bool = False
    values: tuple[str, ...] = ()

    def read(self, raw: object) -> object:
        """The value as kept, or ValueError saying what is wrong with it."""
        if self.datatype == "multivaluelist":
            chosen = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else None
            if chosen is None or not all(isinstance(v, str) and v in self.values for v in chosen):
                raise ValueError(f"choose any of {', '.join(self.values)}")
            return sorted(set(chosen))
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            raise ValueError("give one value")
        text = str(raw).strip()
        if self.datatype == "singlevaluelist" and text not in self.values:
            raise ValueError(f"choose one of {', '.join(self.values)}")
        if self.datatype == "number":
            try:
                return float(text)
            except ValueError:
                raise ValueError("give a number") from None
        if len(text) > (4000 if self.datatype == "text" else 200):
            raise ValueError("is too long")
        return text


@dataclass(frozen=True)
class Category:
    """What a report is about; ``never_public`` for tips (security, smuggling), fixed by the table."""

    code: str
    group: str
    name_vi: str
    name_en: str
    name_zh: str
    urgent: bool = False
    never_public: bool = False
    answer_working_days: int | None = None
    attributes: tuple[Attribute, ...] = ()
    duplicate_radius_m: int | None = None  # reports this near and this recent are offered as the same problem
    duplicate_window_days: int | None = None

    def read_attributes(self, raw: dict[str, object]) -> dict[str, object]:
        """The answers to the category's questions, each checked; an unknown or bad one is named by its code."""
        problems, kept = [], {}
        known = {a.code: a for a in self.attributes}
        for code in sorted(set(raw) - set(known)):
            problems.append(FieldProblem(f"attributes.{code}", f"is not a question of category {self.code}"))
        for attribute in self.attributes:
            value = raw.get(attribute.code)
            if value in (None, "", [], ()):
                if attribute.required:
                    problems.append(FieldProblem(f"attributes.{attribute.code}", "is required"))
                continue
            try:
                kept[attribute.code] = attribute.read(value)
            except ValueError as exc:
                problems.append(FieldProblem(f"attributes.{attribute.code}", str(exc)))
        if problems:
            raise Invalid(problems)
        return kept


@dataclass(frozen=True)
class Rule:
    """Reports of ``category`` (or any) from ``communes`` (or any) go to ``unit``; ``{commune}`` in the unit is
    the report's commune (UBND_{commune}: the commune's people's committee)."""

    category: str
    communes: tuple[str, ...] | str
    unit: str

    def matches(self, category: str, commune: str | None) -> bool:
        return (self.category in (ANY, category)
                and (self.communes == ANY or (commune is not None and commune in self.communes)))


@dataclass(frozen=True)
class RoutingTable:
    """Ordered rules, first match wins; the last must send anything anywhere to the coordinating unit."""

    version: int
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        last = self.rules[-1] if self.rules else None
        if last is None or last.category != ANY or last.communes != ANY:
            raise Invalid([FieldProblem("rules", "the last rule must send any category from any commune to a "
                                                 f"unit (\"*\", \"*\", {COORDINATING_UNIT}), so no report is lost")])

    def route(self, category: Category, commune: str | None) -> tuple[str, int]:
        """The unit a report goes to and the index of the rule that decided it (urgent: disaster command)."""
        if category.urgent:
            return DISASTER_COMMAND, URGENT_RULE
        for index, rule in enumerate(self.rules):
            if rule.matches(category.code, commune):
                if "{commune}" in rule.unit and commune is None:
                    continue  # a commune's committee needs a commune: the next rule decides
                return rule.unit.format(commune=commune), index
        raise AssertionError("the last rule matches everything")  # checked when the table was made


# Duplicates (design's first guesses, to tune with officers): metres around and days back within which a report of
# the same category is offered as "is it this one?" before filing. Tips and public services have none.
_NEAR = {"truck_queue": (1000, 2), "traffic": (200, 3), "road_damage": (50, 30), "road_danger": (300, 1),
         "landslide": (300, 1), "flood": (300, 1), "fire": (300, 1), "environment": (200, 14),
         "urban_order": (50, 14), "border_gate": (300, 3)}


def _c(code: str, group: str, vi: str, en: str, zh: str, **kw: object) -> Category:
    radius, window = _NEAR.get(code, (None, None))
    return Category(code, group, vi, en, zh, duplicate_radius_m=radius, duplicate_window_days=window,
                    **kw)  # type: ignore[arg-type]


_POINTS = ("HUU_NGHI", "TAN_THANH", "COC_NAM", "CHI_MA")
_GATE = (Attribute("crossing_point", "singlevaluelist", "Crossing point", values=_POINTS),
         Attribute("plate", "string", "The truck's plate"),
         Attribute("declaration_reference", "string", "The declaration's reference (BG...)"))
_AT_RISK = (Attribute("people_at_risk", "singlevaluelist", "Are people at risk?", values=("yes", "no", "unknown")),)


# The seed (design §2); the admin publishes new versions.
CATEGORIES = {c.code: c for c in (
    _c("truck_queue", "traffic", "Ùn tắc xe hàng", "Truck queue", "货车排队", attributes=_GATE),
    _c("traffic", "traffic", "Giao thông", "Traffic", "交通",
       attributes=(Attribute("blocking", "singlevaluelist", "Is the road blocked?", values=("yes", "no")),)),
    _c("road_damage", "roads", "Hư hỏng đường", "Road damage", "道路损坏",
       attributes=(Attribute("hazard", "singlevaluelist", "What is damaged?",
                             values=("pothole", "subsidence", "broken_sign", "street_light")),)),
    _c("road_danger", "emergency", "Nguy hiểm trên đường", "Danger on the road", "道路危险", urgent=True,
       attributes=_AT_RISK),
    _c("landslide", "emergency", "Sạt lở", "Landslide", "山体滑坡", urgent=True, attributes=_AT_RISK),
    _c("flood", "emergency", "Ngập lụt", "Flood", "洪水", urgent=True, attributes=_AT_RISK),
    _c("fire", "emergency", "Cháy", "Fire", "火灾", urgent=True, attributes=_AT_RISK),
    _c("environment", "environment", "Môi trường", "Environment", "环境",
       attributes=(Attribute("kind", "multivaluelist", "What kind of problem?",
                             values=("waste", "smoke", "noise", "water", "smell")),)),
    _c("urban_order", "urban", "Trật tự đô thị", "Urban order", "城市秩序"),
    _c("security_tip", "tips", "Tin báo an ninh", "Security tip", "治安线索", never_public=True,
       attributes=(Attribute("when", "datetime", "When did it happen?"),)),
    _c("smuggling_tip", "tips", "Tin báo buôn lậu", "Smuggling tip", "走私线索", never_public=True,
       attributes=(Attribute("when", "datetime", "When did it happen?"),)),
    _c("public_service", "services", "Dịch vụ công", "Public services", "公共服务",
       attributes=(Attribute("procedure_code", "string", "The procedure's code"),
                   Attribute("receipt_code", "string", "The receipt code of your application"))),
    _c("border_gate", "gate", "Cửa khẩu", "The border gate", "口岸", attributes=_GATE),
)}

ROUTING = RoutingTable(1, (
    Rule("truck_queue", ANY, "BQL_CK"),
    Rule("border_gate", ANY, "BQL_CK"),
    Rule("security_tip", ANY, "CA_TINH"),
    Rule("smuggling_tip", ANY, "CA_TINH"),
    Rule("environment", ANY, "STNMT"),
    Rule("road_damage", ANY, "UBND_{commune}"),
    Rule("urban_order", ANY, "UBND_{commune}"),
    Rule("traffic", ANY, "UBND_{commune}"),
    Rule(ANY, ANY, COORDINATING_UNIT),
))


def category(code: str, categories: Mapping[str, Category] | None = None) -> Category:
    """The category ``code`` of ``categories`` (the version in force; the seed when not given)."""
    categories = CATEGORIES if categories is None else categories
    found = categories.get(code)
    if found is None:
        raise NotFound(f"there is no report category {code!r}; choose one of {', '.join(sorted(categories))}")
    return found
