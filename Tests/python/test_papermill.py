"""papermill's own command line on an xling notebook: `-p NAME VALUE` values reach the session.

The translator comes from python/xling-papermill (installed into the venv by `make venv`), which
papermill loads through its `papermill.engine` entry point."""
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, os.path.dirname(__file__))
import kernel_helpers as kh  # noqa: E402

pytestmark = pytest.mark.skipif(kh.KERNEL != "xling", reason="xling translator only")

PAPERMILL = str(Path(sys.executable).parent / "papermill")


def xling_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kh.KERNEL, "display_name": "xling", "language": "xling"}
    nb.metadata["language_info"] = {"name": "xling"}
    params = nbformat.v4.new_code_cell('%set lang=en k=5 note="default value"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("Parameters below; papermill injects its own after them."),
        params,
        nbformat.v4.new_code_cell("%set lang"),
        nbformat.v4.new_code_cell("%set k"),
        nbformat.v4.new_code_cell("%set note"),
    ]
    nbformat.write(nb, path)


def outputs_text(cell) -> str:
    return "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.get("outputs", []))


def run_papermill(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PAPERMILL, str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), *args],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_cli_parameters_reach_the_session(tmp_path: Path):
    xling_notebook(tmp_path / "in.ipynb")
    done = run_papermill(tmp_path, "-p", "lang", "de", "-p", "k", "10", "-p", "note", 'a "quoted" word')
    assert done.returncode == 0, done.stderr[-3000:]
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    injected = [c for c in out.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert injected[0].source.splitlines() == ["# Parameters", '%set lang="de"', "%set k=10",
                                               '%set note="a \\"quoted\\" word"']
    values = {c.source: outputs_text(c).strip() for c in out.cells if c.source.startswith("%set ") and "=" not in c.source}
    assert values == {"%set lang": "de", "%set k": "10", "%set note": 'a "quoted" word'}
    assert out.metadata["papermill"]["parameters"] == {"lang": "de", "k": 10, "note": 'a "quoted" word'}


def test_cli_without_parameters_keeps_the_defaults(tmp_path: Path):
    xling_notebook(tmp_path / "in.ipynb")
    done = run_papermill(tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    values = {c.source: outputs_text(c).strip() for c in out.cells if c.source in ("%set lang", "%set k")}
    assert values == {"%set lang": "en", "%set k": "5"}


def test_help_notebook_lists_the_parameters(tmp_path: Path):
    xling_notebook(tmp_path / "in.ipynb")
    done = subprocess.run([PAPERMILL, "--help-notebook", str(tmp_path / "in.ipynb")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "lang" in done.stdout and "k" in done.stdout and "note" in done.stdout


def test_translator_rejects_what_a_magic_line_cannot_hold():
    from xling_papermill import XlingTranslator
    assert XlingTranslator.codify({"flag": False, "r": 0.25, "langs": ["en", "de"], "none": None}) == (
        '# Parameters\n%set flag=false\n%set r=0.25\n%set langs="en,de"\n%set none=""\n')
    with pytest.raises(ValueError, match="line break"):
        XlingTranslator.codify({"text": "two\nlines"})
    with pytest.raises(ValueError, match="setting name"):
        XlingTranslator.codify({"bad name": 1})
