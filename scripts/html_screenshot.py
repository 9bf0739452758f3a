"""Refresh docs/html-page.png, the README's picture of the what-if page: ``python scripts/html_screenshot.py``.

Writes the page of scenarios/review-stars.yaml (``ftcost report ... -o FILE.html``)
into a temporary folder, opens it in headless Chromium (Debian's ``chromium``
through the ``playwright`` package, so nothing is downloaded), waits until the
numbers and the charts are drawn and saves the top of the page, 1280 pixels
wide. ``--lang es`` takes the Spanish page; ``-o`` another file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default=str(ROOT / "docs" / "html-page.png"))
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "review-stars.yaml"))
    ap.add_argument("--lang", default="en", choices=("en", "es"))
    ap.add_argument("--height", type=int, default=1250, help="pixels of the page's top to keep")
    a = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    import ftcost

    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not executable:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "page.html"
        ftcost.compare(a.scenario).to_html(page_path, lang=a.lang)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": a.height})
            page.goto(page_path.as_uri())
            page.wait_for_function("document.body.dataset.ready && document.body.dataset.charts", timeout=120_000)
            page.wait_for_timeout(300)  # plotly's last transition
            page.screenshot(path=a.output, clip={"x": 0, "y": 0, "width": 1280, "height": a.height})
            browser.close()
    print(f"wrote {a.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
