"""Shared fixtures: a tiny valid data package that tests copy and break at will."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings
from playwright.sync_api import Browser, sync_playwright

from components.data import DATA_DIR, GEOMETRY_FILE, DataPackage, load_package
from components.membership import status_history
from components.store import Loaded, derive
from tests.live_server import CHROMIUM_ARGS, BrowserMissingError, chromium_path

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "mini"

# A test run depends on nothing left by an earlier run and on no chance: no example database,
# the same examples every time. HYPOTHESIS_PROFILE=explore searches fresh examples locally.
settings.register_profile("repeatable", database=None, derandomize=True, deadline=None)
settings.register_profile("explore", database=None, deadline=None, max_examples=2_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def copy_mini_package(target: Path) -> Path:
    """Copy the fixture package, with the real country geometry, into `target`."""
    shutil.copytree(FIXTURE_DIR, target, dirs_exist_ok=True)
    shutil.copy(DATA_DIR / GEOMETRY_FILE, target / GEOMETRY_FILE)
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The session's one Chromium, for every browser test (a second Playwright in the same
    process would find the first one's event loop running and refuse to start)."""
    try:
        executable = chromium_path()
    except BrowserMissingError as missing:
        pytest.fail(str(missing), pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    return copy_mini_package(tmp_path / "data")


@pytest.fixture(scope="session")
def mini_package(tmp_path_factory: pytest.TempPathFactory) -> DataPackage:
    """The fixture package, loaded once: read-only (tests that edit files use `mini_dir`)."""
    return load_package(copy_mini_package(tmp_path_factory.mktemp("mini") / "data"))


@pytest.fixture(scope="session")
def real_package() -> DataPackage:
    return load_package(DATA_DIR)


def loaded_of(package: DataPackage) -> Loaded:
    """The frames the dashboard derives from a package."""
    return derive(package)


def history_of(package: DataPackage) -> pd.DataFrame:
    """Each state's status periods in a package (the membership rule's input to everything)."""
    return status_history(package["members"], package["withdrawals"])


def incidents_of(package: DataPackage) -> pd.DataFrame:
    """The incidents table of a package, as the dashboard builds it."""
    return derive(package).incidents


def read_table(directory: Path, table: str) -> pd.DataFrame:
    """A fixture CSV as raw strings, for editing."""
    return pd.read_csv(directory / f"{table}.csv", dtype=str, keep_default_na=False)


def write_table(directory: Path, table: str, frame: pd.DataFrame) -> None:
    frame.to_csv(directory / f"{table}.csv", index=False)
