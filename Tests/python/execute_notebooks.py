"""Execute notebooks with nbclient against their own kernelspec; fail on any error output.

Usage: execute_notebooks.py [--write] NOTEBOOK...
Without --write the committed files are left untouched (a copy is executed); with --write the
executed notebook (with outputs) replaces the file atomically.
"""
import argparse
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient


def execute(path: str, write: bool) -> bool:
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "xling")
    client = NotebookClient(nb, kernel_name=kernel, timeout=900, allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    errors = [(i, o) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    for index, output in errors:
        print(f"{path}: cell {index} raised {output['ename']}: {output['evalue']}", file=sys.stderr)
    print(f"{path}: {sum(c.cell_type == 'code' for c in nb.cells)} code cells in {seconds:.1f} s, {len(errors)} errors")
    if write and not errors:
        directory = os.path.dirname(os.path.abspath(path))
        with tempfile.NamedTemporaryFile("w", dir=directory, suffix=".ipynb", delete=False, encoding="utf-8") as tmp:
            nbformat.write(nb, tmp)
        os.replace(tmp.name, path)
    return not errors


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="store the executed notebook with its outputs")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    ok = [execute(path, args.write) for path in args.notebooks]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
