"""The Data page's ways to take the data away: its API address, a documented archive, a citation.

Streamlit widgets over pure functions: the API's addresses (components.api), the archive
(components.bundle) and the citation (components.citation).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from urllib.parse import urlsplit

import streamlit as st

from components.api import PREFIX, query_path
from components.bundle import archive_name, make_bundle, read_documents
from components.citation import bibtex, citation_text
from components.controls import current_link
from components.downloads import download_query
from components.navigation import PAGES
from components.page import Page
from components.text import as_text

LOCAL_SITE = "http://localhost:8501"


def site_root(page_url: str | None) -> str:
    """Scheme, host and base path of the server, from the address of one of its pages."""
    if not page_url:
        return LOCAL_SITE
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if last in {p.url_path for p in PAGES if p.url_path}:
        path = path[: -len(last)].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def render_get_as_data(page: Page, table: str) -> None:
    """The API addresses of this view's `table`, and the API's index."""
    t = page.t
    site = site_root(st.context.url)
    st.subheader(t.gettext("Get this as data"))
    st.caption(
        t.gettext(
            "Every table of this view at a stable address, as CSV (the same file as the buttons "
            "above) or JSON (rows as objects, 100 a page). The address takes the same filters "
            "as this page's link; incidents and requests also take the Incidents page's filters."
        )
    )
    query = download_query(table, page.query)
    st.code(
        "\n".join(site + query_path(table, fmt, query, page.last_year) for fmt in ("csv", "json")),
        language=None,
        wrap_lines=True,
    )
    st.markdown(
        t.gettext(
            "Every table, column and parameter: %(link)s.", link=f"[{PREFIX}/]({site}{PREFIX}/)"
        )
    )


def _bundle(page: Page, view: str) -> bytes:
    return make_bundle(page.loaded, page.query, view, date.today(), read_documents())


def render_download_with_documentation(page: Page) -> None:
    """A zip of this view's tables with their schema, codebook, licence and citation."""
    t = page.t
    view = current_link() or site_root(st.context.url)
    name = archive_name(page.package.meta, page.query)
    st.download_button(
        t.gettext("Download with documentation"),
        data=partial(_bundle, page, view),
        file_name=name,
        mime="application/zip",
        key="bundle_download",
        on_click="ignore",
        icon=":material/folder_zip:",
        help=t.gettext(
            "Saves %(name)s: this view's tables as CSV, datapackage.json with their schema, the "
            "codebook, the changelog, the licence, CITATION.cff and a README with the data "
            "version, today's date and this view's address.",
            name=name,
        ),
    )


def render_how_to_cite(page: Page) -> None:
    """The citation with today's access date, as text and as BibTeX."""
    meta = page.package.meta
    today = date.today()
    t = page.t
    site = site_root(st.context.url)
    st.subheader(t.gettext("How to cite"))
    st.caption(
        t.gettext(
            "Version %(version)s, accessed today. The version changes by the rule in the "
            "codebook; CITATION.cff in the repository says the same.",
            version=as_text(str(meta.get("version", "unknown"))),
        )
    )
    st.code(citation_text(meta, today, site), language=None, wrap_lines=True)
    st.code(bibtex(meta, today, site), language="bibtex")
