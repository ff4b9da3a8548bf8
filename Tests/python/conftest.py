"""Kernels started by these tests keep their cross-restart history in a temporary file, never in
the user's ~/.local/share/xling/history.jsonl (a test that checks the store sets its own)."""
import os
import tempfile

_store = tempfile.mkdtemp(prefix="xling-test-history-")
os.environ.setdefault("XLING_HISTORY_FILE", os.path.join(_store, "history.jsonl"))
