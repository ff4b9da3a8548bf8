"""Make fr.rotated.vec.gz: the French vectors times a random orthogonal matrix (seed 2026).

The English and French vectors are already in one space, so BLI works before any mapping;
after this rotation it does not, and orthogonal Procrustes on a dictionary must recover it.
Run from this folder: python make_rotated.py (numpy only).
"""
import gzip

import numpy as np

with gzip.open("fr.vec.gz", "rt", encoding="utf-8") as f:
    count, dim = map(int, f.readline().split())
    words, rows = [], []
    for line in f:
        parts = line.rstrip().split(" ")
        words.append(parts[0])
        rows.append(np.array(parts[1:], dtype=np.float64))
X = np.vstack(rows)
rng = np.random.default_rng(2026)
Q, R = np.linalg.qr(rng.standard_normal((dim, dim)))
Q = Q * np.sign(np.diag(R))  # a uniformly random orthogonal matrix
Y = X @ Q
with gzip.GzipFile("fr.rotated.vec.gz", "wb", mtime=0) as raw:
    raw.write(f"{len(words)} {dim}\n".encode())
    for word, row in zip(words, Y):
        raw.write((word + " " + " ".join(f"{v:.9g}" for v in row) + "\n").encode("utf-8"))
print(f"wrote fr.rotated.vec.gz: {len(words)} x {dim}")
