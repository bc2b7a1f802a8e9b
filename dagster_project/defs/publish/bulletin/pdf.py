"""The bulletin printed to PDF: the self-contained HTML page through headless chromium, offline (every
request goes to a proxy that does not exist), on A4. Needs Debian's chromium and a CJK font
(fonts-noto-cjk); without either, MissingTool says which package to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from dagster_project.defs.publish.bulletin.charts import MissingFont, cjk_family

OFFLINE = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
]


class MissingTool(RuntimeError):
    """No chromium or no CJK font: no PDF (the DOCX and HTML do not need them)."""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise MissingTool("no PDF: chromium is not installed (Debian package chromium: apt-get install chromium)")
    return found


def write_pdf(html: Path, pdf: Path) -> Path:
    """`html` printed to `pdf` by headless chromium; MissingTool when chromium or the CJK font is missing."""
    browser = chromium()
    try:
        cjk_family()
    except MissingFont:
        raise MissingTool("no PDF: no Chinese (CJK) font is installed; install the Debian package fonts-noto-cjk "
                          "(apt-get install fonts-noto-cjk)") from None
    with tempfile.TemporaryDirectory(prefix="peixun-chromium-") as profile:
        done = subprocess.run(
            [browser, *OFFLINE, f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
             html.resolve().as_uri()],
            capture_output=True, text=True, timeout=300,
        )
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"chromium could not print {html.name}: {done.stderr.strip()[-500:]}")
    return pdf
