""" "Download with documentation": one zip for the current view that explains itself.

It holds the view's CSVs (every package table cut to the view's years and countries, and the
Incidents page's incidents and requests with its narrowing filters) as the pages download them, a
`datapackage.json` restricted to those files with the package's schema, the codebook, the data
changelog, the licence, `CITATION.cff`, and a README naming the data version, the access date and
the address of the view.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from components.citation import CITATION_FILE, bibtex, citation_text
from components.downloads import VIEWS, download_frame, download_query
from components.export import export_filename, to_csv_bytes
from components.query import Query, to_params
from components.schema import SCHEMA_FILE

if TYPE_CHECKING:
    from components.store import Loaded

# Fixed timestamp for every member: the same view and data give the same bytes.
ZIP_TIME = (1992, 5, 15, 0, 0, 0)
READABLE_FIELDS = [
    {
        "name": "source_titles",
        "type": "string",
        "description": "Added by the download: title (publisher) of each source in `source_ids`, "
        'in order, joined by " | ".',
    },
    {
        "name": "source_urls",
        "type": "string",
        "description": "Added by the download: address of each source in `source_ids` that has "
        'one, in order, joined by " | ".',
    },
]
VIEW_DESCRIPTIONS = {
    "incidents": "The Incidents page's table for this view: clashes and deployments in one list, "
    "newest first (columns: see the codebook, 'Dashboard downloads').",
    "requests": "The Incidents page's requests for help for this view, oldest first (columns: "
    "see the codebook, 'Dashboard downloads').",
}
DOCUMENTS = {  # name in the archive -> file, relative to the repository (or the data folder)
    "codebook.md": "data/README.md",
    "CHANGELOG.md": "data/CHANGELOG.md",
    "CITATION.cff": "CITATION.cff",
}


def read_documents(root: Path = CITATION_FILE.parent) -> dict[str, bytes]:
    """The documents the archive carries, read from the repository (missing ones left out)."""
    found = {}
    for name, relative in DOCUMENTS.items():
        path = root / relative
        if path.is_file():
            found[name] = path.read_bytes()
    return found


def _field_type(column: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(column):
        return "boolean"
    if pd.api.types.is_integer_dtype(column):
        return "integer"
    if pd.api.types.is_numeric_dtype(column):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(column):
        return "date"
    return "string"


def _resource(
    name: str, frame: pd.DataFrame, data: bytes, package_resource: dict[str, Any] | None
) -> dict[str, Any]:
    """A Table Schema resource for one CSV of the archive."""
    if package_resource is not None:
        resource = copy.deepcopy(package_resource)
        resource["schema"]["fields"] += [f for f in READABLE_FIELDS if f["name"] in frame.columns]
    else:
        resource = {
            "name": name,
            "path": f"{name}.csv",
            "format": "csv",
            "encoding": "utf-8",
            "description": VIEW_DESCRIPTIONS[name],
            "schema": {
                "fields": [{"name": str(c), "type": _field_type(frame[c])} for c in frame.columns]
            },
        }
    resource["path"] = f"{name}.csv"
    resource["bytes"] = len(data)
    resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    return resource


def _readme(
    meta: Mapping[str, Any],
    query: Query,
    params: Mapping[str, list[str]],
    view_url: str,
    accessed: date,
    rows: Mapping[str, int],
    names: Mapping[str, str],
) -> str:
    listed = "\n".join(f"| `{name}.csv` | {count:,} |" for name, count in rows.items())
    shown = "\n".join(f"- `{k}`: {', '.join(v)}" for k, v in params.items()) or "- none"
    return f"""# CSTO Monitor: the data of one view

- Data version: {meta.get("version", "unknown")} (data current to {meta.get("data_current_to")})
- Accessed: {accessed.isoformat()}
- View: {view_url}
- Years and countries: {query.describe(names)}

Filters of the view (the address's parameters):

{shown}

The package tables are cut to the view's years and countries (`sources.csv` to the sources the
cut rows cite); `incidents.csv` and `requests.csv` also apply the Incidents page's narrowing
filters. Each file holds exactly what the dashboard downloads for this view.

| File | Rows |
| --- | --- |
{listed}

Also here: `datapackage.json` (the schema of every file above, with sizes and SHA-256 hashes),
`codebook.md` (what every table and column means, coverage and known gaps), `CHANGELOG.md` (what
changed in each data version), `CITATION.cff` and `LICENSE.txt`.

Text cells that a spreadsheet could run as a formula start with one extra apostrophe (`'`):
remove one leading apostrophe from any text cell that has one to get the exact value.

## How to cite

{citation_text(meta, accessed, view_url)}

```bibtex
{bibtex(meta, accessed, view_url)}
```
"""


def _licence(meta: Mapping[str, Any]) -> str:
    licence = (meta.get("licenses") or [{}])[0]
    return (
        f"The data in this archive are licensed under the {licence.get('title', 'CC BY 4.0')} "
        f"licence ({licence.get('name', 'CC-BY-4.0')}).\n"
        f"Attribution: {licence.get('attribution', 'CSTO Monitor contributors')}.\n"
        f"Licence text: {licence.get('path', 'https://creativecommons.org/licenses/by/4.0/')}\n\n"
        "The sources cited keep their own copyright; the data only record facts and short "
        "quotations from them. The dashboard's code is MIT-licensed (not included here).\n"
    )


def _package_resources(meta: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The package's resources (with their schema): its own, else the schema file's."""
    resources = meta.get("resources")
    if isinstance(resources, list) and resources:
        return resources
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return cast(list[dict[str, Any]], schema["resources"])


def archive_name(meta: Mapping[str, Any], query: Query) -> str:
    """The zip's file name, e.g. `csto-monitor-1.1.0_2020-2023_ARM-AZE.zip`."""
    stem = export_filename("csto-monitor", query).removesuffix(".csv")
    return stem.replace("csto-monitor", f"csto-monitor-{meta.get('version', 'unknown')}") + ".zip"


def make_bundle(
    loaded: Loaded,
    query: Query,
    view_url: str,
    accessed: date,
    documents: Mapping[str, bytes],
) -> bytes:
    """The zip of the view: CSVs, restricted datapackage.json, README, licence and documents."""
    package = loaded.package
    meta = package.meta
    last_year = package.data_current_to.year
    resources_by_name = {r["name"]: r for r in _package_resources(meta)}
    files: dict[str, bytes] = {}
    resources = []
    rows: dict[str, int] = {}
    for name in [*package.tables, *VIEWS]:
        frame = download_frame(loaded, name, download_query(name, query))
        data = to_csv_bytes(frame)
        files[f"{name}.csv"] = data
        rows[name] = len(frame)
        resources.append(_resource(name, frame, data, resources_by_name.get(name)))
    params = to_params(query, last_year)
    descriptor = {
        **{k: v for k, v in meta.items() if k != "resources"},
        "csto:view": {"address": view_url, "parameters": params, "accessed": accessed.isoformat()},
        "resources": resources,
    }
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    files["datapackage.json"] = text.encode("utf-8")
    files["README.md"] = _readme(
        meta, query, params, view_url, accessed, rows, package.country_names
    ).encode("utf-8")
    files["LICENSE.txt"] = _licence(meta).encode("utf-8")
    files.update(documents)
    folder = archive_name(meta, query).removesuffix(".zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
