"""The data package loaded, validated and derived once per data version, shared by every session.

The cache key is the data folder and a signature of its files (names, sizes, modification
times), so an edited file is picked up on the next interaction without a restart.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components.data import (
    DATA_DIR,
    DataPackage,
    FileEntry,
    file_signature,
    load_package,
    package_files,
)
from components.figures import contingent_summary, source_title_lookup
from components.incidents import make_incidents
from components.membership import status_history
from components.memory import release_unused_memory

Signature = tuple[FileEntry, ...]
DataKey = tuple[str, Signature]


@dataclass(frozen=True)
class Loaded:
    """The package and the frames derived from it (shared read-only by every session)."""

    package: DataPackage
    incidents: pd.DataFrame
    history: pd.DataFrame
    source_titles: pd.Series
    contingents: pd.Series  # deployment_id -> who sent how many, as text


def data_dir() -> Path:
    """The data package folder; CSTO_DATA_DIR points elsewhere (tests, staging)."""
    return Path(os.environ.get("CSTO_DATA_DIR", DATA_DIR))


def data_signature(directory: Path) -> Signature:
    """The package files' sizes, modification times and inodes: an edit changes the cache key.

    Only the package's own files count: an editor's lock or swap file beside them does not.
    """
    return file_signature(directory, package_files())


def current_data_key() -> DataKey:
    """The key of the data version on disk now."""
    directory = data_dir()
    return str(directory), data_signature(directory)


def derive(package: DataPackage) -> Loaded:
    """The frames every page needs, built once per data version."""
    history = status_history(package["members"], package["withdrawals"])
    loaded = Loaded(
        package=package,
        incidents=make_incidents(package["clashes"], package["deployments"], history),
        history=history,
        source_titles=source_title_lookup(package["sources"]),
        contingents=contingent_summary(package["contingents"], package.country_names),
    )
    release_unused_memory()
    return loaded


# The last package that loaded without problems, per data folder: served, with a notice, while
# an edit that broke the files is being fixed (written only after a complete, valid load).
_last_good: dict[str, tuple[Signature, Loaded]] = {}


# A resource cache, not a data cache: st.cache_data hands each rerun a pickled copy, which costs
# about a second per rerun at 100,000 incidents. The frames are shared read-only: no page or
# component changes them in place (they derive new frames).
@st.cache_resource(show_spinner="Loading and validating the data…", max_entries=4)
def load_cached(directory: str, signature: Signature) -> Loaded:
    """The validated package and its derived frames, once per data version."""
    loaded = derive(load_package(Path(directory)))
    _last_good[directory] = (signature, loaded)
    exempt_from_collection()
    return loaded


def exempt_from_collection() -> None:
    """Leave everything alive now (the libraries, the data just loaded) out of later garbage
    collections.

    Streamlit collects all garbage after every script run (`runner.postScriptGC`). Walking the
    libraries' and the data's objects each time took about 100 ms per page view, holding the
    interpreter lock while the page's last messages waited to be sent. Frozen objects are still
    freed once nothing refers to them; only reference cycles among them are never collected.
    """
    gc.collect()
    gc.freeze()


def last_good_key(directory: str) -> DataKey | None:
    """The key of the last package from `directory` that loaded without problems, if any."""
    found = _last_good.get(directory)
    return None if found is None else (directory, found[0])


def get_loaded(data_key: DataKey) -> Loaded:
    """The package of `data_key`: the last good one if that is the key, else loaded (cached)."""
    directory, signature = data_key
    found = _last_good.get(directory)
    if found is not None and found[0] == signature:
        return found[1]
    return load_cached(directory, signature)
