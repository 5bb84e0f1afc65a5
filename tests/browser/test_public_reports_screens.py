"""The public list of reports and the figures per unit in a real browser: filters, then the figures, in vi/en/zh;
both pages read by axe-core on a 360-px phone."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import keep_screenshot
from tests.support.accessibility import axe_findings, blocking, described
from tests.support.public_reports import a_province


def test_anyone_filters_the_public_reports_then_reads_the_figures_per_unit_in_each_language(served, browser):
    gate, url = served
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)  # bypass: axe only
    screen = context.new_page()
    c = a_province(gate).codes
    screen.goto(f"{url}/reports?lang=en")
    listed = screen.locator("#reports li")
    expect(listed).to_have_count(3)
    expect(screen.locator("#reports")).not_to_contain_text("cigarettes")

    form = screen.locator("#report-filter")
    form.get_by_label("Commune").select_option("X")
    form.get_by_role("button", name="Show").click()
    expect(listed).to_have_count(2)
    form.get_by_label("State").select_option("answered")
    form.get_by_role("button", name="Show").click()
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(c["pothole"])
    expect(listed.first).to_contain_text("Fixed")
    keep_screenshot(screen, "public-reports")

    screen.get_by_role("link", name="Figures per unit").click()
    expect(screen.locator("h1")).to_have_text("Figures per unit")
    row = screen.locator("#stats tbody tr", has_text="UBND_X")
    expect(row).to_contain_text("100.0")
    expect(row).to_contain_text("4.0 (1)")
    expect(screen.locator("#stats svg[data-figure]")).to_have_count(3)
    keep_screenshot(screen, "report-stats")

    screen.get_by_role("link", name="中文").click()
    expect(screen.locator("h1")).to_have_text("各单位统计")
    expect(screen.locator("#stats")).to_contain_text("数据说明")
    screen.get_by_role("link", name="Tiếng Việt").click()
    expect(screen.locator("h1")).to_have_text("Số liệu theo đơn vị")
    expect(screen.locator("#stats tbody tr", has_text="UBND_X")).to_contain_text("4,0 (1)")
    screen.get_by_role("link", name="Phản ánh của người dân").click()
    expect(screen.locator("#report-filter")).to_contain_text("Xã/phường")
    expect(listed).to_have_count(3)

    failures = []
    screen.set_viewport_size({"width": 360, "height": 740})
    for path in ("/reports?lang=vi", "/reports/stats?lang=vi"):
        screen.goto(url + path)
        failures += [described(path, blocking(axe_findings(screen)))] if blocking(axe_findings(screen)) else []
        assert screen.evaluate("document.documentElement.scrollWidth") <= 360, f"{path} is wider than a phone"
    context.close()
    assert not failures, "\n".join(failures)
