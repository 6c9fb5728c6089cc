"""deploy/: the nginx configuration routes by cookie, the YAML is valid and says what the README promises.

Linters that exist here are used: Debian's `nginx -t` and `yamllint` (`.ci/run` installs both). No
Dockerfile or Kubernetes linter is packaged for Debian or PyPI (hadolint and kubeconform are single
binaries from their own sites), so the Dockerfile and manifests are checked for structure instead,
the YAML read by the python3-yaml that yamllint brings along. Where a tool is missing these tests
skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import ast
import http.server
import json
import re
import shutil
import subprocess
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy import local

from .browser.harness import skip_or_fail

DEPLOY = local.REPO_ROOT / "deploy"


def nginx_binary() -> str:
    binary = local.find_nginx()
    if binary is None:
        skip_or_fail(f"no nginx; {local.INSTALL_NGINX_HINT}")
    return binary


def yamllint_binary() -> str:
    binary = shutil.which("yamllint")
    if binary is None:
        skip_or_fail("no yamllint; install it with `apt-get install -y yamllint`")
    return binary


def read_yaml(path: Path) -> list[dict]:
    """Every document in ``path``, parsed by the python that runs yamllint (it needs python3-yaml)."""
    interpreter = Path(yamllint_binary()).read_text().splitlines()[0].removeprefix("#!").split()
    script = "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
    result = subprocess.run([*interpreter, "-c", script, str(path)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(local.render_nginx_conf(local.free_port(), [local.free_port(), local.free_port()], tmp_path))
    result = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_rendering_replaces_the_upstream_and_keeps_everything_in_the_workdir(tmp_path):
    text = local.render_nginx_conf(9000, [9001, 9002], tmp_path)
    assert "server app:8501" not in text
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", text) == ["9001", "9002"]
    assert "listen 127.0.0.1:9000;" in text
    assert "/tmp/" not in text.replace(str(tmp_path), "") and "/dev/std" not in text


class NamedUpstream(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the server's name, standing in for a Streamlit replica."""

    def do_GET(self) -> None:
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def upstreams(count: int) -> Iterator[list[http.server.HTTPServer]]:
    servers = []
    for index in range(count):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NamedUpstream)
        server.name = f"replica-{index}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield servers
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(body, the route cookie set by the response, if any)"""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        set_cookie = response.headers.get("Set-Cookie")
        return response.read().decode(), set_cookie.split(";")[0] if set_cookie else None


def test_a_browser_keeps_its_replica_and_new_browsers_spread(tmp_path):
    nginx_binary()
    with upstreams(2) as servers, local.nginx_in_front([s.server_port for s in servers], tmp_path) as front:
        first_visits = [get(front.url + "/") for _ in range(40)]
        assert Counter(body for body, _ in first_visits).keys() == {"replica-0", "replica-1"}
        assert all(cookie and cookie.startswith(f"{local.ROUTE_COOKIE}=") for _, cookie in first_visits)
        for body, cookie in first_visits[:10]:
            returns = [get(front.url + "/_stcore/stream", cookie) for _ in range(5)]
            assert [b for b, _ in returns] == [body] * 5
            assert all(c is None for _, c in returns), "a browser with a route keeps it"

        # A replica that goes away takes only its own browsers elsewhere.
        body, cookie = first_visits[0]
        other = next(b for b, _ in first_visits if b != body)
        servers[int(body[-1])].shutdown()
        servers[int(body[-1])].server_close()
        assert get(front.url + "/", cookie)[0] == other
        stayed = next(c for b, c in first_visits if b == other)
        assert get(front.url + "/", stayed)[0] == other


def test_yaml_passes_yamllint():
    result = subprocess.run([yamllint_binary(), "--strict", "-c", str(DEPLOY / ".yamllint"), str(DEPLOY)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_replicas_of_the_image_behind_nginx_with_this_configuration():
    (compose,) = read_yaml(DEPLOY / "compose.yaml")
    app, nginx = compose["services"]["app"], compose["services"]["nginx"]
    assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert app["deploy"]["replicas"] >= 2
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    assert nginx["ports"] == ["8080:8080"] and "listen 8080;" in (DEPLOY / "nginx.conf").read_text()
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"


def test_kubernetes_probes_health_and_the_ingress_keeps_a_browser_on_its_pod():
    documents = {document["kind"]: document for document in read_yaml(DEPLOY / "kubernetes.yaml")}
    assert documents.keys() == {"Deployment", "Service", "Ingress"}
    deployment, service, ingress = documents["Deployment"], documents["Service"], documents["Ingress"]
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    (container,) = pod["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports == {"http": 8501}
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"] and backend["port"]["name"] == "http"


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_dockerfile_is_slim_unprivileged_and_checks_health():
    instructions = dockerfile_instructions()
    kinds = [kind for kind, _ in instructions]
    assert re.fullmatch(r"python:3\.\d+-slim", instructions[0][1]), instructions[0]
    user = instructions[kinds.index("USER")][1]
    assert user not in {"root", "0"}
    assert kinds.index("USER") > max(i for i, kind in enumerate(kinds) if kind in {"RUN", "COPY"})
    assert "/_stcore/health" in instructions[kinds.index("HEALTHCHECK")][1]
    command = json.loads(instructions[kinds.index("CMD")][1])
    assert command[:3] == ["streamlit", "run", "app.py"] and "--server.port=8501" in command


def test_dockerfile_copies_every_local_module_the_app_imports():
    copied = {args.split()[0].rstrip("/") for kind, args in dockerfile_instructions() if kind == "COPY"}
    local_names = {path.stem for path in local.REPO_ROOT.glob("*.py")} | {
        path.name for path in local.REPO_ROOT.iterdir() if path.is_dir() and any(path.glob("*.py"))}
    needed, todo = {"app.py", "app_pages"}, [local.REPO_ROOT / "app.py", *(local.REPO_ROOT / "app_pages").glob("*.py")]
    seen = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            for top in {name.split(".")[0] for name in names} & local_names:
                needed.add(top)
                todo += list((local.REPO_ROOT / top).glob("*.py"))
    assert needed <= copied, f"deploy/Dockerfile does not copy {sorted(needed - copied)}"
    for source in copied:
        assert (local.REPO_ROOT / source).exists(), source
