"""The README's screenshots: build the demo journal (entries/) as of a fixed day and photograph
the dashboard, a contact page (its top, and its ledger), the reciprocity page and an upcoming
meeting in Debian's headless Chromium, on a desktop (1280 px) and a phone (390 px), light and
dark, into docs/screenshots/ (PNG at 1x, one screen each, so each stays small).

    python scripts/screenshots.py            # from the repository root, in its venv

Needs Playwright's Python package and /usr/bin/chromium (as the browser tests do).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
TODAY = "2026-11-23"  # the demo's own day (tests/test_demo.py)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = {
    "dashboard": "index.html",
    "contact": "contacts/dana-whitfield.html",
    "reciprocity": "reciprocity/index.html",
    "upcoming": "meetings/2026-11-25-lunch-with-rick.html",  # its brief names this very meeting first
    "ledger": "contacts/dana-whitfield.html#ledger",  # a contact's ledger and meetings: on a phone, a list
}
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")


def build_demo(out: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "journal.cli",
            "build",
            "--root",
            str(REPO),
            "--out",
            str(out),
            "--today",
            TODAY,
            "--quiet",
        ],
        check=True,
    )


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build_demo(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for screen, viewport in SCREENS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport=viewport,
                        device_scale_factor=1,
                        color_scheme=scheme,
                        is_mobile=screen == "phone",
                        has_touch=screen == "phone",
                    )
                    tab = context.new_page()
                    for name, path in PAGES.items():
                        page, _, anchor = path.partition("#")  # the screen that shows #anchor
                        tab.goto((site / page).as_uri() + (f"#{anchor}" if anchor else ""))
                        target = OUT / f"{name}-{screen}-{scheme}.png"
                        tab.screenshot(path=str(target))
                        print(f"{target.relative_to(REPO)}: {target.stat().st_size // 1024} KB")
                    context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
