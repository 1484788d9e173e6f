"""Server configuration and project hygiene that users rely on without seeing it."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
# Modules of pure logic: no Streamlit import (they are unit tested without a running app).
STREAMLIT_MODULES = {
    "components/chart_images.py",
    "components/controls.py",
    "components/get_data.py",
    "components/page.py",
    "components/store.py",
    "components/views.py",
    "components/web.py",
    "components/widgets.py",
}
PURE_MODULES = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "components").glob("*.py")
    if str(p.relative_to(ROOT)) not in STREAMLIT_MODULES
)
APP_FILES = [
    "dashboard.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")),
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_usage_statistics() -> None:
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_xsrf_protection_stays_on() -> None:
    assert CONFIG["server"]["enableXsrfProtection"] is True


def test_binds_to_localhost_by_default() -> None:
    assert CONFIG["server"]["address"] == "127.0.0.1"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--server.address 0.0.0.0" in readme, "README documents how to share on a network"


@pytest.mark.parametrize("path", [*APP_FILES, *sorted(STREAMLIT_MODULES)])
def test_no_file_upload_endpoint(path: str) -> None:
    assert "file_uploader" not in (ROOT / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PURE_MODULES)
def test_pure_modules_do_not_import_streamlit(path: str) -> None:
    assert "streamlit" not in imported_modules(ROOT / path)


@pytest.mark.parametrize("path", [*APP_FILES, *sorted(STREAMLIT_MODULES)])
def test_pages_never_allow_raw_html(path: str) -> None:
    assert "unsafe_allow_html=True" not in (ROOT / path).read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/test" in ci
    assert "./scripts/test" in readme and "./scripts/start" in readme


def test_served_like_a_public_service() -> None:
    """Known host names only, no error details or file paths shown to visitors."""
    assert set(CONFIG["server"]["allowedHosts"]) >= {"localhost", "127.0.0.1"}
    assert "*" not in CONFIG["server"]["allowedHosts"]
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_light_and_dark_themes_follow_the_browser() -> None:
    assert "base" not in CONFIG.get("theme", {}), "no fixed base: the browser's setting decides"
    assert CONFIG["theme"]["light"]["primaryColor"] != CONFIG["theme"]["dark"]["primaryColor"]
