"""The one list of pages: file, title, icon and address. Navigation, tests and benchmarks use it."""

from __future__ import annotations

from dataclasses import dataclass

from components.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    """A page of the dashboard."""

    path: str  # script, relative to the project root
    title: str  # English; shown translated
    icon: str
    url_path: str  # address below the server root ("" for the entry page)


PAGES = (
    PageSpec("dashboard.py", N_("Overview"), ":material/dashboard:", ""),
    PageSpec("pages/1_Map.py", N_("Map"), ":material/map:", "Map"),
    PageSpec("pages/2_Timeline.py", N_("Timeline"), ":material/timeline:", "Timeline"),
    PageSpec("pages/3_Incidents.py", N_("Incidents"), ":material/table:", "Incidents"),
    PageSpec(
        "pages/4_Data_and_sources.py",
        N_("Data & sources"),
        ":material/menu_book:",
        "Data_and_sources",
    ),
)


def page_by_title(title: str) -> PageSpec:
    return next(page for page in PAGES if page.title == title)
