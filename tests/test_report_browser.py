"""The report's html page in a real browser (Debian's chromium, driven by playwright): every chart draws,
nothing goes wrong in the console, and printed on A4 the charts fit the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_report_render import sample_report

from careops.render.report import render_report

pytestmark = pytest.mark.outside  # a real browser: left out of make test-future

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
A4_CONTENT_PX = 703  # 210 mm less two 12 mm margins, at 96 px per inch


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "chromium is not installed: the html report's browser tests need it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def _open(browser, report, tmp_path):
    """The page, loaded from a file as a person would open it, and the errors it reported."""
    path = tmp_path / "report.html"
    path.write_bytes(render_report(report, "html"))
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on(
        "request",
        lambda r: (
            errors.append(f"network: {r.url}") if not r.url.startswith(("file:", "data:")) else None
        ),
    )
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


def test_every_chart_draws_without_errors(browser, tmp_path):
    page, errors = _open(browser, sample_report(), tmp_path)
    charts = page.locator(".chart")
    names = [charts.nth(i).get_attribute("data-chart") for i in range(charts.count())]
    assert names == ["coverage", "register", "followups", "trend"]
    for name in names:
        page.wait_for_selector(f'.chart[data-chart="{name}"] svg.main-svg', timeout=10_000)
    assert page.locator(".no-chart").count() == 1
    assert errors == []
    page.close()


def test_printed_charts_fit_an_a4_page(browser, tmp_path):
    page, errors = _open(browser, sample_report(), tmp_path)
    page.wait_for_selector(".chart svg.main-svg")
    page.emulate_media(media="print")
    widths = page.eval_on_selector_all(
        ".chart svg.main-svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)"
    )
    assert widths and max(widths) <= A4_CONTENT_PX
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert errors == []
    page.close()


def test_a_month_without_figures_draws_no_chart(browser, tmp_path):
    report = sample_report()
    report.sections, report.trend = [], []
    page, errors = _open(browser, report, tmp_path)
    assert page.locator(".chart").count() == 0
    assert page.locator(".no-chart").count() == 5
    assert errors == []
    page.close()
