"""The bulletin as a Word document the office edits before sending (python-docx): A4, real headings
(标题 1/2, so Word's navigation pane and 目录 work), real Word tables with the published headings,
charts as pictures, page numbers in the footer (a PAGE field), placeholders in marked red text.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from dagster_project.defs.publish.bulletin.checks import TOTAL_LABELS
from dagster_project.defs.publish.bulletin.content import Bulletin
from dagster_project.defs.publish.bulletin.layout import PLACEHOLDER_MARK, contents, footer_lines, omitted

FONT = "宋体"
HEADING_FONT = "黑体"
RED = RGBColor(0xC0, 0x00, 0x00)


def write_docx(bulletin: Bulletin, charts: list[bytes], path: Path) -> Path:
    document = Document()
    _page(document)
    _fonts(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(bulletin.masthead)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(26), RED
    _east_asian(run, HEADING_FONT)
    issue = document.add_paragraph(bulletin.issue_line)
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = document.add_paragraph(f"{bulletin.issuer}　　　　{bulletin.export_date}")
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("本期要目", level=1)
    for item in contents(bulletin):
        document.add_paragraph(item, style="List Number")
    document.add_heading("本期导读", level=1)
    for sentence in bulletin.lead:
        document.add_paragraph(sentence.text)
    if omitted(bulletin):
        document.add_paragraph(omitted(bulletin))

    if bulletin.charts:
        document.add_heading("图表", level=1)
        for chart, png in zip(bulletin.charts, charts, strict=True):
            document.add_picture(io.BytesIO(png), width=Cm(16))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _caption(document, chart.caption)
    for section in bulletin.sections:
        document.add_heading(section.caption, level=2)
        _table(document, section.headings, section.cells)
        note = document.add_paragraph(section.note)
        note.runs[0].font.size = Pt(9)
    if bulletin.change:
        document.add_heading("与上期相比", level=1)
        for sentence in bulletin.change:
            document.add_paragraph(sentence.text)
    for placeholder in bulletin.placeholders:
        document.add_heading(placeholder.heading, level=1)
        marked = document.add_paragraph().add_run(f"{PLACEHOLDER_MARK}{placeholder.prompt}")
        marked.font.color.rgb, marked.bold = RED, True
    document.add_paragraph()
    for text in footer_lines(bulletin):
        document.add_paragraph(text).runs[0].font.size = Pt(10)
    document.core_properties.title = bulletin.masthead
    document.core_properties.subject = bulletin.issue_line
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _page(document) -> None:
    """A4 portrait, 2.5 cm margins; a centred 第 N 页 in the footer."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer.add_run(), "PAGE")
    footer.add_run(" 页，共 ")
    _field(footer.add_run(), "NUMPAGES")
    footer.add_run(" 页")


def _field(run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in `run`: Word and LibreOffice fill it in when they lay the page out."""
    begin, text, separate, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar"),
                                  OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    for element in (begin, text, separate, placeholder, end):
        run._r.append(element)


def _fonts(document) -> None:
    for name, font in (("Normal", FONT), ("Heading 1", HEADING_FONT), ("Heading 2", HEADING_FONT)):
        style = document.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0, 0, 0)
    document.styles["Normal"].font.size = Pt(11)


def _east_asian(run, font: str) -> None:
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _caption(document, text: str) -> None:
    caption = document.add_paragraph(text)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.runs[0].font.size = Pt(9)


def _table(document, headings: list[str], cells: list[list[str]]) -> None:
    """A bordered Word table; the heading row repeats on every page; the 合计 row bold; numbers right-aligned."""
    table = document.add_table(rows=1 + len(cells), cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, heading in zip(header.cells, headings, strict=True):
        _text(cell, heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row, values in zip(table.rows[1:], cells, strict=True):
        bold = any(v in TOTAL_LABELS for v in values)
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _text(cell, value, bold=bold, align=WD_ALIGN_PARAGRAPH.LEFT if j == 0 else WD_ALIGN_PARAGRAPH.RIGHT)


def _text(cell, value: str, bold: bool, align) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(value)
    run.bold = bold
    run.font.size = Pt(8)
