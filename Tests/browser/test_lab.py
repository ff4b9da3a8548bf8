"""Browser test: real JupyterLab + headless chromium run a notebook end to end.

Opens $XLING_NOTEBOOK (default 00-tour.ipynb) from a temp copy of
$XLING_NOTEBOOK_DIR, clears it, runs all cells with the kernel named in its
metadata, waits until every code cell has an execution count and the kernel is
idle, then checks the rendered output DOM: an SVG image with non-zero size, an
HTML table with a header row and body rows, a finished progress display, and
no error output.  A screenshot goes to Tests/artifacts/lab-<notebook>.png,
pass or fail.  Fixtures and env vars: conftest.py / README.md.
"""

import json
import re
import time
from pathlib import Path

import pytest

POLL = 0.25

# --- JavaScript run in the page (window.jupyterapp: --LabApp.expose_app_in_browser) ---

FIND_PANEL = """
function findPanel(path) {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
  }
  return null;
}
"""

STATE_JS = FIND_PANEL + """
const path = arguments[0];
const dlg = document.querySelector('.jp-Dialog');
const dialog = dlg ? (dlg.innerText || dlg.textContent || '').trim() : null;
if (!window.jupyterapp) return {app: false, dialog};
const panel = findPanel(path);
if (!panel) return {app: true, dialog, panel: false};
const sc = panel.sessionContext;
const kernel = sc.session ? sc.session.kernel : null;
const cells = panel.content.widgets.map((c, index) => {
  const m = c.model;
  const outputs = [];
  if (m.type === 'code') {
    for (let i = 0; i < m.outputs.length; i++) {
      const j = m.outputs.get(i).toJSON();
      outputs.push({type: j.output_type, ename: j.ename, evalue: j.evalue,
                    traceback: j.traceback ? j.traceback.join('\\n') : undefined});
    }
  }
  const prompt = c.node.querySelector('.jp-InputPrompt');
  return {index, type: m.type, empty: m.sharedModel.getSource().trim() === '',
          count: m.type === 'code' ? m.executionCount : null,
          prompt: prompt ? prompt.textContent.trim() : null, outputs};
});
return {app: true, dialog, panel: true, ready: panel.context.isReady,
        sessionReady: sc.isReady, hasKernelSession: !!kernel,
        kernelName: kernel ? kernel.name : null,
        kernelStatus: kernel ? kernel.status : null,
        displayStatus: sc.kernelDisplayStatus, cells};
"""

RUN_ALL_JS = FIND_PANEL + """
const path = arguments[0];
const app = window.jupyterapp;
const panel = findPanel(path);
if (!panel || !app.commands.hasCommand('notebook:run-all-cells')) return false;
app.shell.activateById(panel.id);
window.__xlingRun = {done: false, error: null};
// Clear first: a notebook committed with outputs must not pass on stale outputs.
app.commands.execute('notebook:clear-all-cell-outputs')
  .then(() => app.commands.execute('notebook:run-all-cells'))
  .then(r => { window.__xlingRun.done = true; },
        e => { window.__xlingRun.error = String(e && e.stack || e); });
return true;
"""

CHECKS_JS = FIND_PANEL + """
const [path, svgSel, tableSel, progSel] = arguments;
const panel = findPanel(path);
const root = panel ? panel.node : document;
const areas = Array.from(root.querySelectorAll('.jp-OutputArea'));
function within(sel) {
  const seen = new Set();
  for (const a of areas) for (const e of a.querySelectorAll(sel)) seen.add(e);
  return Array.from(seen);
}
function box(e) { const r = e.getBoundingClientRect(); return {w: r.width, h: r.height}; }
function text(e) { return (e.innerText || e.textContent || '').trim().slice(0, 300); }
// UI icons (e.g. the JSON tree viewer's) are <svg> too: never count those.
const svg = within(svgSel).filter(e => !e.closest('.jp-RenderedJSON, .jp-icon3, [class*="jp-icon"]')).map(e => Object.assign(box(e), {
  tag: e.tagName.toLowerCase(),
  container: e.parentElement ? e.parentElement.className : '',
  natural: e.tagName === 'IMG' ? {w: e.naturalWidth, h: e.naturalHeight, complete: e.complete} : null,
}));
const tables = within(tableSel).map(t => {
  const rows = Array.from(t.querySelectorAll('tr'));
  return Object.assign(box(t), {
    headerRows: rows.filter(r => r.querySelector('th') && (r.closest('thead') || !r.querySelector('td'))).length,
    bodyRows: rows.filter(r => !r.closest('thead') && r.querySelector('td')).length,
  });
});
const progress = within(progSel).map(e => Object.assign(box(e), {text: text(e)}));
const stderr = within('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').map(text);
const jsonTrees = within('.jp-RenderedJSON').length;
const mimeTypes = within('.jp-OutputArea-output[data-mime-type]').map(e => e.getAttribute('data-mime-type'));
return {svg, tables, progress, stderr, jsonTrees, mimeTypes};
"""

