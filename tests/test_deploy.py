"""The replicated deployment: HAProxy's configuration, the shared secret, a live balancer with a
replica killed under it, Ctrl+C, and the container and Kubernetes recipes."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from benchmarks.replicas import Reader, render
from scripts.replicas import (
    SECRET_ENV,
    TEMPLATE,
    Deployment,
    Replica,
    check_haproxy_config,
    cookie_secret,
    find_haproxy,
    healthy,
    plan_replicas,
    render_haproxy_config,
    replica_command,
)
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
HAPROXY = find_haproxy()
needs_haproxy = pytest.mark.skipif(HAPROXY is None, reason="HAProxy is not installed")


def test_replicas_get_names_and_consecutive_ports() -> None:
    assert plan_replicas(3, 8511) == [
        Replica("r1", 8511),
        Replica("r2", 8512),
        Replica("r3", 8513),
    ]
    with pytest.raises(ValueError, match="at least one"):
        plan_replicas(0, 8511)


def test_config_has_affinity_health_checks_and_long_tunnels() -> None:
    config = render_haproxy_config(plan_replicas(2, 8511), "127.0.0.1", 8501)
    lines = [line.strip() for line in config.splitlines()]

    assert "bind 127.0.0.1:8501" in lines
    assert "cookie SERVERID insert indirect nocache" in config
    assert "option httpchk GET /_stcore/health" in lines
    assert "http-check expect string ok" in lines
    assert "option redispatch" in lines
    assert "mode http" in lines
    assert "server r1 127.0.0.1:8511 cookie r1" in lines
    assert "server r2 127.0.0.1:8512 cookie r2" in lines
    tunnel = next(line for line in lines if line.startswith("timeout tunnel"))
    assert tunnel == "timeout tunnel 1h"
    assert "$" not in config


def test_public_address_is_the_only_one_not_on_loopback() -> None:
    config = render_haproxy_config(plan_replicas(3, 9000), "0.0.0.0", 80)
    assert "bind 0.0.0.0:80" in config
    servers = re.findall(r"^\s*server \S+ (\S+)", config, re.MULTILINE)
    assert servers == ["127.0.0.1:9000", "127.0.0.1:9001", "127.0.0.1:9002"]


@needs_haproxy
@pytest.mark.parametrize("count", [1, 2, 5])
def test_haproxy_accepts_the_config(tmp_path: Path, count: int) -> None:
    path = tmp_path / "haproxy.cfg"
    path.write_text(render_haproxy_config(plan_replicas(count, 8511), "127.0.0.1", 8501))
    accepted, said = check_haproxy_config(HAPROXY, path)
    assert accepted, said


@needs_haproxy
def test_haproxy_rejects_a_broken_template(tmp_path: Path) -> None:
    broken = TEMPLATE.read_text().replace("mode http", "mode htttp")
    path = tmp_path / "haproxy.cfg"
    path.write_text(render_haproxy_config(plan_replicas(1, 8511), "127.0.0.1", 8501, broken))
    accepted, said = check_haproxy_config(HAPROXY, path)
    assert not accepted
    assert "htttp" in said


def test_cookie_secret_is_made_once_and_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    path = tmp_path / ".streamlit" / "cookie-secret"

    first = cookie_secret(path)

    assert len(first) >= 40
    assert path.stat().st_mode & 0o777 == 0o600
    assert cookie_secret(path) == first
    monkeypatch.setenv(SECRET_ENV, "from-the-environment")
    assert cookie_secret(path) == "from-the-environment"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_cookie_secret_file_is_ignored_by_git() -> None:
    result = subprocess.run(
        ["git", "check-ignore", "-q", ".streamlit/cookie-secret"], cwd=ROOT, check=False
    )
    assert result.returncode == 0


def test_replicas_listen_on_loopback_whatever_flags_are_passed() -> None:
    command = replica_command(Replica("r1", 8511), ["--server.address", "0.0.0.0"])
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", "dashboard.py"]
    assert command[command.index("--server.address", 7) + 1] == "127.0.0.1"
    assert command.index("0.0.0.0") < command.index("127.0.0.1")
    assert command[command.index("--server.port") + 1] == "8511"


def run_apart(coroutine: Coroutine[Any, Any, Reader]) -> Reader:
    """Run `coroutine` in its own thread and event loop (the browser tests keep one running)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@needs_haproxy
