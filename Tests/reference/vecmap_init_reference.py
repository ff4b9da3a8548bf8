"""VecMap's unsupervised initial dictionary, taken from the unmodified anchor program.

Runs `../shared/anchors/vecmap/map_embeddings.py` (numpy, CPU) with the settings of its
`--unsupervised` mode for the initialisation (`--init_unsupervised --unsupervised_vocab N
--normalize unit center unit --csls 10`, direction union) and records the dictionary it builds:
the init ends with `src_indices = concatenate((arange(n), sim.argmax(axis=0)))` and
`trg_indices = concatenate((sim.argmax(axis=1), arange(n)))`: the first two calls of
`numpy.concatenate` on two integer vectors of which one is `arange(n)` are exactly the
dictionary. They are captured by wrapping that function for the duration of the run; the
program itself is not changed. After the second call the run is
stopped (nothing is mapped or written).

    python vecmap_init_reference.py SRC.vec[.gz] TGT.vec[.gz] OUT.tsv [--vocab 4000]

OUT.tsv: one pair per line, `source_row<TAB>target_row` (0-based rows of the files), forward
pairs first. Used to make `Tests/EmbeddingsTests/Fixtures/vecmap-init-fi-fr.tsv.gz`.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import sys
import tempfile
import time

import numpy as np

ANCHOR = os.environ.get("VECMAP_DIR", "/work/shared/anchors/vecmap")


class _Captured(Exception):
    pass


def plain_copy(path: str, directory: str) -> str:
    """vecmap reads plain text: decompress a .gz input into `directory`."""
    if not path.endswith(".gz"):
        return path
    out = os.path.join(directory, os.path.basename(path)[:-3])
    with gzip.open(path, "rb") as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


def initial_dictionary(src: str, tgt: str, vocab: int = 4000, timed: bool = False):
    """(source rows, target rows, seconds of the anchor's run up to the dictionary); with
    `timed`, also the seconds from the init's first SVD to the dictionary (reading and
    normalising the files excluded)."""
    sys.path.insert(0, ANCHOR)
    import map_embeddings  # the unmodified anchor

    captured: list[np.ndarray] = []
    original = np.concatenate
    original_svd = np.linalg.svd
    first_svd: list[float] = []

    def timing_svd(*args, **kwargs):
        if not first_svd:
            first_svd.append(time.perf_counter())
        return original_svd(*args, **kwargs)

    def is_dictionary_half(arrays) -> bool:
        # (arange(n), argmax) or (argmax, arange(n)): two 1-D integer arrays of equal length.
        if not isinstance(arrays, tuple) or len(arrays) != 2:
            return False
        a, b = (np.asarray(v) for v in arrays)
        if a.ndim != 1 or b.ndim != 1 or len(a) != len(b) or a.dtype.kind not in "iu" or b.dtype.kind not in "iu":
            return False
        ramp = np.arange(len(a))
        return bool(np.array_equal(a, ramp) or np.array_equal(b, ramp))

    def recording(arrays, *args, **kwargs):
        result = original(arrays, *args, **kwargs)
        if is_dictionary_half(arrays):
            captured.append(np.array(result))
            if len(captured) == 2:
                raise _Captured()
        return result

    with tempfile.TemporaryDirectory() as tmp:
        s, t = plain_copy(src, tmp), plain_copy(tgt, tmp)
        argv = sys.argv
        sys.argv = [
            "map_embeddings.py", s, t, os.devnull, os.devnull,
            "--init_unsupervised", "--unsupervised_vocab", str(vocab),
            "--normalize", "unit", "center", "unit", "--csls", "10",
        ]
        np.concatenate = recording
        np.linalg.svd = timing_svd
        started = time.perf_counter()
        try:
            map_embeddings.main()
        except _Captured:
            pass
        finally:
            np.concatenate = original
            np.linalg.svd = original_svd
            sys.argv = argv
        ended = time.perf_counter()
        seconds = ended - started
    if len(captured) != 2:
        raise RuntimeError("vecmap did not build an unsupervised dictionary")
    if timed:
        return captured[0], captured[1], seconds, ended - first_svd[0]
    return captured[0], captured[1], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src")
    parser.add_argument("tgt")
    parser.add_argument("out")
    parser.add_argument("--vocab", type=int, default=4000)
    args = parser.parse_args()
    s, t, seconds = initial_dictionary(args.src, args.tgt, args.vocab)
    opener = gzip.open if args.out.endswith(".gz") else open
    with opener(args.out, "wt") as f:
        for i, j in zip(s.tolist(), t.tolist()):
            f.write(f"{i}\t{j}\n")
    print(f"{len(s)} pairs in {seconds:.1f} s (vecmap, including reading the files)", file=sys.stderr)


if __name__ == "__main__":
    main()
