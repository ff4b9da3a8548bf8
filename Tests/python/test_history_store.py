"""History across kernel restarts: the per-user store (XLING_HISTORY_FILE) seen through
history_request tail/range/search, and a store that cannot be written."""
import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import kernel_helpers as kh  # noqa: E402

pytestmark = pytest.mark.skipif(kh.KERNEL != "xling", reason="xling history store only")


def history(kc, **kw) -> list:
    reply = kh.get_reply(kc, kc.history(**kw))
    assert reply["content"]["status"] == "ok"
    return reply["content"]["history"]


def run_cells(env: dict, cells: list[str]):
    km, kc = kh.start_kernel(quiet=True, env=env)
    try:
        for code in cells:
            reply, _ = kh.execute(kc, code)
            assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kh.stop_kernel(km, kc)


def test_history_survives_a_restart(tmp_path: Path):
    store = tmp_path / "store" / "history.jsonl"
    env = {"XLING_HISTORY_FILE": str(store)}
    run_cells(env, ["%set seed=7", "%set seed", "%echo first session"])
    records = [json.loads(line) for line in store.read_text().splitlines()]
    assert {"session": 1, "line": 2, "input": "%set seed", "output": "7"} in records

    km, kc = kh.start_kernel(quiet=True, env=env)
    try:
        kh.execute(kc, "%echo second session")
        tail = history(kc, hist_access_type="tail", n=10, output=True, raw=True)
        assert [(s, n, cell[0]) for s, n, cell in tail] == [
            (1, 1, "%set seed=7"), (1, 2, "%set seed"), (1, 3, "%echo first session"), (2, 1, "%echo second session")]
        assert tail[1][2][1] == "7"
        previous = history(kc, hist_access_type="range", session=-1, start=1, stop=0, output=False, raw=True)
        assert [row[2] for row in previous] == ["%set seed=7", "%set seed", "%echo first session"]
        by_number = history(kc, hist_access_type="range", session=1, start=2, stop=3, output=False, raw=True)
        assert by_number == [[1, 2, "%set seed"]]
        current = history(kc, hist_access_type="range", session=0, start=1, stop=0, output=False, raw=True)
        assert current == [[2, 1, "%echo second session"]]
        found = history(kc, hist_access_type="search", pattern="%echo*", output=False, raw=True)
        assert [row[:2] for row in found] == [[1, 3], [2, 1]]
    finally:
        kh.stop_kernel(km, kc)


def test_history_off_and_unwritable_stores_leave_the_kernel_working(tmp_path: Path):
    for location in ("off", "/proc/xling-no-such-dir/history.jsonl"):
        km, kc = kh.start_kernel(quiet=True, env={"XLING_HISTORY_FILE": location})
        try:
            for i in range(3):
                reply, _ = kh.execute(kc, f"%set n={i}")
                assert reply["content"]["status"] == "ok"
            tail = history(kc, hist_access_type="tail", n=10, output=False, raw=True)
            assert [row[2] for row in tail] == ["%set n=0", "%set n=1", "%set n=2"]
            assert km.is_alive()
        finally:
            kh.stop_kernel(km, kc)


def test_two_kernels_at_once_get_their_own_sessions(tmp_path: Path):
    env = {"XLING_HISTORY_FILE": str(tmp_path / "history.jsonl")}
    first, second = kh.start_kernel(quiet=True, env=env), kh.start_kernel(quiet=True, env=env)
    try:
        for (km, kc), word in ((first, "one"), (second, "two"), (first, "three")):
            reply, _ = kh.execute(kc, f"%echo {word}")
            assert reply["content"]["status"] == "ok"
    finally:
        for km, kc in (first, second):
            kh.stop_kernel(km, kc)
    km, kc = kh.start_kernel(quiet=True, env=env)
    try:
        rows = history(kc, hist_access_type="tail", n=10, output=False, raw=True)
        sessions = {row[2]: row[0] for row in rows}
        assert sessions["%echo one"] == sessions["%echo three"] != sessions["%echo two"]
        assert sorted(set(sessions.values())) == [1, 2]
    finally:
        kh.stop_kernel(km, kc)
