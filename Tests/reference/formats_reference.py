"""Reference loader of the word2vec/fastText text format (numpy), for comparing xling's
Swift loader (Sources/Embeddings/Formats/Word2VecText.swift) in tests and benchmarks.

Same rules: a required `COUNT DIM` header, rows `word v1 ... vDIM` (trailing blanks
tolerated), ragged rows and non-finite values are errors, `max` keeps the first N words,
`lowercase` keeps the FIRST spelling of a word seen again after lowercasing (MUSE/VecMap).
Plain or gzip input (detected by the magic bytes 1f 8b).
"""
import gzip
import sys

import numpy as np


def _open(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    return open(path, "rt", encoding="utf-8", newline="\n")


def load_vec(path, max=None, lowercase=False):
    """Return (words, float32 matrix of shape (len(words), dim))."""
    with _open(path) as f:
        header = f.readline().split()
        if len(header) != 2 or not all(h.isdigit() for h in header) or int(header[1]) == 0:
            raise ValueError(f"{path} line 1: expected a header 'COUNT DIM'")
        count, dim = int(header[0]), int(header[1])
        rows = count if max is None else min(count, max)
        matrix = np.empty((rows, dim), dtype=np.float32)
        words, seen = [], set()
        for number, line in enumerate(f, start=2):
            if max is not None and len(words) >= max:
                break
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            word, _, rest = line.partition(" ")
            values = np.array(rest.split(), dtype=np.float32)
            if values.shape[0] != dim:
                raise ValueError(f"{path} line {number}: '{word}' has {values.shape[0]} values, expected {dim}")
            if not np.isfinite(values).all():
                raise ValueError(f"{path} line {number}: non-finite value")
            key = word.lower() if lowercase else word
            if key in seen:
                continue
            if len(words) >= rows:
                raise ValueError(f"{path} line {number}: more rows than the header's count {count}")
            seen.add(key)
            matrix[len(words)] = values
            words.append(key)
    return words, matrix[: len(words)]


if __name__ == "__main__":
    import time

    start = time.perf_counter()
    words, matrix = load_vec(sys.argv[1], max=int(sys.argv[2]) if len(sys.argv) > 2 else None)
    print(f"{len(words)} x {matrix.shape[1]} in {time.perf_counter() - start:.2f} s")
