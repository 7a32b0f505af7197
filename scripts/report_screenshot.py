"""A screenshot of a report page (an html file from `careops report monthly --format html`), for docs/.

    .venv/bin/python scripts/report_screenshot.py report.html docs/report.png [--width 1200]

Uses Debian's chromium through playwright (the test extra), the same browser as tests/test_report_browser.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def screenshot(page_file: Path, png: Path, *, width: int = 1200) -> list[str]:
    """Writes the full page as a png; returns the console errors and page errors seen while it loaded."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or CHROMIUM, args=["--no-sandbox"]
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(300)  # plotly draws after load
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the report page")
    parser.add_argument("png", type=Path, help="where to write the screenshot")
    parser.add_argument("--width", type=int, default=1200, help="page width in px (default 1200)")
    args = parser.parse_args(argv)
    if not args.html.is_file():
        parser.error(f"no such file: {args.html}")
    if not (shutil.which("chromium") or Path(CHROMIUM).exists()):
        print("Error: chromium is not installed (apt-get install chromium).", file=sys.stderr)
        return 1
    errors = screenshot(args.html, args.png, width=args.width)
    for error in errors:
        print(f"Warning: the page reported an error: {error}", file=sys.stderr)
    print(f"Wrote {args.png}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
