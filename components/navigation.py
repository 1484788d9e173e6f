"""The one list of pages: file, title, icon and address. Navigation, tests and benchmarks use it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """A page of the dashboard."""

    path: str  # script, relative to the project root
    title: str
    icon: str
    url_path: str  # address below the server root ("" for the entry page)


PAGES = (
    PageSpec("dashboard.py", "Overview", ":material/dashboard:", ""),
    PageSpec("pages/1_Map.py", "Map", ":material/map:", "Map"),
    PageSpec("pages/2_Timeline.py", "Timeline", ":material/timeline:", "Timeline"),
    PageSpec("pages/3_Incidents.py", "Incidents", ":material/table:", "Incidents"),
    PageSpec(
        "pages/4_Data_and_sources.py", "Data & sources", ":material/menu_book:", "Data_and_sources"
    ),
)


def page_by_title(title: str) -> PageSpec:
    return next(page for page in PAGES if page.title == title)