def test_balancer_keeps_readers_on_their_replica_and_moves_them_when_it_dies(
    tmp_path: Path,
) -> None:
    replicas = [Replica("r1", free_port()), Replica("r2", free_port())]
    deployment = Deployment(
        replicas, "127.0.0.1", free_port(), HAPROXY, "test-secret", log_dir=tmp_path
    )
    with deployment:
        for replica in replicas:
            pid = deployment.processes[replica.name].pid
            assert environment_of(pid)[SECRET_ENV] == "test-secret"

        async def visit(cookies: dict[str, str]) -> Reader:
            reader = Reader(0, cookies=dict(cookies))
            stream = await render(deployment.port, reader, timeout=120, with_page=True)
            assert stream is not None, reader.errors
            await stream.close()
            return reader

        first = run_apart(visit({}))
        assert first.replica in {"r1", "r2"}
        assert first.errors == []
        assert run_apart(visit(first.cookies)).served_by == [first.replica]
        pinned = run_apart(visit({"SERVERID": "r2"}))
        assert pinned.served_by == ["r2"]

        deployment.processes["r1"].kill()
        deployment.processes["r1"].wait()
        moved = run_apart(visit({"SERVERID": "r1"}))
        assert moved.errors == []
        assert moved.served_by == ["r2"]
        assert moved.cookies["SERVERID"] == "r2"
    assert not any(port_open(port) for port in [deployment.port, replicas[1].port])


@needs_haproxy
def test_start_replicas_stops_everything_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    first = free_port()
    env = {**os.environ, SECRET_ENV: "test-secret"}
    command = [sys.executable, "-m", "scripts.replicas", "--replicas", "2", "--port", str(port),
               "--first-replica-port", str(first)]  # fmt: skip
    log = tmp_path / "out.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while b"Ctrl+C" not in log.read_bytes():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.25)
        assert healthy(f"http://127.0.0.1:{port}")

        os.killpg(process.pid, signal.SIGINT)

        assert process.wait(timeout=60) == 0, log.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert not any(port_open(p) for p in [port, first, first + 1])
    assert "Stopping HAProxy and the replicas" in log.read_text()


def test_start_replicas_is_documented_and_installs_haproxy() -> None:
    script = (ROOT / "scripts" / "start-replicas").read_text()
    assert "apt-get install -y -qq haproxy" in script
    assert "-m scripts.replicas" in script
    readme = (ROOT / "README.md").read_text()
    assert "./scripts/start-replicas" in readme
    assert "## Deployment" in readme


def test_containerfile_builds_from_the_lock_as_a_plain_user() -> None:
    text = (ROOT / "Containerfile").read_text()
    assert "pip install --require-hashes" in text
    assert "requirements.lock" in text
    user = re.search(r"^USER (\S+)$", text, re.MULTILINE)
    assert user and user[1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*\n.*/_stcore/health", text, re.MULTILINE)
    copied = re.findall(r"^COPY (\S+) ", text, re.MULTILINE)
    for source in copied:
        assert (ROOT / source).exists(), f"Containerfile copies {source}, which is missing"
    assert ".streamlit/config.toml" in copied
    assert "dashboard.py" in copied


def test_kubernetes_example_has_affinity_probes_and_one_secret() -> None:
    text = (ROOT / "deploy" / "kubernetes.yaml").read_text()
    assert 'nginx.ingress.kubernetes.io/affinity: "cookie"' in text
    assert text.count("path: /_stcore/health") == 3
    assert "name: STREAMLIT_SERVER_COOKIE_SECRET" in text
    assert "secretKeyRef" in text
    assert "runAsNonRoot: true" in text


def test_print_config_needs_no_haproxy() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.replicas", "--print-config", "--replicas", "3",
         "--port", "8501"],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "CSTO_HAPROXY": "/nonexistent"},
    )  # fmt: skip
    assert "server r3 127.0.0.1:8513 cookie r3" in result.stdout
