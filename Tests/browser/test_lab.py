"""Browser test: real JupyterLab + headless chromium run a notebook end to end.

In an unmodified JupyterLab (no renderer disabled): opens each committed notebook and
an nbclient-executed copy of $XLING_NOTEBOOK *without running them* and checks that every
table output renders its text/html as an HTML table (never a JSON tree); then

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

# Every output whose data carries a table (Table Schema twin, or a legacy bare application/json
# twin) beside text/html: which MIME type JupyterLab rendered and whether an HTML <table> with a
# header and body rows is in it. Output models and output DOM nodes are in the same order.
TABLE_OUTPUTS_JS = FIND_PANEL + """
const path = arguments[0];
const panel = findPanel(path);
if (!panel) return null;
const out = [];
panel.content.widgets.forEach((cell, index) => {
  if (cell.model.type !== 'code') return;
  const nodes = Array.from(cell.node.querySelectorAll('.jp-OutputArea-child .jp-OutputArea-output'));
  for (let i = 0; i < cell.model.outputs.length; i++) {
    const data = cell.model.outputs.get(i).toJSON().data || {};
    const kinds = Object.keys(data);
    if (!('text/html' in data) || !kinds.some(k => k === 'application/vnd.dataresource+json' || k === 'application/json')) continue;
    const node = nodes[i];
    const table = node ? node.querySelector('table') : null;
    // A table wider than the output area scrolls inside its wrapper; the output never overflows.
    const wrap = node ? node.querySelector('.xling-table-wrap') : null;
    out.push({cell: index, output: i, kinds,
              overflows: node ? node.scrollWidth > node.clientWidth + 1 : false,
              scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false,
              rendered: node ? node.getAttribute('data-mime-type') : null,
              jsonTree: node ? !!node.querySelector('.jp-RenderedJSON') : false,
              table: !!table && !!table.querySelector('th') && !!table.querySelector('tbody td')});
  }
});
return out;
"""

# Which MIME type the notebook's rendermime registry picks for a bundle, trusted ('any') and
# untrusted ('ensure'), for xling's table bundle and for the old one with bare application/json.
PREFERRED_JS = FIND_PANEL + """
const panel = findPanel(arguments[0]);
if (!panel) return null;
const rm = panel.content.rendermime;
const html = '<table><tr><th>a</th></tr><tr><td>1</td></tr></table>';
const bundles = {
  'html+dataresource+plain': {'text/html': html, 'text/plain': 'a\\n1',
      'application/vnd.dataresource+json': {schema: {fields: [{name: 'a', type: 'integer'}]}, data: [{a: 1}]}},
  'html+json+plain': {'text/html': html, 'text/plain': 'a\\n1', 'application/json': [{a: 1}]},
};
const out = {};
for (const [name, bundle] of Object.entries(bundles)) {
  out[name] = {trusted: rm.preferredMimeType(bundle, 'any') || null, untrusted: rm.preferredMimeType(bundle, 'ensure') || null};
}
return out;
"""

# How help renders in the lab: computed alignment of help prose and of the text cells of every
# xling table (JupyterLab right-aligns `dataframe` cells by default), usage tokens that never
# break, and the cell magics in %lsmagic.
HELP_LAYOUT_JS = FIND_PANEL + """
const panel = findPanel(arguments[0]);
if (!panel) return null;
const root = panel.node;
const align = e => getComputedStyle(e).textAlign;
const rightProse = [];
for (const e of root.querySelectorAll('.jp-OutputArea .xling-help p, .jp-OutputArea .xling-help td, .jp-OutputArea .xling-help th')) {
  if (!['left', 'start'].includes(align(e))) rightProse.push((e.textContent || '').slice(0, 60) + ' → ' + align(e));
}
const usage = Array.from(root.querySelectorAll('.jp-OutputArea .xling-usage'));
const usageTokens = usage.flatMap(u => Array.from(u.querySelectorAll('code')));
const breaking = usageTokens.filter(c => getComputedStyle(c).whiteSpace !== 'nowrap').map(c => c.textContent);
const overview = Array.from(root.querySelectorAll('.jp-OutputArea table.xling-table'))
  .find(t => (t.querySelector('caption') || {}).textContent === 'xling magics');
