"""The documented archive, the citation and the version rule."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from components.bundle import archive_name, make_bundle, read_documents
from components.citation import CITATION_FILE, bibtex, cff_field, citation_text
from components.data import DATA_DIR, DataPackage
from components.downloads import download_frame
from components.export import to_csv_bytes
from components.query import Query
from components.schema import tables
from tests.conftest import loaded_of
from tests.test_pages import app_env, open_app  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
ACCESSED = date(2026, 1, 2)
VIEW = "http://localhost:8501/Data_and_sources?years=2020&years=2024&country=ARM&kind=border_clash"
QUERY = Query(2020, 2024, ("ARM",), kinds=("border_clash",))


@pytest.fixture(scope="module")
def archive(mini_package: DataPackage) -> zipfile.ZipFile:
    data = make_bundle(loaded_of(mini_package), QUERY, VIEW, ACCESSED, read_documents())
    return zipfile.ZipFile(io.BytesIO(data))


def member(archive: zipfile.ZipFile, name: str) -> bytes:
    (folder,) = {n.split("/", 1)[0] for n in archive.namelist()}
    return archive.read(f"{folder}/{name}")


def test_archive_holds_every_table_and_document(archive: zipfile.ZipFile) -> None:
    names = {n.split("/", 1)[1] for n in archive.namelist()}
    tables_ = {f"{t}.csv" for t in tables()}
    assert names == tables_ | {
        "incidents.csv",
        "requests.csv",
        "datapackage.json",
        "README.md",
        "LICENSE.txt",
        "codebook.md",
        "CHANGELOG.md",
        "CITATION.cff",
    }
    assert archive.testzip() is None
    assert member(archive, "codebook.md") == (DATA_DIR / "README.md").read_bytes()
    assert member(archive, "CITATION.cff") == CITATION_FILE.read_bytes()
    assert b"CC BY 4.0" in member(archive, "LICENSE.txt") or b"Attribution 4.0" in member(
        archive, "LICENSE.txt"
    )


def test_archive_csvs_are_the_page_downloads(
    archive: zipfile.ZipFile, mini_package: DataPackage
) -> None:
    loaded = loaded_of(mini_package)
    for table in tables():
        expected = to_csv_bytes(download_frame(loaded, table, QUERY.shared()))
        assert member(archive, f"{table}.csv") == expected, table
    for view in ("incidents", "requests"):
        assert member(archive, f"{view}.csv") == to_csv_bytes(download_frame(loaded, view, QUERY))


def test_descriptor_describes_exactly_the_files(
    archive: zipfile.ZipFile, mini_package: DataPackage
) -> None:
    descriptor = json.loads(member(archive, "datapackage.json"))
    assert descriptor["version"] == mini_package.meta["version"]
    assert descriptor["csto:view"] == {
        "address": VIEW,
        "parameters": {"years": ["2020", "2024"], "country": ["ARM"], "kind": ["border_clash"]},
        "accessed": "2026-01-02",
    }
    package_fields = {name: [f.name for f in t.fields] for name, t in tables().items()}
    for resource in descriptor["resources"]:
        data = member(archive, resource["path"])
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        header = data.decode("utf-8").split("\r\n", 1)[0].split(",")
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert fields == header, resource["name"]
        if resource["name"] in package_fields:
            assert (
                fields[: len(package_fields[resource["name"]])] == package_fields[resource["name"]]
            )


def test_readme_names_version_date_and_view(
    archive: zipfile.ZipFile, mini_package: DataPackage
) -> None:
    readme = member(archive, "README.md").decode("utf-8")
    assert f"Data version: {mini_package.meta['version']}" in readme
    assert "Accessed: 2026-01-02" in readme and VIEW in readme
    assert "`kind`: border_clash" in readme and "@misc{" in readme


def test_archive_is_repeatable(mini_package: DataPackage) -> None:
    loaded = loaded_of(mini_package)
    first = make_bundle(loaded, QUERY, VIEW, ACCESSED, {})
    assert first == make_bundle(loaded, QUERY, VIEW, ACCESSED, {})
    assert archive_name(mini_package.meta, QUERY).endswith("_2020-2024_ARM_narrowed.zip")


# --- citing -------------------------------------------------------------------------------------

META = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def test_citation_file_matches_the_package() -> None:
    text = CITATION_FILE.read_text(encoding="utf-8")
    assert cff_field(text, "cff-version") == "1.2.0"
    assert cff_field(text, "version") == META["version"]
    assert cff_field(text, "date-released") == META["data_current_to"]
    assert cff_field(text, "license") == "CC-BY-4.0"
    assert cff_field(text, "title")


def test_changelog_records_the_current_version() -> None:
    changelog = (DATA_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## ([0-9]+\.[0-9]+\.[0-9]+)", changelog, re.MULTILINE)
    assert versions[0] == META["version"], "the newest entry is the current version"
    assert "1.0.0" in versions
    codebook = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "## Versions" in codebook and "**major**" in codebook and "**patch**" in codebook


def test_citation_and_bibtex() -> None:
    text = citation_text(META, ACCESSED, "http://example.org")
    assert f"version {META['version']}" in text and "Accessed 2026-01-02" in text
    entry = bibtex(META, ACCESSED, "http://example.org")
    assert entry.startswith("@misc{csto_monitor_") and entry.endswith("}")
    assert f"version = {{{META['version']}}}" in entry and "urldate = {2026-01-02}" in entry
    assert entry.count("{") == entry.count("}")


@pytest.mark.usefixtures("app_env")
def test_data_page_offers_api_archive_and_citation() -> None:
    at = open_app("pages/4_Data_and_sources.py", country="ARM")
    codes = [c.value for c in at.code]
    assert any("/api/v1/incidents.csv?country=ARM" in c for c in codes)
    assert any(c.startswith("@misc{") for c in codes)
    assert any(f"Accessed {date.today().isoformat()}" in c for c in codes)
    labels = [b.label for b in at.get("download_button")]
    assert "Download with documentation" in labels
    at.selectbox(key="table").set_value("clashes").run()
    assert any("/api/v1/clashes.json?country=ARM" in c.value for c in at.code)
