"""Browser test: xling's charts show in a notebook opened WITHOUT running it.

A small notebook (%load vectors of the committed fastText fixture, %tsne, %blas, %eval bli) is
executed with nbclient into the lab's temp root; the lab then opens it without running
any cell.  A notebook JupyterLab did not execute itself is untrusted (the lab's
notary database lives in a temp dir), so this is what a reader of a committed
notebook sees.  Checked: every chart output renders as a Vega-Lite chart (the
MIME type JupyterLab picks from a bundle holding Vega-Lite, SVG and text), in the
untrusted notebook and again after trusting it; the t-SNE summary is visible as
Markdown under the map; the BLI chart has P@1/5/10 bars per retrieval on 0–100 %; hovering a t-SNE dot shows a tooltip with its word,
language and frequency rank, and a wheel turn zooms the map.  Independent of the project's page_config.json.
Screenshots: Tests/artifacts/charts-*.png.  Fixtures: conftest.py.
"""

import json
import os
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "notebooks" / "data" / "fasttext-en-fr-756"
VEGALITE = "application/vnd.vegalite.v5+json"
NB_NAME = "charts-untrusted.ipynb"

CELLS = [
    f"%load vectors en path={DATA / 'en.vec.gz'} lang=en max=300",
    "%tsne en top=80 labels=20 perplexity=10 iters=300",
    "%blas sizes=64,128,256 repeat=1",
    f"%load vectors fr path={DATA / 'fr.vec.gz'} lang=fr\n"
    f"%load dict test path={DATA.parent / 'muse-en-fr-756' / 'test.at.txt'} format=at\n"
    "%eval bli src=en tgt=fr dict=test retrieval=nn,csls k=1,5,10",
]

FIND_PANEL = """
function findPanel(path) {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content) return w;
  }
  return null;
}
"""

# Per code cell: trusted flag and, per output, the MIME type JupyterLab chose to render.
RENDERED_JS = FIND_PANEL + """
const panel = findPanel(arguments[0]);
if (!panel || !panel.context.isReady) return null;
return panel.content.widgets.filter(c => c.model.type === 'code').map(c => ({
  trusted: c.model.trusted,
  outputs: Array.from(c.node.querySelectorAll('.jp-OutputArea-output')).map(o => ({
    // JupyterLab tags most outputs with data-mime-type, not the Vega ones: the renderer's class says.
    mime: o.matches('.jp-RenderedVegaLite') ? 'application/vnd.vegalite.v5+json'
        : o.matches('.jp-RenderedSVG') ? 'image/svg+xml' : o.getAttribute('data-mime-type'),
    vegaMarks: o.querySelectorAll('.jp-RenderedVegaLite svg.marks, .jp-RenderedVegaLite canvas').length,
    symbols: o.querySelectorAll('.jp-RenderedVegaLite .mark-symbol path').length,
    img: o.querySelectorAll('.jp-RenderedSVG img').length,
    text: (o.innerText || '').slice(0, 400),
    html: o.outerHTML.slice(0, 300),
  })),
}));
"""

TRUST_JS = FIND_PANEL + """
const panel = findPanel(arguments[0]);
for (const cell of panel.content.widgets) cell.model.trusted = true;
return true;
"""


def _execute_notebook(path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "xling", "display_name": "xling", "language": "xling"}
    client = nbclient.NotebookClient(nb, kernel_name="xling", timeout=300, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(nb, str(path))
    return nb


def _wait_rendered(driver, path, timeout=90):
    deadline = time.monotonic() + timeout
    cells = None
    while time.monotonic() < deadline:
        cells = driver.execute_script(RENDERED_JS, path)
        if cells and all(
            any(o["vegaMarks"] for o in c["outputs"]) for c in cells[1:]
        ):
            return cells
        time.sleep(0.5)
    return cells


def _screenshot(driver, name):
    out = REPO / "Tests" / "artifacts"
    out.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(out / f"charts-{name}.png"))


