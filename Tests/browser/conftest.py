"""Fixtures for the JupyterLab browser test: a throw-away `jupyter lab` server
and a headless chromium driven by selenium.  See README.md for the env vars."""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    notebook_dir: Path
    notebook: str
    timeout: float
    svg_selector: str
    table_selector: str
    progress_selector: str
    progress_marker: str
    artifacts_dir: Path
    chromium: str
    chromedriver: str
    kernel: str  # "" = take it from the notebook's metadata


def _env(name, default):
    value = os.environ.get(name)
    return default if value is None else value


@pytest.fixture(scope="session")
def settings():
    return Settings(
        notebook_dir=Path(_env("XLING_NOTEBOOK_DIR", str(REPO / "notebooks"))).resolve(),
        notebook=_env("XLING_NOTEBOOK", "00-tour.ipynb"),
        timeout=float(_env("XLING_LAB_TIMEOUT", "180")),
        svg_selector=_env(
            "XLING_SVG_SELECTOR",
            # image/svg+xml renders as <img src="data:image/svg+xml,..."> in .jp-RenderedSVG;
            # inline <svg> inside text/html outputs counts too, and so does a Vega-Lite chart
            # (JupyterLab prefers it to the SVG of the same bundle; drawn with Vega's SVG renderer).
            '.jp-RenderedSVG img, .jp-RenderedSVG svg, .jp-RenderedHTMLCommon svg, .jp-RenderedVegaLite svg.marks, '
            '.jp-OutputArea-output img[src^="data:image/svg+xml"]',
        ),
        table_selector=_env("XLING_TABLE_SELECTOR", ".jp-RenderedHTMLCommon table"),
        progress_selector=_env("XLING_PROGRESS_SELECTOR", '.xling-progress[data-state="done"]'),
        progress_marker=_env("XLING_PROGRESS_MARKER", "done"),
        artifacts_dir=Path(_env("XLING_ARTIFACTS_DIR", str(REPO / "Tests" / "artifacts"))),
        chromium=_env("XLING_CHROMIUM", "/usr/bin/chromium"),
        chromedriver=_env("XLING_CHROMEDRIVER", "/usr/bin/chromedriver"),
        kernel=_env("XLING_KERNEL", ""),
    )


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, root, port, token, log_path, proc):
        self.root, self.port, self.token, self.log_path, self.proc = root, port, token, log_path, proc
        self.base = f"http://127.0.0.1:{port}"

    def api(self, path, method="GET", timeout=5):
        req = urllib.request.Request(
            f"{self.base}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def log_tail(self, n=60):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no server log)"


def _descendants(pid):
    """All (transitive) child pids of `pid`.  Kernels are started in their own
    session by jupyter_client, so a process-group kill does not reach them."""
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        pass
    except Exception:
        return []
    parents = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in parents.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _kill_pids(pids, sig):
    for p in pids:
        try:
            os.kill(p, sig)
        except (ProcessLookupError, PermissionError):
            pass


@pytest.fixture(scope="session")
def lab_server(settings):
    if not settings.notebook_dir.is_dir():
        pytest.fail(f"notebook dir {settings.notebook_dir} does not exist (XLING_NOTEBOOK_DIR)")
    if not (settings.notebook_dir / settings.notebook).is_file():
        pytest.fail(f"notebook {settings.notebook_dir / settings.notebook} does not exist (XLING_NOTEBOOK)")

    tmp = Path(tempfile.mkdtemp(prefix="xling-lab-"))
    root = tmp / "notebooks"
    # A copy: the committed notebooks are never modified (JupyterLab may autosave).
    shutil.copytree(settings.notebook_dir, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for d in ("config", "data", "runtime", "workspaces", "settings", "ipython"):
        (tmp / d).mkdir()
    # Deterministic UI: every cell attached to the DOM (the default
    # 'contentVisibility' skips layout of off-screen cells, which breaks size
    # checks and screenshots), no news/update notifications, no autosave.
    user_settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }
    for rel, content in user_settings.items():
        f = tmp / "settings" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(content))

    env = dict(os.environ)
    # Only the *user* level dirs are redirected; sys.prefix (share/jupyter/kernels/xling,
    # etc/jupyter/labconfig) stays on the search path.  JUPYTER_PATH is left alone.
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
        JUPYTER_PLATFORM_DIRS="0",
    )
    port, token = _free_port(), secrets.token_hex(16)
    log_path = tmp / "server.log"
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",  # (ServerApp.token is deprecated)
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        f"--LabApp.user_settings_dir={tmp / 'settings'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=",
    ]  # fmt: skip
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = LabServer(root, port, token, log_path, proc)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{server.log_tail()}")
            try:
                server.api("/api/status", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer /api/status within 60 s:\n{server.log_tail()}")
                time.sleep(0.25)
        yield server
    finally:
        _stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)


def _stop_server(server):
    proc = server.proc
    kids = _descendants(proc.pid)
    if proc.poll() is None:
        try:  # polite: let the server shut its kernels down
            for k in server.api("/api/kernels", timeout=3) or []:
                try:
                    server.api(f"/api/kernels/{k['id']}", method="DELETE", timeout=5)
                except Exception:
                    pass
        except Exception:
            pass
        kids = sorted(set(kids) | set(_descendants(proc.pid)))
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    # whatever is left of the server's process group and of its children (kernels)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _kill_pids(kids, signal.SIGKILL)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture
def browser(settings):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for exe in (settings.chromium, settings.chromedriver):
        if not os.path.exists(exe):
            pytest.fail(f"{exe} not found (apt-get install chromium chromium-driver, or XLING_CHROMIUM / XLING_CHROMEDRIVER)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = settings.chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: selenium-manager never runs (no network here).
    service = Service(settings.chromedriver)
    driver = webdriver.Chrome(service=service, options=opts)
    try:
        yield driver
    finally:
        try:
            driver.quit()
        except Exception:
            pass