PAGE_HEIGHT_JS = FIND_PANEL + """
const panel = findPanel(arguments[0]);
const outer = panel ? panel.node.querySelector('.jp-WindowedPanel-outer') : null;
if (!outer) return null;
return Math.ceil(window.innerHeight - outer.clientHeight + outer.scrollHeight + 40);
"""


# --- helpers ---


def _state(driver, path):
    return driver.execute_script(STATE_JS, path)


def _fmt_dialog(text):
    return " | ".join(line.strip() for line in text.splitlines() if line.strip())


def _errors(state):
    out = []
    for c in state.get("cells") or []:
        for o in c["outputs"]:
            if o["type"] == "error":
                tb = re.sub(r"\x1b\[[0-9;]*m", "", o.get("traceback") or "")
                out.append(f"cell {c['index']}: {o.get('ename')}: {o.get('evalue')}\n{tb[-1500:]}")
    return out


def _code_cells(state):
    return [c for c in state["cells"] if c["type"] == "code" and not c["empty"]]


def _summary(state):
    if not state or not state.get("panel"):
        return repr(state)
    cells = [(c["index"], c["prompt"], c["count"]) for c in _code_cells(state)]
    return (
        f"kernel={state.get('kernelName')} status={state.get('kernelStatus')} "
        f"display={state.get('displayStatus')} cells(index,prompt,count)={cells}"
    )


def _run_all_via_menu(driver):
    """Fallback when window.jupyterapp is unavailable: Run > Run All Cells."""
    from selenium.webdriver.common.by import By

    for item in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-itemLabel"):
        if item.text.strip() == "Run":
            item.click()
            break
    else:
        raise AssertionError("no 'Run' menu in the JupyterLab menu bar")
    time.sleep(0.3)
    for item in driver.find_elements(By.CSS_SELECTOR, ".lm-Menu-itemLabel"):
        if item.text.strip() == "Run All Cells":
            item.click()
            return
    raise AssertionError("no 'Run All Cells' entry in the Run menu")


def _screenshot(driver, settings, path_in_lab):
    settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
    out = settings.artifacts_dir / f"lab-{Path(settings.notebook).stem}.png"
    # JupyterLab scrolls inside the notebook, not the page: grow the viewport
    # to the notebook's full height so the "full page" shows every cell.
    height = None
    try:
        height = driver.execute_script(PAGE_HEIGHT_JS, path_in_lab)
    except Exception:
        pass
    if height:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1400, "height": max(1000, min(int(height), 12000)), "deviceScaleFactor": 1, "mobile": False},
        )
        time.sleep(1.0)  # let lumino re-layout
    driver.save_screenshot(str(out))
    if height:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return out


def _notebook_kernel(settings, nb_file):
    if settings.kernel:
        return settings.kernel
    meta = json.loads(nb_file.read_text(encoding="utf-8")).get("metadata", {})
    name = (meta.get("kernelspec") or {}).get("name")
    if not name:
        pytest.fail(f"{nb_file} has no metadata.kernelspec.name (set XLING_KERNEL to override)")
    return name


# --- the test ---


