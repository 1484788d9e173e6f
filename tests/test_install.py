"""The set-up script picks an interpreter as the README says; the lock files match the pins."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP = ROOT / "scripts" / "bootstrap.sh"
# What bootstrap.sh needs besides Python, linked into a PATH that holds no real interpreter.
TOOLS = ["bash", "cat", "cp", "cut", "dirname", "basename", "mkdir", "sha256sum", "chmod"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", re.MULTILINE)

# A stand-in interpreter: answers the version question, makes a "venv" (a copy of itself) and
# logs every other call, so that a test sees which interpreter made the environment.
FAKE_PYTHON = """#!/bin/sh
echo "$0 $*" >>"$FAKE_LOG"
case "$1" in
  -c) echo "{version}" ;;
  -m) if [ "$2" = venv ]; then mkdir -p "$4/bin" && cp "$0" "$4/bin/python"; fi ;;
esac
"""


def fake_python(folder: Path, name: str, version: str) -> Path:
    path = folder / name
    path.write_text(FAKE_PYTHON.format(version=version))
    path.chmod(0o755)
    return path


def broken_shim(folder: Path, name: str) -> Path:
    """Like a version manager's shim for a version that is not installed."""
    path = folder / name
    path.write_text(f'#!/bin/sh\necho "shim: {name}: command not found" >&2\nexit 127\n')
    path.chmod(0o755)
    return path


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A PATH folder with the shell tools bootstrap.sh uses and no Python at all."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, f"{tool} is needed to run bootstrap.sh"
        (folder / tool).symlink_to(found)
    return folder


def run_bootstrap(tmp_path: Path, bin_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "CSTO_VENV": str(tmp_path / "venv"),
        "FAKE_LOG": str(tmp_path / "calls.log"),
        **env,
    }
    return subprocess.run(
        [str(bin_dir / "bash"), "-c", f'source "{BOOTSTRAP}" && bootstrap requirements.lock'],
        env=environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_picks_the_newest_supported_python(tmp_path: Path, bin_dir: Path) -> None:
    fake_python(bin_dir, "python3.11", "3.11")
    fake_python(bin_dir, "python3.13", "3.13")
    fake_python(bin_dir, "python3.12", "3.12")
    broken_shim(bin_dir, "python3.14")
    fake_python(bin_dir, "python3", "3.10")

    result = run_bootstrap(tmp_path, bin_dir)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "with Python 3.13" in result.stdout
    made = [line for line in calls(tmp_path) if " -m venv " in line]
    assert made == [f"{bin_dir / 'python3.13'} -m venv --clear {tmp_path / 'venv'}"]
    install = next(line for line in calls(tmp_path) if " -m pip install " in line)
    assert "--require-hashes" in install
    assert install.endswith(f"-r {ROOT / 'requirements.lock'}")


def test_plain_python3_counts_when_its_version_is_supported(tmp_path: Path, bin_dir: Path) -> None:
    fake_python(bin_dir, "python3", "3.14")

    result = run_bootstrap(tmp_path, bin_dir)

    assert result.returncode == 0, result.stderr
    assert "with Python 3.14" in result.stdout


def test_the_python_variable_wins(tmp_path: Path, bin_dir: Path) -> None:
    fake_python(bin_dir, "python3.13", "3.13")
    chosen = fake_python(tmp_path, "my-python", "3.11")

    result = run_bootstrap(tmp_path, bin_dir, PYTHON=str(chosen))

    assert result.returncode == 0, result.stderr
    assert "with Python 3.11" in result.stdout


def test_the_python_variable_remakes_an_environment_of_another_version(
    tmp_path: Path, bin_dir: Path
) -> None:
    fake_python(bin_dir, "python3.11", "3.11")
    assert run_bootstrap(tmp_path, bin_dir).returncode == 0
    newer = fake_python(tmp_path, "python-new", "3.13")

    result = run_bootstrap(tmp_path, bin_dir, PYTHON=str(newer))

    assert result.returncode == 0, result.stderr
    assert "with Python 3.13" in result.stdout
    assert run_bootstrap(tmp_path, bin_dir, PYTHON=str(newer)).stdout == ""


def test_an_unsupported_python_variable_is_named(tmp_path: Path, bin_dir: Path) -> None:
    old = fake_python(tmp_path, "python-old", "3.10")

    result = run_bootstrap(tmp_path, bin_dir, PYTHON=str(old))

    assert result.returncode == 1
    assert result.stderr == (
        f"error: PYTHON={old} is Python 3.10; CSTO Monitor needs Python 3.11 to 3.14.\n"
    )


def test_no_supported_python_says_what_it_looked_for(tmp_path: Path, bin_dir: Path) -> None:
    fake_python(bin_dir, "python3", "3.10")
    broken_shim(bin_dir, "python3.12")

    result = run_bootstrap(tmp_path, bin_dir)

    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "error: no supported Python found: looked on PATH for python3.14, python3.13, "
        "python3.12, python3.11, python3 and python,"
    )
    assert "wanting Python 3.11 to 3.14" in lines[1]
    assert "PYTHON=" in result.stderr
    assert "command not found" not in result.stderr
    assert not (tmp_path / "venv").exists()


def test_supported_versions_agree_with_pyproject() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11,<3.15"' in pyproject
    assert "SUPPORTED_PYTHONS=(3.14 3.13 3.12 3.11)" in BOOTSTRAP.read_text()


def pins(path: Path) -> dict[str, str]:
    """Package (normalised name) to pinned version, in a requirements or lock file."""
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


@pytest.mark.parametrize(
    ("inputs", "lock"),
    [
        (["requirements.txt"], "requirements.lock"),
        (["requirements.txt", "requirements-dev.txt"], "requirements-dev.lock"),
    ],
)
def test_lock_holds_every_pin_of_its_inputs(inputs: list[str], lock: str) -> None:
    locked = pins(ROOT / lock)
    for name in inputs:
        for package, version in pins(ROOT / name).items():
            assert locked.get(package) == version, f"{lock}: {package} is not {version}"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_hashes(lock: str) -> None:
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    packages = [entry for entry in entries if PIN.match(entry)]
    assert len(packages) > 20
    for entry in packages:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_both_locks_agree_on_shared_packages() -> None:
    runtime, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("script", ["start", "start-replicas", "test"])
def test_scripts_install_from_a_lock_file(script: str) -> None:
    text = (ROOT / "scripts" / script).read_text()
    assert re.search(r"^bootstrap requirements(-dev)?\.lock$", text, re.MULTILINE)
    assert os.access(ROOT / "scripts" / script, os.X_OK)
