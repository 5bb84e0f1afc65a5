"""Accessibility checks in a real browser: axe-core's findings and the measurements of a screen held at 360 px."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "axe" / "axe.min.js"
BLOCKING = ("serious", "critical")  # what fails the build; moderate and minor findings are reported, not failed


def axe_findings(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands (the context must bypass the CSP to load the script)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
    }""")


def count_by_impact(findings: list[dict[str, Any]]) -> dict[str, int]:
    """How many elements fail, by impact: {'serious': 3, 'moderate': 1}."""
    counted: Counter[str] = Counter()
    for finding in findings:
        counted[finding["impact"] or "unknown"] += len(finding["nodes"])
    return dict(counted)


def blocking(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [finding for finding in findings if finding["impact"] in BLOCKING]


def described(where: str, findings: list[dict[str, Any]]) -> str:
    """The findings as a reader fixes them: the rule, its impact and help, then each failing element."""
    lines = []
    for finding in findings:
        lines.append(f"{where}: {finding['id']} ({finding['impact']}): {finding['help']}")
        lines.extend(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1].strip()}"
                     for node in finding["nodes"])
    return "\n".join(lines)


PHONE_MEASURES = """() => {
    const width = document.documentElement.clientWidth;
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
        + " '" + (el.innerText || el.value || "").trim().slice(0, 30) + "'";
    const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
        && getComputedStyle(el).visibility !== "hidden"; };
    const lineHeight = el => parseFloat(getComputedStyle(el).lineHeight)
        || parseFloat(getComputedStyle(el).fontSize) * 1.3;
    const all = [...document.body.querySelectorAll("*")].filter(visible);
    const inText = el => el.tagName === "A" && el.closest("p, li, td, dd") && !el.closest("nav");
    return {
        scrollWidth: document.documentElement.scrollWidth, width,
        wider: all.filter(el => el.getBoundingClientRect().right > width + 0.5).map(name),
        // A box that scrolls sideways inside the page hides what a keyboard or a thumb may never reach.
        scrolls: all.filter(el => el !== document.documentElement && el !== document.body
                                  && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1
                                  && ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX))
            .map(el => name(el) + " " + el.scrollWidth + "/" + el.clientWidth + " px"),
        wrapped: [...document.querySelectorAll(".status, [data-nowrap], .reference, .plate")].filter(visible)
            .filter(el => el.getClientRects().length > 1 || el.getBoundingClientRect().height > lineHeight(el) * 1.6)
            .map(name),
        small: [...document.querySelectorAll("a, button, input:not([type=hidden]), select, textarea, summary")]
            .filter(visible).filter(el => !inText(el))
            .filter(el => el.getBoundingClientRect().height < 44 && !["checkbox", "radio"].includes(el.type))
            .map(el => name(el) + " " + Math.round(el.getBoundingClientRect().height) + " px"),
        tinyText: [...document.querySelectorAll(
                "input:not([type=hidden], [type=checkbox], [type=radio]), select, textarea")].filter(visible)
            .filter(el => parseFloat(getComputedStyle(el).fontSize) < 16)
            .map(el => name(el) + " " + getComputedStyle(el).fontSize),
    };
}"""


def phone_measures(page: Page) -> dict[str, Any]:
    """What a 360-px phone shows badly: elements wider than the screen or scrolling inside it, broken references,
    plates and pills,
    targets under 44 px tall, inputs whose text is under 16 px (phones zoom into those and lose the page)."""
    return page.evaluate(PHONE_MEASURES)