def test_notebook_runs_and_renders(lab_server, browser, settings, capsys):
    nb_path = settings.notebook  # relative to the server root
    kernel_name = _notebook_kernel(settings, lab_server.root / nb_path)
    specs = lab_server.api("/api/kernelspecs")["kernelspecs"]
    if kernel_name not in specs:
        pytest.fail(
            f"kernelspec {kernel_name!r} (from {nb_path} metadata) is not installed; "
            f"JupyterLab would ask to select a kernel. Installed: {sorted(specs)}. "
            f"For xling: `make kernelspec` (installs into the venv's share/jupyter/kernels)."
        )

    driver, state, failure = browser, None, None
    t0 = time.monotonic()
    try:
        driver.set_page_load_timeout(60)
        driver.get(f"{lab_server.base}/lab/tree/{nb_path}?token={lab_server.token}&reset")

        # 1. notebook panel open, kernel of the right name started and idle
        deadline = time.monotonic() + 90
        while True:
            state = _state(driver, nb_path)
            if state.get("dialog"):
                raise AssertionError(
                    f"JupyterLab shows a dialog while opening {nb_path} (kernel {kernel_name!r} not usable?): "
                    f"{_fmt_dialog(state['dialog'])}"
                )
            if (
                state.get("panel")
                and state.get("ready")
                and state.get("kernelName")
                and state.get("kernelStatus") == "idle"
            ):
                break
            if state.get("kernelStatus") == "dead":
                raise AssertionError(f"kernel {state.get('kernelName')!r} died on startup\n{lab_server.log_tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"notebook panel/kernel not ready after 90 s: {_summary(state)}\n{lab_server.log_tail()}"
                )
            time.sleep(POLL)
        assert state["kernelName"] == kernel_name, (
            f"notebook runs on kernel {state['kernelName']!r}, expected {kernel_name!r}"
        )
        assert _code_cells(state), f"{nb_path} has no non-empty code cells"

        # 2. run all cells
        via_command = driver.execute_script(RUN_ALL_JS, nb_path)
        if not via_command:
            _run_all_via_menu(driver)

        # 3. wait: every non-empty code cell has [n], none is [*], kernel idle (twice in a row)
        deadline = time.monotonic() + settings.timeout
        stable = 0
        while True:
            time.sleep(POLL)
            state = _state(driver, nb_path)
            if state.get("dialog"):
                raise AssertionError(f"JupyterLab shows a dialog while running: {_fmt_dialog(state['dialog'])}")
            run = driver.execute_script("return window.__xlingRun || null") or {}
            if run.get("error"):
                raise AssertionError(f"notebook:run-all-cells failed: {run['error']}")
            if state.get("kernelStatus") == "dead":
                raise AssertionError(f"kernel died while running: {_summary(state)}\n{lab_server.log_tail()}")
            code = _code_cells(state)
            busy = any("*" in (c["prompt"] or "") for c in code) or state.get("kernelStatus") != "idle"
            errors = _errors(state)
            if errors and not busy:
                raise AssertionError("a cell raised:\n" + "\n\n".join(errors))
            # run-all's promise resolves only after the last cell ran: together with
            # the prompts this rules out "done" on stale state before execution began.
            done = (
                (run.get("done") or not via_command)
                and not busy
                and all(c["count"] is not None for c in code)
            )
            stable = stable + 1 if done else 0
            if stable >= 2:
                break
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"cells not finished after {settings.timeout:.0f} s (XLING_LAB_TIMEOUT): {_summary(state)}"
                )
        counts = [c["count"] for c in _code_cells(state)]
        assert counts == sorted(counts) and len(set(counts)) == len(counts), (
            f"execution counts not strictly increasing in cell order: {counts}"
        )
        for c in _code_cells(state):
            assert re.fullmatch(r"\[\d+\]:", c["prompt"] or ""), f"cell {c['index']} prompt is {c['prompt']!r}"
        t_run = time.monotonic() - t0

        # 4. rendered outputs (polled briefly: <img> decoding is asynchronous)
        deadline = time.monotonic() + 20
        while True:
            dom = driver.execute_script(
                CHECKS_JS, nb_path, settings.svg_selector, settings.table_selector, settings.progress_selector
            )
            marker = settings.progress_marker.lower()
            svg_ok = [
                s for s in dom["svg"]
                if s["w"] > 0 and s["h"] > 0 and (s["natural"] is None or (s["natural"]["complete"] and s["natural"]["w"] > 0))
            ]  # fmt: skip
            table_ok = [t for t in dom["tables"] if t["headerRows"] >= 1 and t["bodyRows"] >= 1]
            progress_ok = [p for p in dom["progress"] if marker in p["text"].lower()]
            if (svg_ok and table_ok and progress_ok) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        with capsys.disabled():
            print(
                f"\n[lab] {nb_path}: ran in {t_run:.1f}s on kernel {kernel_name}; svg={dom['svg']} "
                f"tables={dom['tables']} progress={dom['progress']} json-trees={dom['jsonTrees']} "
                f"stderr-outputs={len(dom['stderr'])}"
            )
        assert svg_ok, (
            f"no rendered SVG with non-zero size matching {settings.svg_selector!r} "
            f"(XLING_SVG_SELECTOR); found {dom['svg']}; output mime types: {dom['mimeTypes']}"
        )
        assert table_ok, (
            f"no HTML table with a header row and >=1 body row matching {settings.table_selector!r} "
            f"(XLING_TABLE_SELECTOR); found {dom['tables']}; output mime types: {dom['mimeTypes']}"
        )
        assert progress_ok, (
            f"no finished progress display matching {settings.progress_selector!r} (XLING_PROGRESS_SELECTOR) "
            f"containing {settings.progress_marker!r} (XLING_PROGRESS_MARKER); found {dom['progress']}"
        )
        # 5. no error outputs: model (output_type 'error') and DOM (stderr renderer with a traceback)
        errors = _errors(state)
        assert not errors, "a cell raised:\n" + "\n\n".join(errors)
        tracebacks = [t for t in dom["stderr"] if "Traceback" in t]
        assert not tracebacks, f"traceback rendered in the output area: {tracebacks}"
    except BaseException as e:
        failure = e
        raise
    finally:
        try:
            shot = _screenshot(driver, settings, nb_path)
            with capsys.disabled():
                print(f"\n[lab] screenshot: {shot}" + (" (test failed)" if failure else ""))
        except Exception as e:  # never mask the real failure
            with capsys.disabled():
                print(f"\n[lab] screenshot failed: {e!r}")
