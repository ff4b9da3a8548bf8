"""The xling executable outside a frontend: `xling run`, SIGINT, and `xling install`."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager

sys.path.insert(0, os.path.dirname(__file__))
import kernel_helpers as kh  # noqa: E402

pytestmark = pytest.mark.skipif(kh.KERNEL != "xling", reason="xling executable only")


def xling_binary() -> str:
    spec = KernelSpecManager().get_kernel_spec("xling")
    return spec.argv[0]


def test_run_script_writes_text_and_svg(tmp_path: Path):
    script = tmp_path / "tour.xling"
    script.write_text("%set seed=3\n%set seed\n# %%\n%echo hello from a script\n# %%\n%blas sizes=32,64 repeat=1\n")
    done = subprocess.run([xling_binary(), "run", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "3\n" in done.stdout and "hello from a script" in done.stdout
    svgs = sorted(tmp_path.glob("tour-3-*.svg"))
    assert len(svgs) == 1 and svgs[0].read_text().startswith("<svg")
    assert "GFLOP/s" in done.stdout  # the table's text/plain twin


def test_run_script_stops_at_the_first_error(tmp_path: Path):
    script = tmp_path / "bad.xling"
    script.write_text("%echo first\n# %%\n%slep 1\n# %%\n%echo never\n")
    done = subprocess.run([xling_binary(), "run", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "first" in done.stdout and "never" not in done.stdout
    assert "did you mean `%sleep`" in done.stderr


def test_run_missing_file_is_a_clear_error(tmp_path: Path):
    done = subprocess.run([xling_binary(), "run", str(tmp_path / "nope.xling")], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and "cannot read" in done.stderr


def test_sigint_interrupts_a_running_cell():
    km, kc = kh.start_kernel(quiet=True)
    try:
        kh.execute(kc, "%set seed=11")
        msg_id = kc.execute("%sleep 10")
        time.sleep(0.5)
        os.kill(kh.kernel_pid(km), signal.SIGINT)
        sent = time.perf_counter()
        reply = kh.get_reply(kc, msg_id, timeout=5)
        assert time.perf_counter() - sent < 0.5
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert km.is_alive()
        _, iopub = kh.execute(kc, "%set seed")
        assert "11" in kh.text_plain(iopub)
    finally:
        kh.stop_kernel(km, kc)


def test_install_writes_an_interrupt_mode_message_kernelspec(tmp_path: Path):
    done = subprocess.run([xling_binary(), "install", "--prefix", str(tmp_path), "--name", "xling-test"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    spec_dir = tmp_path / "share/jupyter/kernels/xling-test"
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["interrupt_mode"] == "message" and spec["language"] == "xling"
    assert spec["argv"][1:] == ["kernel", "-f", "{connection_file}"]
    assert {p.name for p in spec_dir.iterdir()} >= {"kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"}


# --------------------------------------------------------------------------
# xling run: paths, order, markers, --continue-on-error, .ipynb input, the shipped example
# --------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]


def run_xling(*args: str, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([xling_binary(), "run", *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def test_run_resolves_paths_against_the_script_folder(tmp_path: Path):
    folder = tmp_path / "project"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "tiny.vec").write_text("2 3\ndog 1 0 0\ncat 0 1 0\n")
    (folder / "tiny.xling").write_text("%load vectors v path=data/tiny.vec lang=en\n# %%\n%save v path=copy.vec\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_xling("../project/tiny.xling", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert "loaded vectors `v`" in done.stdout
    assert (folder / "copy.vec").read_text().split()[:2] == ["2", "3"]
    assert not (elsewhere / "copy.vec").exists()


def test_run_prints_markers_and_progress_in_order(tmp_path: Path):
    script = tmp_path / "order.xling"
    script.write_text("%echo before\n# %% wait a little\n%sleep 0.2\n%echo after the sleep\n# %%\n%echo last cell\n")
    done = run_xling(str(script))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line for line in lines if line.startswith("# %%")] == ["# %% [1]", "# %% [2] wait a little", "# %% [3]"]
    progress = next(i for i, line in enumerate(lines) if "sleeping" in line)
    assert lines.index("# %% [2] wait a little") < progress < lines.index("after the sleep") < lines.index("# %% [3]")
    assert lines[-1] == "last cell"


def test_run_continue_on_error_runs_the_rest_and_fails(tmp_path: Path):
    script = tmp_path / "bad.xling"
    script.write_text("%echo first\n# %%\n%slep 1\n# %%\n%echo third\n# %%\n%align nonsense\n# %%\n%echo fifth\n")
    done = run_xling("--continue-on-error", str(script))
    assert done.returncode == 1
    assert all(word in done.stdout for word in ("first", "third", "fifth"))
    assert "did you mean `%sleep`" in done.stderr
    assert "2 of 5 cells failed (cells 2, 4)" in done.stderr


def test_run_executes_a_notebooks_code_cells(tmp_path: Path):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "xling", "display_name": "xling", "language": "xling"}
    nb.cells = [nbformat.v4.new_markdown_cell("%echo not run: markdown"),
                nbformat.v4.new_code_cell("%set seed=42"),
                nbformat.v4.new_raw_cell("%echo not run: raw"),
                nbformat.v4.new_code_cell("%set seed\n%echo from the notebook")]
    nbformat.write(nb, tmp_path / "note.ipynb")
    done = run_xling(str(tmp_path / "note.ipynb"))
    assert done.returncode == 0, done.stderr
    assert "from the notebook" in done.stdout and "42" in done.stdout and "not run" not in done.stdout
    assert "# %% [2] notebook cell 4" in done.stdout and "anyway" not in done.stderr
    (tmp_path / "broken.ipynb").write_text("{\"cells\": 3}")
    broken = run_xling(str(tmp_path / "broken.ipynb"))
    assert broken.returncode == 1 and "not a notebook" in broken.stderr


def test_the_shipped_example_runs(tmp_path: Path):
    # a copy beside a link to the data, so its SVGs land in tmp_path and not in the repository
    (tmp_path / "examples").mkdir()
    (tmp_path / "data").symlink_to(REPO / "notebooks" / "data")
    for example in (REPO / "notebooks" / "examples").glob("*.xling"):
        copy = tmp_path / "examples" / example.name
        copy.write_text(example.read_text())
        done = run_xling(str(copy), cwd=tmp_path, timeout=300)
        assert done.returncode == 0, f"{example.name}:\n{done.stderr}"
        assert "# %% [1]" in done.stdout
    assert list((tmp_path / "examples").glob("map-en-fr-*.svg"))


def test_run_parameters_override_the_parameters_cell(tmp_path: Path):
    script = tmp_path / "params.xling"
    script.write_text('# %% parameters\n%set lang=en k=5\n# %%\n%set lang\n# %%\n%set k\n# %%\n%set note\n')
    done = run_xling("-p", "lang=de", "-p", "k=10", "-p", 'note=a "quoted" word', str(script))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "# %% [2] injected-parameters" in lines
    assert lines[lines.index("# %% [3]") + 1] == "de" and lines[lines.index("# %% [4]") + 1] == "10"
    assert lines[-1] == 'a "quoted" word'
    bad = run_xling("-p", "novalue", str(script))
    assert bad.returncode != 0 and "NAME=VALUE" in bad.stderr
