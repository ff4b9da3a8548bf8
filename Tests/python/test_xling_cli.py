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
