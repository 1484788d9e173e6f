"""PNG and SVG buttons under a chart, drawn on the server only when one is clicked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from components.i18n import ENGLISH, Translator
from components.images import FORMATS, chromium_for_images, figure_image, source_line, titled


def _image(
    figure: go.Figure,
    fmt: str,
    title: str,
    subtitle: str,
    source: str,
    foot: Sequence[str],
    height: int | None,
) -> bytes:
    return figure_image(titled(figure, title, subtitle, source, foot, height), fmt)


def render_image_downloads(
    figure: go.Figure,
    stem: str,
    title: str,
    subtitle: str,
    meta: Mapping[str, Any],
    key: str,
    foot: Sequence[str] = (),
    height: int | None = None,
    t: Translator = ENGLISH,
) -> None:
    """Buttons that save `figure` as PNG and SVG, titled, with the data version and source.

    `foot`: lines under the chart (a legend); `height`: the plot's height in the image.
    """
    if chromium_for_images() is None:
        st.caption(t.gettext("Image downloads need Chromium on the server (set CHROMIUM_PATH)."))
        return
    source = source_line(meta)
    with st.container(horizontal=True):
        for fmt, mime in FORMATS.items():
            st.download_button(
                fmt.upper(),
                data=partial(_image, figure, fmt, title, subtitle, source, tuple(foot), height),
                file_name=f"{stem}.{fmt}",
                mime=mime,
                key=f"{key}_{fmt}",
                on_click="ignore",
                icon=":material/image:",
                help=t.gettext(
                    "Saves %(file)s: this chart with its title, the data version and the source "
                    "(drawn when clicked; takes a few seconds).",
                    file=f"{stem}.{fmt}",
                ),
            )
