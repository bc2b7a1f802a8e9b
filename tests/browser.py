"""A real headless browser (Debian's chromium) with the network cut off, for the pages the project writes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    # No network: every request goes to a proxy that does not exist, every name resolves to nothing.
    "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
]


def offline_dom(page: Path, profile: Path, fragment: str = "", wait_ms: int = 0) -> str:
    """The page's DOM once loaded (and scripts had `wait_ms` of virtual time) by chromium, offline."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (optional system package, see README: apt-get install chromium)")
    budget = [f"--virtual-time-budget={wait_ms}"] if wait_ms else []
    done = subprocess.run(
        [CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", *budget, "--dump-dom", page.as_uri() + fragment],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def offline_pdf(page: Path, profile: Path, pdf: Path) -> str:
    """The text (by pdftotext) of the page printed to PDF by chromium, offline."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (optional system package, see README: apt-get install chromium)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (optional system package, see README: apt-get install poppler-utils)")
    done = subprocess.run(
        [CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
         page.as_uri()],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
