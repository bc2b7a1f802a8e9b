"""What every format of the bulletin prints alike: the contents, the placeholder mark, the footer."""

from __future__ import annotations

from dagster_project.defs.publish.bulletin.content import Bulletin

PLACEHOLDER_MARK = "【待填写】"


def contents(bulletin: Bulletin) -> list[str]:
    """本期要目: the lead, each chart and table, the change since the last issue, the officer's sections."""
    items = ["本期导读"]
    items += [chart.caption for chart in bulletin.charts]
    items += [section.caption for section in bulletin.sections]
    if bulletin.change:
        items.append("与上期相比")
    items += [p.heading for p in bulletin.placeholders]
    return items


def footer_lines(bulletin: Bulletin) -> list[str]:
    """The distribution footer (报 / 送 / 发) and who issued it, on which date."""
    lines = [f"{key}：{value}" for key, value in bulletin.footer.items()]
    return [*lines, f"{bulletin.issuer}　　{bulletin.export_date}印发"]


def omitted(bulletin: Bulletin) -> str | None:
    """The configured tables this issue has no rows of, said under the lead rather than left out silently."""
    if not bulletin.missing:
        return None
    return f"注：以下表格本期（截至{bulletin.export_date}）无数据，未列入：{'、'.join(bulletin.missing)}。"