const overviewCells = overview ? Array.from(overview.querySelectorAll('td, th')).map(align) : [];
const text = root.querySelector('.jp-OutputArea') ? Array.from(root.querySelectorAll('.jp-OutputArea')).map(a => a.textContent).join(' ') : '';
return {helpBlocks: root.querySelectorAll('.jp-OutputArea .xling-help').length, rightProse,
        usageBlocks: usage.length, usageTokens: usageTokens.length, breaking,
        overviewColumns: overview ? overview.querySelectorAll('thead th').length : 0,
        overviewRight: overviewCells.filter(a => !['left', 'start'].includes(a)).length,
        lsmagicCellMagics: text.includes('Available cell magics:') && text.includes('%%dict')};
"""

# The lab's page config: an unmodified JupyterLab disables none of the JSON renderers.
DISABLED_EXTENSIONS_JS = """
const el = document.getElementById('jupyter-config-data');
if (!el) return null;
const cfg = JSON.parse(el.textContent);
return cfg.disabledExtensions || [];
"""

TABLE_MIME = "application/vnd.dataresource+json"

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


def _screenshot(driver, settings, path_in_lab, name=None):
    settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
    out = settings.artifacts_dir / f"lab-{name or Path(settings.notebook).stem}.png"
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


def _screenshot_last_cells(driver, settings, n, stem):
    """Screenshots of the last n cells (input and output) as artifacts, e.g. help pages."""
    from selenium.webdriver.common.by import By

    cells = driver.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    for i, cell in enumerate(cells[-n:]):
        try:
            driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", cell)
            time.sleep(0.2)
            cell.screenshot(str(settings.artifacts_dir / f"lab-{stem}-{i}.png"))
        except Exception:
            pass  # artifacts only: never fail the test for a screenshot


def _assert_stock_lab(driver):
    """JupyterLab as anyone installs it: no JSON renderer disabled by a page_config.json."""
    disabled = driver.execute_script(DISABLED_EXTENSIONS_JS)
    assert disabled is not None, "no #jupyter-config-data in the lab page"
    json_off = [d for d in disabled if "json" in d]
    assert not json_off, f"the lab disables JSON renderers ({json_off}): the test needs an unmodified JupyterLab"


def _assert_tables_render_as_html(driver, nb_path, require_schema):
    """Every output carrying a table twin renders its text/html as an HTML table, never as a
    JSON tree; with require_schema the twin is Table Schema JSON (no bare application/json)."""
    outputs = driver.execute_script(TABLE_OUTPUTS_JS, nb_path) or []
    assert outputs, f"{nb_path}: no output carries a table (text/html + {TABLE_MIME})"
    bad = [o for o in outputs if o["rendered"] != "text/html" or o["jsonTree"] or not o["table"] or o["overflows"]]
    assert not bad, f"{nb_path}: table outputs not rendered as HTML tables: {bad}"
    if require_schema:
        legacy = [o for o in outputs if "application/json" in o["kinds"] or TABLE_MIME not in o["kinds"]]
        assert not legacy, f"{nb_path}: table outputs without a Table Schema twin (or with bare application/json): {legacy}"
    return outputs


def _open_without_running(driver, lab_server, nb_path, wait_kernel=False):
    """Opens a notebook in the lab as a reader would (untrusted, not run) and waits until its
    outputs are rendered."""
    driver.set_page_load_timeout(60)
    driver.get(f"{lab_server.base}/lab/tree/{nb_path}?token={lab_server.token}&reset")
    deadline = time.monotonic() + 90
    while True:
        state = _state(driver, nb_path)
        if state.get("dialog"):
            raise AssertionError(f"JupyterLab shows a dialog while opening {nb_path}: {_fmt_dialog(state['dialog'])}")
        if state.get("panel") and state.get("ready"):
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"{nb_path} not open after 90 s: {_summary(state)}")
        time.sleep(POLL)
    time.sleep(1.0)  # let the output areas render
    return state


def _committed_notebooks():
    root = Path(__file__).resolve().parents[2] / "notebooks"
    return sorted(p.name for p in root.glob("*.ipynb"))


def _outputs_with(nb_file, mime):
    nb = json.loads(Path(nb_file).read_text(encoding="utf-8"))
    return sum(
        1 for c in nb.get("cells", []) if c.get("cell_type") == "code"
        for o in c.get("outputs", []) if mime in (o.get("data") or {})
    )  # fmt: skip


def test_executed_notebook_opened_unrun_shows_html_tables(lab_server, browser, settings, capsys):
    """00-tour executed headless by nbclient into the lab's folder, then opened in a stock
    JupyterLab without running it: every table is an HTML table, no JSON tree."""
    import nbformat
    from nbclient import NotebookClient

    source = lab_server.root / settings.notebook
    nb = nbformat.read(source, as_version=4)
    # Help pages too: prose, option tables and usage lines as a reader sees them.
    nb.cells += [nbformat.v4.new_code_cell(code) for code in ("%help", "%help blas", "%help train cofactor", "%help train", "%lsmagic")]
    kernel = _notebook_kernel(settings, source)
    NotebookClient(
        nb, kernel_name=kernel, timeout=int(settings.timeout), resources={"metadata": {"path": str(lab_server.root)}}
    ).execute()
    executed = f"executed-{Path(settings.notebook).stem}.ipynb"
    nbformat.write(nb, lab_server.root / executed)
    assert _outputs_with(lab_server.root / executed, TABLE_MIME) > 0, "nbclient's outputs carry no Table Schema twin"
    assert _outputs_with(lab_server.root / executed, "application/json") == 0, "an output carries bare application/json"

    _open_without_running(browser, lab_server, executed)
    _assert_stock_lab(browser)
    preferred = browser.execute_script(PREFERRED_JS, executed)
    with capsys.disabled():
        print(f"\n[lab] preferred MIME type per bundle: {preferred}")
    assert preferred["html+dataresource+plain"] == {"trusted": "text/html", "untrusted": "text/html"}, preferred
    outputs = _assert_tables_render_as_html(browser, executed, require_schema=True)
    dom = browser.execute_script(CHECKS_JS, executed, settings.svg_selector, settings.table_selector, settings.progress_selector)
    assert dom["jsonTrees"] == 0, f"{dom['jsonTrees']} JSON tree(s) rendered in {executed}"
    assert "application/json" not in dom["mimeTypes"] and TABLE_MIME not in dom["mimeTypes"], dom["mimeTypes"]
    shot = _screenshot(browser, settings, executed, name=f"{Path(executed).stem}-unrun")
    layout = browser.execute_script(HELP_LAYOUT_JS, executed)
    _screenshot_last_cells(browser, settings, 5, "help")
    assert layout["helpBlocks"] >= 3 and not layout["rightProse"], f"help prose not left-aligned: {layout}"
    assert layout["usageBlocks"] >= 3 and layout["usageTokens"] > 20 and not layout["breaking"], f"usage tokens may break: {layout}"
    assert layout["overviewColumns"] == 2 and layout["overviewRight"] == 0, f"%help overview: {layout}"
    assert layout["lsmagicCellMagics"], f"%lsmagic HTML does not list the cell magics: {layout}"
    with capsys.disabled():
        print(f"\n[lab] screenshot: {shot}; help layout: {layout}")
        print(f"\n[lab] {executed} opened unrun: {len(outputs)} table outputs, rendered as "
              f"{sorted(set(o['rendered'] for o in outputs))}; output mime types {sorted(set(dom['mimeTypes']))}")


@pytest.mark.parametrize("name", _committed_notebooks())
def test_committed_notebook_opened_unrun_shows_html_tables(lab_server, browser, name, capsys):
    """A committed notebook opened without running it: its tables are HTML tables. Outputs
    written before tables carried Table Schema JSON (bare application/json) are reported as
    stale rather than judged: re-execute the notebook (`make notebooks-write`)."""
    nb_file = lab_server.root / name
    if _outputs_with(nb_file, TABLE_MIME) == 0:
        pytest.skip(f"{name} has no outputs with a Table Schema twin yet (stale outputs: `make notebooks-write`)")
    _open_without_running(browser, lab_server, name)
    _assert_stock_lab(browser)
    legacy = _outputs_with(nb_file, "application/json")
    outputs = _assert_tables_render_as_html(browser, name, require_schema=legacy == 0)
    with capsys.disabled():
        print(f"\n[lab] {name} opened unrun: {len(outputs)} table outputs rendered as HTML, "
              f"{sum(o['scrolls'] for o in outputs)} scrolling horizontally in their wrapper")


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

        _assert_stock_lab(driver)
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
        _assert_tables_render_as_html(driver, nb_path, require_schema=True)
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
