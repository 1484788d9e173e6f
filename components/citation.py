"""How to cite the data: a sentence and a BibTeX entry with version and access date.

Read from the package's metadata (`datapackage.json`), so the Data page, the documented archive
and `CITATION.cff` (checked by a test) name the same version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CITATION_FILE = ROOT / "CITATION.cff"
LICENSE_FILE = ROOT / "LICENSE"
AUTHOR = "CSTO Monitor contributors"
TITLE = "CSTO Monitor data package"


def _version(meta: Mapping[str, Any]) -> str:
    return str(meta.get("version", "unknown"))


def _current_to(meta: Mapping[str, Any]) -> str:
    return str(meta.get("data_current_to", ""))


def _licence(meta: Mapping[str, Any]) -> str:
    licences = meta.get("licenses") or [{}]
    return str(licences[0].get("name", "CC-BY-4.0")).replace("CC-BY-", "CC BY ")


def citation_text(meta: Mapping[str, Any], accessed: date, url: str = "") -> str:
    """The citation as one sentence, e.g. for a reference list."""
    current_to = _current_to(meta)
    where = f" {url}." if url else ""
    return (
        f"{AUTHOR} ({current_to[:4]}). {TITLE}, version {_version(meta)}, data current to "
        f"{current_to}. Licensed {_licence(meta)}.{where} Accessed {accessed.isoformat()}."
    )


def bibtex(meta: Mapping[str, Any], accessed: date, url: str = "") -> str:
    """A BibTeX @misc entry (biblatex reads `version` and `urldate` too)."""
    version = _version(meta)
    current_to = _current_to(meta)
    key = "csto_monitor_" + re.sub(r"[^0-9a-z]+", "_", version.lower()).strip("_")
    fields = [
        ("author", f"{{{AUTHOR}}}"),
        ("title", f"{{{TITLE}}}"),
        ("year", current_to[:4]),
        ("version", version),
        ("note", f"Data current to {current_to}. Licensed {_licence(meta)}"),
        *([("url", url)] if url else []),
        ("urldate", accessed.isoformat()),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def cff_field(text: str, name: str) -> str | None:
    """A top-level scalar of a CITATION.cff file (quotes removed), or None."""
    match = re.search(rf"^{re.escape(name)}:\s*(.+?)\s*$", text, re.MULTILINE)
    return None if match is None else match.group(1).strip("\"'")
