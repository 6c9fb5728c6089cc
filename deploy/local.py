"""The deployment without containers: deploy/nginx.conf in front of N local `streamlit run app.py` replicas.

Tests and benchmarks/load.py use it; it also runs by hand:

    python deploy/local.py --replicas 2 --port 8650      # then open http://127.0.0.1:8650

Uses Debian's nginx binary (``apt-get install -y nginx``) as an unprivileged process with its own
prefix, pid file and temp folders, so it never touches the system's nginx.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"
ROUTE_COOKIE = "playground_route"
START_TIMEOUT_S = 60
INSTALL_NGINX_HINT = "install it with `apt-get install -y nginx`, or point NGINX_PATH at an nginx binary"


class StartError(RuntimeError):
    """A server did not come up; the message carries its log."""


@dataclass
class Server:
    """A process we started, the port it answers on and where its output goes."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def find_nginx() -> str | None:
    """NGINX_PATH if set, else Debian's /usr/sbin/nginx, else an nginx on PATH."""
    configured = os.environ.get("NGINX_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/sbin/nginx", os.X_OK):
        return "/usr/sbin/nginx"
    return shutil.which("nginx")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_nginx_conf(listen_port: int, upstream_ports: Sequence[int], workdir: Path) -> str:
    """deploy/nginx.conf with local upstreams, a local listen port and every path inside ``workdir``."""
    text = NGINX_CONF.read_text()
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in upstream_ports)
    text, replaced = re.subn(r"^ *server app:8501 [^\n]*;$", servers, text, flags=re.MULTILINE)
    text, listens = re.subn(r"^( *)listen 8080;$", rf"\1listen 127.0.0.1:{listen_port};", text, flags=re.MULTILINE)
    if (replaced, listens) != (1, 1):
        raise ValueError(f"{NGINX_CONF} no longer has one 'server app:8501' and one 'listen 8080' line")
    text = text.replace("/tmp/", f"{workdir}/")
    return text.replace("/dev/stdout", str(workdir / "access.log")).replace("/dev/stderr", str(workdir / "error.log"))


def wait_until_healthy(server: Server, path: str = "/_stcore/health") -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise StartError(f"exited with code {server.process.returncode}:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=2) as response:
                if response.read() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise StartError(f"{server.url}{path} did not answer within {START_TIMEOUT_S} s:\n{server.log.read_text()}")


def wait_until_listening(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise StartError(f"exited with code {server.process.returncode}:\n{server.log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.1)
    raise StartError(f"nothing listens on port {server.port} after {START_TIMEOUT_S} s:\n{server.log.read_text()}")


def start_streamlit(port: int, log: Path, options: Sequence[str] = (), root: Path = REPO_ROOT) -> Server:
    """`streamlit run app.py` in ``root`` (this repository by default, or a copy of another revision);
    ``options`` are extra `--section.name value` pairs."""
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        # Others edit the checkout meanwhile; a file watcher would show "source changed" prompts.
        "--server.fileWatcherType", "none",
        *options,
    ]  # fmt: skip
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=root, stdout=output, stderr=subprocess.STDOUT)
    return Server(process, port, log)


@contextmanager
def replicas(count: int, log_dir: Path, options: Sequence[str] = (), root: Path = REPO_ROOT) -> Iterator[list[Server]]:
    """``count`` healthy Streamlit replicas on free ports, stopped on exit."""
    servers = [start_streamlit(free_port(), log_dir / f"replica-{index}.log", options, root) for index in range(count)]
    try:
        for server in servers:
            wait_until_healthy(server)
        yield servers
    finally:
        for server in servers:
            server.stop()


@contextmanager
def nginx_in_front(upstream_ports: Sequence[int], log_dir: Path, port: int | None = None) -> Iterator[Server]:
    """nginx from deploy/nginx.conf on ``port`` (a free one by default), routing to ``upstream_ports``."""
    binary = find_nginx()
    if binary is None:
        raise FileNotFoundError(f"no nginx binary found; {INSTALL_NGINX_HINT}")
    workdir = Path(tempfile.mkdtemp(prefix="playground-nginx-"))
    workdir.chmod(0o755)  # run as root, nginx's workers drop to nobody and still need its temp folders
    port = port or free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(render_nginx_conf(port, upstream_ports, workdir))
    log = workdir / "error.log"
    with log.open("w") as startup_errors:  # before it reads its configuration, nginx complains to stderr
        process = subprocess.Popen([binary, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=startup_errors)
    server = Server(process, port, log)
    try:
        wait_until_listening(server)
        yield server
    finally:
        server.stop()
        log_dir.mkdir(parents=True, exist_ok=True)
        for name in ("access.log", "error.log", "nginx.conf"):
            if (workdir / name).exists():
                shutil.copy(workdir / name, log_dir / f"nginx-{name}")
        shutil.rmtree(workdir, ignore_errors=True)


def access_log(nginx: Server) -> list[str]:
    """The lines nginx has logged so far (format ``upstreams`` in deploy/nginx.conf)."""
    path = nginx.log.with_name("access.log")
    return path.read_text().splitlines() if path.exists() else []


@contextmanager
def cluster(count: int, log_dir: Path, port: int | None = None,
            options: Sequence[str] = ()) -> Iterator[tuple[Server, list[Server]]]:
    """(nginx, replicas): ``count`` replicas behind nginx."""
    with ExitStack() as stack:
        servers = stack.enter_context(replicas(count, log_dir, options))
        front = stack.enter_context(nginx_in_front([s.port for s in servers], log_dir, port))
        yield front, servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8650, help="nginx's port")
    parser.add_argument("--logs", type=Path, default=REPO_ROOT / "test-artifacts" / "local-deploy")
    args = parser.parse_args()
    # A plain `kill` must stop the replicas and nginx too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with cluster(args.replicas, args.logs, args.port) as (front, servers):
        print(f"{front.url} -> {', '.join(s.url for s in servers)}; logs in {args.logs}; Ctrl-C stops", flush=True)
        try:
            while all(s.process.poll() is None for s in [front, *servers]):
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
