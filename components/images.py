"""Chart images: a figure as PNG or SVG, titled, with the data version and source in the image.

Rendered on the server by plotly's image export, kaleido (v1), which drives a Chromium through
the DevTools protocol (choreographer). It uses the machine's Chromium (`CHROMIUM_PATH`, or
kaleido's own `BROWSER_PATH`, or Debian's `/usr/bin/chromium`), plotly.js from the installed
plotly package and no MathJax: nothing is fetched from the network. Each image starts its own
headless Chromium (a few seconds), so pages render an image only when its button is clicked.
"""

from __future__ import annotations

import html
import os
import shutil
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

import kaleido
import plotly.graph_objects as go

from components.export import export_filename
from components.figures import FACILITY_COLOUR, POINT_GROUPS, STATUS_COLOURS
from components.labels import label
from components.query import Query

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH = 1200
MAP_HEIGHT = 640
TITLE_SPACE = 110  # pixels above the plot for the title, subtitle and source line
FOOT_SPACE = 64  # pixels below a map for its two legend lines
SCALE = {"png": 2, "svg": 1}  # a PNG at twice the layout size stays sharp in print


class ImageExportError(RuntimeError):
    """The image could not be rendered: the message says why and what to do."""


def chromium_for_images() -> str | None:
    """The Chromium binary kaleido should drive, or None when there is none."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        os.environ.get("BROWSER_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def source_line(meta: Mapping[str, Any]) -> str:
    """The line that says where the picture's data come from."""
    licences = meta.get("licenses") or [{}]
    licence = str(licences[0].get("name", "CC-BY-4.0")).replace("CC-BY-", "CC BY ")
    return (
        f"Source: CSTO Monitor data package, version {meta.get('version', 'unknown')}, data "
        f"current to {meta.get('data_current_to', '')} ({licence})."
    )


def _swatch(colour: str, symbol: str, text: str) -> str:
    return f'<span style="color:{colour}">{symbol}</span> {html.escape(text)}'


def map_legend_lines(bases: bool) -> list[str]:
    """The map legend as two lines of plotly rich text (on screen it is a figure of its own)."""
    statuses = [_swatch(c, "■", label(s)) for s, c in STATUS_COLOURS.items()]
    points = [
        _swatch(c, "●" if g.startswith(("War", "Internal")) else "○", g)
        for g, c in POINT_GROUPS.items()
    ]
    if bases:
        points.append(_swatch(FACILITY_COLOUR, "◉", "Foreign base"))
    return ["   ".join(statuses), "   ".join(points)]


def titled(
    figure: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    foot: Sequence[str] = (),
    height: int | None = None,
) -> go.Figure:
    """A copy of `figure` for print: white, with a title, a subtitle and the source line above
    it, and `foot` lines (a legend) under it."""
    copy = go.Figure(figure.to_dict(), skip_invalid=True)
    plot_height = height or int(figure.layout.height or MAP_HEIGHT)
    bottom = FOOT_SPACE if foot else 0
    total = plot_height + TITLE_SPACE + bottom
    margin = figure.layout.margin
    heading = "<br>".join(
        [html.escape(title), *(f"<sup>{html.escape(t)}</sup>" for t in (subtitle, source))]
    )
    copy.update_layout(
        title={
            "text": heading,
            "x": 0.01,
            "xanchor": "left",
            "y": 1 - 24 / total,
            "yanchor": "top",
            "font": {"size": 20},
        },
        height=total,
        width=WIDTH,
        paper_bgcolor="white",
        margin={
            "t": TITLE_SPACE,
            "b": bottom + (margin.b or 0),
            "l": max(margin.l or 0, 10),
            "r": max(margin.r or 0, 10),
        },
        annotations=[
            *copy.layout.annotations,
            *(
                {
                    "text": line,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": 0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "yshift": -(12 + 22 * i),
                    "showarrow": False,
                    "align": "left",
                    "font": {"size": 13, "color": "#333333"},
                }
                for i, line in enumerate(foot)
            ),
        ],
    )
    if any(trace.type in ("bar", "scatter") for trace in copy.data):
        copy.update_yaxes(automargin=True)
    return copy


def figure_image(figure: go.Figure, fmt: str, browser: str | None = None) -> bytes:
    """`figure` as PNG or SVG bytes, drawn by kaleido in the machine's Chromium, offline."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    path = browser or chromium_for_images()
    if path is None:
        raise ImageExportError(
            "No Chromium found to draw the image: install Debian's chromium or set CHROMIUM_PATH."
        )
    layout = figure.layout
    options = {
        "format": fmt,
        "width": int(layout.width or WIDTH),
        "height": int(layout.height or MAP_HEIGHT),
        "scale": SCALE[fmt],
    }
    try:
        image = kaleido.calc_fig_sync(
            figure, opts=options, kopts={"path": path, "mathjax": False, "timeout": 120}
        )
        return cast(bytes, image)  # kaleido ships no types
    except Exception as error:
        raise ImageExportError(f"Chromium could not draw the image: {error}") from error


def image_stem(chart: str, query: Query, on: date | None = None) -> str:
    """A file name without extension that says what the image shows.

    E.g. `csto-map_2024-12-31_ARM-AZE` or `csto-timeline_2020-2023_all-countries`.
    """
    stem = export_filename(f"csto-{chart}", query.shared()).removesuffix(".csv")
    if on is None:
        return stem
    _, _, places = stem.split("_", 2)
    return f"csto-{chart}_{on.isoformat()}_{places}"
