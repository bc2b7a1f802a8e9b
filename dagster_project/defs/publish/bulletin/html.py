"""The bulletin as one self-contained HTML page: style inline, charts as data: URIs, no script, no
address of any kind, so it opens offline and fetches nothing. Printed (pdf.py) on A4.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from dagster_project.defs.publish.bulletin.checks import TOTAL_LABELS
from dagster_project.defs.publish.bulletin.content import Bulletin
from dagster_project.defs.publish.bulletin.layout import PLACEHOLDER_MARK, contents, footer_lines, omitted

STYLE = """
@page { size: A4; margin: 18mm 15mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; max-width: 180mm; margin: 0 auto;
       color: #000; line-height: 1.6; }
h1.masthead { color: #c00000; text-align: center; font-size: 28pt; margin: 0.4em 0 0.1em; }
p.issue, p.issuer { text-align: center; margin: 0.1em 0; }
hr.red { border: 0; border-top: 2px solid #c00000; }
h2 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 14pt; margin-top: 1.2em; page-break-after: avoid; }
h3 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 12pt; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; page-break-inside: auto; }
thead { display: table-header-group; }
th, td { border: 1px solid #444; padding: 2px 3px; }
th { background: #d9e1f2; }
td { text-align: right; white-space: nowrap; } td:first-child { text-align: left; }
tr.total td { font-weight: bold; }
p.note { font-size: 9pt; color: #333; }
figure { text-align: center; margin: 1em 0; page-break-inside: avoid; }
figure img { width: 100%; }
figcaption { font-size: 9pt; }
p.placeholder { color: #c00000; font-weight: bold; border: 1px dashed #c00000; padding: 0.4em; }
footer { margin-top: 2em; border-top: 1px solid #000; font-size: 10pt; }
"""


def render_html(bulletin: Bulletin, charts: list[bytes]) -> str:
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(bulletin.masthead)} {escape(bulletin.issue_line)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f'<h1 class="masthead">{escape(bulletin.masthead)}</h1>',
        f'<p class="issue">{escape(bulletin.issue_line)}</p>',
        f'<p class="issuer">{escape(bulletin.issuer)}　　{escape(bulletin.export_date)}</p>',
        '<hr class="red">',
        "<h2>本期要目</h2><ol>", *(f"<li>{escape(item)}</li>" for item in contents(bulletin)), "</ol>",
        "<h2>本期导读</h2>", *(f"<p>{escape(s.text)}</p>" for s in bulletin.lead),
    ]
    if omitted(bulletin):
        parts.append(f'<p class="note">{escape(omitted(bulletin))}</p>')
    if bulletin.charts:
        parts.append("<h2>图表</h2>")
        for chart, png in zip(bulletin.charts, charts, strict=True):
            data = base64.b64encode(png).decode("ascii")
            parts.append(f'<figure><img alt="{escape(chart.caption)}" src="data:image/png;base64,{data}">'
                         f"<figcaption>{escape(chart.caption)}</figcaption></figure>")
    for section in bulletin.sections:
        parts.append(f"<h3>{escape(section.caption)}</h3><table><thead><tr>")
        parts += [f"<th>{escape(h)}</th>" for h in section.headings]
        parts.append("</tr></thead><tbody>")
        for row in section.cells:
            total = ' class="total"' if any(v in TOTAL_LABELS for v in row) else ""
            parts.append(f"<tr{total}>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>")
        parts.append(f'</tbody></table><p class="note">{escape(section.note)}</p>')
    if bulletin.change:
        parts.append("<h2>与上期相比</h2>")
        parts += [f"<p>{escape(s.text)}</p>" for s in bulletin.change]
    for placeholder in bulletin.placeholders:
        parts.append(f"<h2>{escape(placeholder.heading)}</h2>"
                     f'<p class="placeholder">{PLACEHOLDER_MARK}{escape(placeholder.prompt)}</p>')
    parts.append("<footer>" + "".join(f"<p>{escape(line)}</p>" for line in footer_lines(bulletin)) + "</footer>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(bulletin: Bulletin, charts: list[bytes], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(bulletin, charts), encoding="utf-8")
    return path
