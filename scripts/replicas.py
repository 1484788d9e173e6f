"""Several dashboard processes behind HAProxy on one public port (run by scripts/start-replicas).

Each replica is `streamlit run dashboard.py` on its own loopback port, and all share one
`server.cookieSecret`: STREAMLIT_SERVER_COOKIE_SECRET when set, else the secret kept in
.streamlit/cookie-secret (made on the first run; git ignores it). HAProxy, configured from
deploy/haproxy.cfg.template, listens on the public port, keeps each reader on one replica with a
cookie, and takes a replica out while /_stcore/health does not answer. Ctrl+C (or SIGTERM) stops
HAProxy, then the replicas.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "haproxy.cfg.template"
SECRET_FILE = ROOT / ".streamlit" / "cookie-secret"
SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
HEALTH = "/_stcore/health"
# A replica that exits sooner than this after its start is not restarted: it would only fail again.
STEADY_SECONDS = 30


@dataclass(frozen=True)
class Replica:
    """One dashboard process: its name (also the value of its affinity cookie) and loopback port."""

    name: str
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def plan_replicas(count: int, first_port: int) -> list[Replica]:
    """`count` replicas named r1, r2, ... on consecutive ports from `first_port`."""
    if count < 1:
        raise ValueError("at least one replica is needed")
    return [Replica(f"r{number}", first_port + number - 1) for number in range(1, count + 1)]


def render_haproxy_config(
    replicas: list[Replica], address: str, port: int, template: str | None = None
) -> str:
    """The HAProxy configuration for `replicas` behind `address:port`."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    servers = "\n".join(
        f"    server {replica.name} 127.0.0.1:{replica.port} cookie {replica.name}"
        for replica in replicas
    )
    return Template(text).substitute(bind=f"{address}:{port}", servers=servers)


