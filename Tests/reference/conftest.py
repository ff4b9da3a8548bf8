"""Fixtures for the differential tests: one xling kernel per module, driven through
jupyter_client (Tests/python/kernel_helpers.py), and small helpers to run magics."""

from __future__ import annotations

import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))

from kernel_helpers import TABLE_MIME, execute, kernel_spec_or_none, start_kernel, stop_kernel, table_rows  # noqa: E402

KERNEL = os.environ.get("XLING_KERNEL", "xling")


class Result:
    """What one cell produced: status, the rows of the execute_result's Table Schema twin
    (`json`, if any; the whole resource in `table`), the error text (ename: evalue), and every
    text/plain output."""

    def __init__(self, code, reply, iopub):
        self.code = code
        self.status = reply["content"]["status"]
        self.json = None
        self.table = None
        self.texts = []
        self.error = None
        for m in iopub:
            t = m["msg_type"]
            if t in ("execute_result", "display_data"):
                data = m["content"]["data"]
                if t == "execute_result" and TABLE_MIME in data:
                    self.table = data[TABLE_MIME]
                    self.json = table_rows(data)
                if "text/plain" in data:
                    self.texts.append(data["text/plain"])
            elif t == "error":
                self.error = f'{m["content"]["ename"]}: {m["content"]["evalue"]}'
        if self.error is None and self.status == "error":
            c = reply["content"]
            self.error = f'{c.get("ename")}: {c.get("evalue")}'


class Xling:
    def __init__(self, kc):
        self.kc = kc

    def run(self, code: str, timeout: float = 60.0) -> Result:
        reply, iopub = execute(self.kc, code, timeout=timeout)
        return Result(code, reply, iopub)

    def ok(self, code: str, timeout: float = 60.0) -> Result:
        r = self.run(code, timeout)
        assert r.status == "ok", f"{code!r} failed: {r.error}"
        return r

    def fails(self, code: str, timeout: float = 60.0) -> Result:
        r = self.run(code, timeout)
        assert r.status == "error", f"{code!r} should fail, got {json.dumps(r.json)[:300]}"
        assert r.error, f"{code!r}: error reply without a message"
        print("error:", r.error.splitlines()[0][:200])
        return r

    def who(self) -> list[str]:
        r = self.ok("%who")
        assert isinstance(r.json, list), f"%who gave no Table Schema rows: {r.texts}"
        return [row["name"] for row in r.json]


@pytest.fixture(scope="module")
def xling():
    if kernel_spec_or_none(KERNEL) is None:
        pytest.skip(f"kernel {KERNEL!r} is not installed")
    km, kc = start_kernel(KERNEL, quiet=True)
    try:
        yield Xling(kc)
    finally:
        stop_kernel(km, kc)
