"""The bulletin's charts as PNG (matplotlib, no display): Chinese titles, axis and value labels in a CJK
font (Debian: fonts-noto-cjk), categories in the order of their table.

The value printed on a bar or point is the table's own text (100.00%+ where the table caps it);
the bar's height is the exact value.
"""

from __future__ import annotations

import io
import math
from functools import cache

from dagster_project.defs.publish.bulletin.content import ChartData

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Droid Sans Fallback")
FONT_PACKAGE = "fonts-noto-cjk"
COLOURS = ("#2F5597", "#C55A11", "#548235", "#7F6000")


class MissingFont(RuntimeError):
    """No CJK font: charts (and the PDF) would print boxes instead of Chinese."""


@cache
def cjk_family() -> str:
    """The first installed CJK font family; MissingFont naming the Debian package when there is none."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    raise MissingFont(f"no Chinese (CJK) font is installed, so the charts cannot print Chinese: "
                      f"install the Debian package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")


def render(chart: ChartData) -> bytes:
    """The chart as a PNG, 16 cm wide at 200 dpi."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    with matplotlib.rc_context({"font.family": cjk_family(), "axes.unicode_minus": False}):
        figure, axes = plt.subplots(figsize=(6.3, 3.4), dpi=200)
        if chart.kind == "line":
            _line(axes, chart)
        else:
            _bars(axes, chart)
        axes.set_title(chart.caption, fontsize=11)
        axes.set_ylabel(chart.y_label, fontsize=9)
        if chart.percent:
            axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        axes.spines[["top", "right"]].set_visible(False)
        if len(chart.series) > 1:
            axes.legend(fontsize=8, frameon=False, loc="upper right", ncol=len(chart.series))
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        plt.close(figure)
    return out.getvalue()


def _bars(axes, chart: ChartData) -> None:
    count = len(chart.series)
    width = 0.8 / count
    positions = range(len(chart.categories))
    for k, (name, values) in enumerate(chart.series.items()):
        xs = [x - 0.4 + width * (k + 0.5) for x in positions]
        heights = [0 if math.isnan(v) else v for v in values]
        axes.bar(xs, heights, width, label=name, color=COLOURS[k % len(COLOURS)])
        for x, h, text in zip(xs, heights, chart.value_labels[name], strict=True):
            axes.text(x, h, text, ha="center", va="bottom", fontsize=5 if count > 1 else 7,
                      rotation=90 if count > 1 else 0)
    axes.set_xticks(list(positions), chart.categories, fontsize=8, rotation=45 if len(chart.categories) > 6 else 0,
                    ha="right" if len(chart.categories) > 6 else "center")
    top = max((v for values in chart.series.values() for v in values if not math.isnan(v)), default=1)
    axes.set_ylim(0, top * 1.35 if top > 0 else 1)  # room above the bars for the value labels and the legend


def _line(axes, chart: ChartData) -> None:
    for k, (name, values) in enumerate(chart.series.items()):
        axes.plot(chart.categories, values, marker="o", label=name, color=COLOURS[k % len(COLOURS)])
        for x, y, text in zip(chart.categories, values, chart.value_labels[name], strict=True):
            axes.annotate(text, (x, y), textcoords="offset points", xytext=(0, 6 if k % 2 == 0 else -12),
                          ha="center", fontsize=7)
    axes.tick_params(axis="x", labelsize=8)
    low = min(v for values in chart.series.values() for v in values)
    axes.set_ylim(max(0, low - 0.1), max(v for values in chart.series.values() for v in values) + 0.05)