def cookie_secret(path: Path = SECRET_FILE) -> str:
    """STREAMLIT_SERVER_COOKIE_SECRET when set, else the secret in `path` (made the first time)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    if path.exists() and path.read_text(encoding="utf-8").strip():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(secret + "\n")
    return secret


def find_haproxy() -> str | None:
    """CSTO_HAPROXY, else `haproxy` on PATH, else Debian's /usr/sbin/haproxy."""
    for candidate in (
        os.environ.get("CSTO_HAPROXY"),
        shutil.which("haproxy"),
        "/usr/sbin/haproxy",
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def check_haproxy_config(haproxy: str, config: Path) -> tuple[bool, str]:
    """Whether `haproxy -c` accepts the file, and what it said."""
    result = subprocess.run(
        [haproxy, "-c", "-f", str(config)], capture_output=True, text=True, check=False
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def replica_command(replica: Replica, streamlit_args: list[str]) -> list[str]:
    """`streamlit run dashboard.py` on the replica's loopback port, with the given extra flags."""
    return [
        sys.executable, "-m", "streamlit", "run", "dashboard.py", *streamlit_args,
        "--server.address", "127.0.0.1", "--server.port", str(replica.port),
        "--server.headless", "true", "--server.fileWatcherType", "none",
    ]  # fmt: skip


def healthy(base: str, timeout: float = 2) -> bool:
    """True when `base`/_stcore/health answers ok."""
    try:
        with urllib.request.urlopen(base + HEALTH, timeout=timeout) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def _copy_lines(stream: IO[bytes], prefix: str) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{prefix}{line.decode(errors='replace')}")
        sys.stdout.flush()


@dataclass
class Deployment:
    """The replicas and HAProxy in front of them, started and stopped together.

    With `log_dir`, each process writes to its own file there; without, to this terminal, each
    line prefixed with the process's name.
    """

    replicas: list[Replica]
    address: str
    port: int
    haproxy: str
    secret: str
    streamlit_args: list[str] = field(default_factory=list)
    log_dir: Path | None = None
    environment: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    started: dict[str, float] = field(default_factory=dict)
    config_path: Path | None = None
    _scratch: Path | None = None

    @property
    def public_base(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::", "") else self.address
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 120) -> None:
        """Start every replica, wait until all answer, then start HAProxy and wait for it."""
        self._scratch = Path(tempfile.mkdtemp(prefix="csto-replicas-"))
        self.config_path = (self.log_dir or self._scratch) / "haproxy.cfg"
        self.config_path.write_text(
            render_haproxy_config(self.replicas, self.address, self.port), encoding="utf-8"
        )
        accepted, said = check_haproxy_config(self.haproxy, self.config_path)
        if not accepted:
            raise RuntimeError(f"haproxy rejected {self.config_path}:\n{said}")
        for replica in self.replicas:
            self.start_replica(replica)
        deadline = time.monotonic() + timeout
        for replica in self.replicas:
            self._wait(replica.name, replica.base, deadline)
        self._spawn("haproxy", [self.haproxy, "-db", "-f", str(self.config_path)])
        self._wait("haproxy", self.public_base, deadline)

    def start_replica(self, replica: Replica) -> None:
        environment = {**os.environ, **self.environment, SECRET_ENV: self.secret}
        self._spawn(replica.name, replica_command(replica, self.streamlit_args), environment)

    def _spawn(self, name: str, command: list[str], environment: dict | None = None) -> None:
        if self.log_dir is not None:
            with (self.log_dir / f"{name}.log").open("ab") as log:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
                )
        else:
            process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            threading.Thread(
                target=_copy_lines, args=(process.stdout, f"[{name}] "), daemon=True
            ).start()
        self.processes[name] = process
        self.started[name] = time.monotonic()

    def _wait(self, name: str, base: str, deadline: float) -> None:
        while not healthy(base):
            code = self.processes[name].poll()
            if code is not None:
                raise RuntimeError(f"{name} exited with code {code} before it answered")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer {base}{HEALTH} in time")
            time.sleep(0.25)

    def stop(self, grace: float = 0) -> None:
        """Stop HAProxy first (no new requests), then the replicas; kill what lingers.

        `grace`: seconds to let processes that already got the terminal's Ctrl+C exit by
        themselves.
        """
        order = ["haproxy", *[replica.name for replica in self.replicas]]
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
        for name in order:
            process = self.processes.get(name)
            if process is not None and process.poll() is None:
                process.terminate()
                if name == "haproxy":
                    _wait_or_kill(process)
        for name in order[1:]:
            if name in self.processes:
                _wait_or_kill(self.processes[name])
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> Deployment:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_or_kill(process: subprocess.Popen, seconds: float = 10) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def supervise(deployment: Deployment) -> int:
    """Keep the deployment running: restart a replica that exits, stop when HAProxy does."""
    given_up: set[str] = set()
    while True:
        time.sleep(1)
        code = deployment.processes["haproxy"].poll()
        if code is not None:
            print(f"haproxy exited with code {code}; stopping the replicas", file=sys.stderr)
            return 1
        for replica in deployment.replicas:
            process = deployment.processes[replica.name]
            if replica.name in given_up or process.poll() is None:
                continue
            ran = time.monotonic() - deployment.started[replica.name]
            if ran < STEADY_SECONDS:
                print(
                    f"{replica.name} exited with code {process.returncode} {ran:.0f} s after it "
                    "started; not restarting it (the others go on serving)",
                    file=sys.stderr,
                )
                given_up.add(replica.name)
            else:
                print(f"{replica.name} exited with code {process.returncode}; restarting it")
                deployment.start_replica(replica)
        if len(given_up) == len(deployment.replicas):
            print("no replica is left", file=sys.stderr)
            return 1


_TERMINATED: list[int] = []


def _terminated(signum: int, frame: object) -> None:
    _TERMINATED.append(signum)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Serve the dashboard from several processes behind HAProxy on one port.",
        epilog="Other flags (e.g. --server.maxMessageSize 100) go to every replica's Streamlit.",
    )
    parser.add_argument(
        "--replicas", type=int, default=int(os.environ.get("CSTO_REPLICAS", "2")),
        help="how many dashboard processes (CSTO_REPLICAS, else 2); one per core is a good start",
    )  # fmt: skip
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("CSTO_PORT", "8501")),
        help="the public port HAProxy listens on (CSTO_PORT, else 8501)",
    )  # fmt: skip
    parser.add_argument(
        "--address", default="127.0.0.1",
        help="where HAProxy listens (127.0.0.1: this machine only; 0.0.0.0: the network)",
    )  # fmt: skip
    parser.add_argument(
        "--first-replica-port", type=int, default=None,
        help="loopback port of the first replica, the others follow (default: public port + 10)",
    )  # fmt: skip
    parser.add_argument(
        "--print-config", action="store_true", help="print the HAProxy configuration and exit"
    )
    args, streamlit_args = parser.parse_known_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    replicas = plan_replicas(args.replicas, args.first_replica_port or args.port + 10)
    if args.print_config:
        print(render_haproxy_config(replicas, args.address, args.port), end="")
        return 0
    haproxy = find_haproxy()
    if haproxy is None:
        print(
            "error: HAProxy is needed (Debian: 'sudo apt-get install -y haproxy'), or set "
            "CSTO_HAPROXY to its binary.",
            file=sys.stderr,
        )
        return 1

    # Ctrl+C reaches every process of the terminal's group; SIGTERM only this one.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _terminated)
    deployment = Deployment(replicas, args.address, args.port, haproxy, cookie_secret())
    deployment.streamlit_args = streamlit_args
    try:
        deployment.start()
        ports = ", ".join(str(replica.port) for replica in replicas)
        print(
            f"CSTO Monitor: {len(replicas)} replicas (loopback ports {ports}) behind HAProxy: "
            f"open http://localhost:{args.port} in a browser (Ctrl+C stops them all)",
            flush=True,
        )
        return supervise(deployment)
    except KeyboardInterrupt:
        print("\nStopping HAProxy and the replicas", flush=True)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        deployment.stop(grace=0 if _TERMINATED else 5)
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        deployment.stop()


if __name__ == "__main__":
    sys.exit(main())
