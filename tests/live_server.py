"""Run the dashboard on a free local port, and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
# The server entry that scripts/start runs: the dashboard's pages with the data API.
ENTRY = "app.py"


class BrowserMissingError(RuntimeError):
    """No Chromium binary: the message says how to get one."""


def chromium_path() -> str:
    """CHROMIUM_PATH, else Debian's chromium; raise with the fix when there is none."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise BrowserMissingError(
        "No Chromium found for the browser tests. Install Debian's package "
        "('sudo apt-get install -y chromium') or set CHROMIUM_PATH to a Chromium binary; "
        "scripts/test does the former when run as root."
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class RunningServer:
    """A dashboard server started by `running_server`: its address, process and log file."""

    base: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]


@contextmanager
def running_server(
    data_dir: Path | None = None, port: int | None = None, start_timeout: float = 60
) -> Iterator[RunningServer]:
    """Start `streamlit run app.py` (pages and API) and yield it once /_stcore/health says ok."""
    port = port or free_port()
    env = dict(os.environ)
    if data_dir is not None:
        env["CSTO_DATA_DIR"] = str(data_dir)
    # The server's log goes to a file: an unread pipe could fill up and stall the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                ENTRY,
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, log, start_timeout)
            yield RunningServer(base, process, log)
        finally:
            stop(process)


@contextmanager
def dashboard_server(data_dir: Path | None = None, port: int | None = None) -> Iterator[str]:
    """A started dashboard server's base URL (see `running_server`)."""
    with running_server(data_dir, port) as server:
        yield server.base


def stop(process: subprocess.Popen) -> None:
    """Ask a server to stop; kill it if it has not within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_healthy(
    base: str, process: subprocess.Popen[bytes], log: IO[bytes], timeout: float = 60
) -> None:
    """Poll /_stcore/health until it answers ok; fail with the server's log if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            error = log.read().decode(errors="replace")
            raise RuntimeError(f"dashboard at {base} did not start: {error[-2000:]}")
        time.sleep(0.25)


def is_local(url: str) -> bool:
    """True for requests that stay on this machine (or never touch the network)."""
    if url.startswith(("data:", "blob:", "about:")):
        return True
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return host in LOCAL_HOSTS or host == "[::1]"