def test_charts_render_untrusted_with_tooltips(lab_server, browser):
    specs = lab_server.api("/api/kernelspecs")["kernelspecs"]
    if "xling" not in specs:
        pytest.fail("kernelspec 'xling' is not installed in this venv: run `make kernelspec`")
    nb_file = lab_server.root / NB_NAME
    nb = _execute_notebook(nb_file)

    # What the kernel sent: every chart bundle has Vega-Lite, SVG and text.
    tsne_outputs = nb.cells[1].outputs
    charts = [o for o in tsne_outputs if VEGALITE in o.get("data", {})]
    assert charts, f"%tsne sent no {VEGALITE}: {[list(o.get('data', {})) for o in tsne_outputs]}"
    spec = charts[0]["data"][VEGALITE]
    if isinstance(spec, str):
        spec = json.loads(spec)
    words = {row["word"] for row in spec["data"]["values"]}
    labels = {row["label"] for row in spec["data"]["values"] if "label" in row}
    assert "</s>" in words and "</s>" not in labels and "," not in labels, labels
    assert {"image/svg+xml", "text/plain"} <= set(charts[0]["data"])
    blas = [o for o in nb.cells[2].outputs if VEGALITE in o.get("data", {})]
    assert blas, "%blas sent no Vega-Lite chart"

    driver = browser
    driver.set_page_load_timeout(60)
    driver.get(f"{lab_server.base}/lab/tree/{NB_NAME}?token={lab_server.token}&reset")
    cells = _wait_rendered(driver, NB_NAME)
    _screenshot(driver, "untrusted")
    assert cells, "the notebook panel did not open"
    assert not any(c["trusted"] for c in cells), "the notebook should open untrusted (executed outside the lab)"
    for c in cells[1:]:
        mimes = [o["mime"] for o in c["outputs"]]
        assert VEGALITE in mimes, f"untrusted: no Vega-Lite chart rendered; output MIME types {mimes}: {c}"
        assert "image/svg+xml" not in mimes, f"untrusted: SVG picked over Vega-Lite: {mimes}"
        assert any(o["vegaMarks"] for o in c["outputs"]), c
    tsne = cells[1]["outputs"]
    assert any(o["symbols"] >= 80 for o in tsne), f"t-SNE dots missing: {tsne}"
    summary = [o for o in tsne if o["mime"] == "text/markdown"]
    assert summary and "labels shown" in summary[0]["text"] and "KL" in summary[0]["text"], tsne

    # %eval bli: one grouped bar chart, 2 retrievals × 3 k, on a 0–100 % axis.
    bars = driver.execute_script(
        "const v = document.querySelectorAll('.jp-RenderedVegaLite')[2];"
        "if (!v) return null;"
        "return {bars: v.querySelectorAll('.mark-rect path').length,"
        " ticks: Array.from(v.querySelectorAll('.role-axis-label text')).map(t => t.textContent)};"
    )
    driver.execute_script("document.querySelectorAll('.jp-RenderedVegaLite')[2].scrollIntoView()")
    _screenshot(driver, "bli")
    assert bars and bars["bars"] == 6, bars
    assert "100" in bars["ticks"] and not any(t.startswith("-") or t.startswith("−") for t in bars["ticks"]), bars

    # Hover: the tooltip names the word under the pointer, its language and frequency rank.
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    # The map is the first Vega chart of the notebook (the %blas curve has symbol marks too).
    dots = driver.execute_script(
        "const v = document.querySelector('.jp-RenderedVegaLite');"
        "return v ? Array.from(v.querySelectorAll('.mark-symbol path')) : [];"
    )
    assert dots, "no Vega symbol marks to hover"
    tip_text = ""
    for dot in reversed(dots[-15:]):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", dot)
        ActionChains(driver).move_to_element(dot).perform()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            tips = driver.find_elements(By.CSS_SELECTOR, "#vg-tooltip-element.visible, .vg-tooltip.visible")
            tip_text = tips[0].text if tips else ""
            if tip_text:
                break
            time.sleep(0.1)
        if tip_text:
            break
        ActionChains(driver).move_by_offset(0, 0).perform()
    _screenshot(driver, "hover")
    assert tip_text, "hovering t-SNE dots showed no Vega tooltip"
    fields = dict(line.split(": ", 1) for line in tip_text.splitlines() if ": " in line)
    assert fields.get("word") in words, f"tooltip {tip_text!r} names no pictured word"
    assert fields.get("language") == "en" and fields.get("frequency rank", "").isdigit(), tip_text

    # Zoom: a wheel turn over the map rescales it (the interval selection bound to the scales).
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    plot = driver.execute_script(
        "return document.querySelector('.jp-RenderedVegaLite .mark-group.role-scope path.background, "
        ".jp-RenderedVegaLite svg.marks');"
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", plot)
    time.sleep(0.3)
    spread0 = driver.execute_script(
        "const d = Array.from(document.querySelectorAll('.jp-RenderedVegaLite')[0].querySelectorAll('.mark-symbol path'));"
        "const xs = d.map(e => e.getBoundingClientRect().left); return Math.max(...xs) - Math.min(...xs);"
    )
    for _ in range(3):
        ActionChains(driver).scroll_from_origin(ScrollOrigin.from_element(plot, 5, 5), 0, -150).perform()
        time.sleep(0.2)
    time.sleep(0.5)
    # Zooming changes the dots' spacing (a page scroll would only move them).
    spread = driver.execute_script(
        "const d = Array.from(document.querySelectorAll('.jp-RenderedVegaLite')[0].querySelectorAll('.mark-symbol path'));"
        "const xs = d.map(e => e.getBoundingClientRect().left); return Math.max(...xs) - Math.min(...xs);"
    )
    _screenshot(driver, "zoom")
    assert abs(spread - spread0) > 1, f"a wheel turn over the map did not zoom it: dots span {spread0} → {spread} px"

    # Trusted: the same bundle still renders as Vega-Lite.
    driver.execute_script(TRUST_JS, NB_NAME)
    time.sleep(2)
    cells = _wait_rendered(driver, NB_NAME)
    _screenshot(driver, "trusted")
    assert all(c["trusted"] for c in cells)
    for c in cells[1:]:
        mimes = [o["mime"] for o in c["outputs"]]
        assert VEGALITE in mimes and "image/svg+xml" not in mimes, f"trusted: {mimes}"


# The notebooks the lab serves (conftest copies $XLING_NOTEBOOK_DIR, default notebooks/).
COMMITTED = sorted(p.name for p in Path(os.environ.get("XLING_NOTEBOOK_DIR") or REPO / "notebooks").glob("*.ipynb"))

COUNT_VEGA_JS = FIND_PANEL + """
const panel = findPanel(arguments[0]);
if (!panel || !panel.context.isReady) return null;
const root = panel.node;
return {
  vega: root.querySelectorAll('.jp-RenderedVegaLite svg.marks, .jp-RenderedVegaLite canvas').length,
  svg: root.querySelectorAll('.jp-RenderedSVG').length,
  fallback: Array.from(root.querySelectorAll('.jp-OutputArea-output[data-mime-type="text/plain"]'))
    .map(e => e.innerText).filter(t => /^<(BarChart|LineChart|ScatterChart|ScatterPlot):/.test(t.trim())),
  trusted: panel.content.widgets.some(c => c.model.type === 'code' && c.model.trusted),
};
"""


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_notebook_shows_its_charts_unopened(lab_server, browser, name):
    """Every chart a committed notebook carries is drawn when the notebook is opened, not run."""
    nb = json.loads((lab_server.root / name).read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    charts = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    with_vega = [o for o in charts if VEGALITE in o.get("data", {})]
    if not charts:
        pytest.skip(f"{name} has no chart outputs")
    assert len(with_vega) == len(charts), (
        f"{name}: {len(charts) - len(with_vega)} of {len(charts)} chart outputs have no {VEGALITE} "
        "(outputs from before the Vega-Lite charts): re-execute the notebooks (make notebooks-write)"
    )
    driver = browser
    driver.set_page_load_timeout(60)
    driver.get(f"{lab_server.base}/lab/tree/{name}?token={lab_server.token}&reset")
    deadline, state = time.monotonic() + 90, None
    while time.monotonic() < deadline:
        state = driver.execute_script(COUNT_VEGA_JS, name)
        if state and state["vega"] >= len(charts):
            break
        time.sleep(0.5)
    _screenshot(driver, Path(name).stem)
    assert state, f"{name} did not open"
    assert not state["trusted"], f"{name} opened trusted; the test wants what a new reader sees"
    assert state["vega"] == len(charts), f"{name}: {state['vega']} Vega charts drawn for {len(charts)} chart outputs: {state}"
    assert not state["fallback"], f"{name}: charts shown as text: {state['fallback']}"
