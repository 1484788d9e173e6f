"""Take the README's screenshot of the Map page: `python -m scripts.screenshot [OUT.png]`.

Starts the dashboard with the shipped data on a free local port and photographs it in headless
Chromium, as a visitor would see it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.live_server import CHROMIUM_ARGS, IDLE, chromium_path, dashboard_server

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "map.png"


def take_screenshot(output: Path, path: str = "Map?from=2020") -> None:
    """Save a PNG of one dashboard page once its map has drawn."""
    with dashboard_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.goto(f"{base}/{path}")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.locator(".js-plotly-plot path.js-fill").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)  # the points are drawn just after the countries
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(output))
        browser.close()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    take_screenshot(target)
    print(f"saved {target}")
