"""Make fr.rotated.vec.gz and fr-fr.identity.txt for notebook 07's MUSE cell (numpy only).

fr.rotated.vec.gz: the 5,000 French vectors of fr.vec.gz times a uniformly random orthogonal
300 x 300 matrix (QR of a seeded Gaussian, signs fixed by R's diagonal), values to 4 significant
digits like fr.vec.gz. Mapping fr onto it without a dictionary must find that rotation.
fr-fr.identity.txt: 1,500 of the 5,000 words (a seeded sample) paired with themselves, the test
dictionary of that mapping. Run from this folder: python make_rotated.py [SEED] (default 1).
"""
import gzip
import random
import sys

import numpy as np

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
with gzip.open("fr.vec.gz", "rt", encoding="utf-8") as f:
    count, dim = map(int, f.readline().split())
    words, rows = [], []
    for line in f:
        parts = line.rstrip("\n").split(" ")
        words.append(parts[0])
        rows.append(np.array(parts[1:], dtype=np.float64))
q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, dim)))
q *= np.sign(np.diag(r))
rotated = np.vstack(rows) @ q
with gzip.GzipFile("fr.rotated.vec.gz", "wb", compresslevel=9, mtime=0) as raw:
    raw.write(f"{len(words)} {dim}\n".encode())
    for word, row in zip(words, rotated):
        raw.write((word + " " + " ".join(f"{v:.4g}" for v in row) + "\n").encode("utf-8"))
sample = sorted(random.Random(0).sample(range(len(words)), 1500))
with open("fr-fr.identity.txt", "w", encoding="utf-8") as g:
    g.writelines(f"{words[i]} {words[i]}\n" for i in sample)
print(f"wrote fr.rotated.vec.gz ({len(words)} x {dim}, rotation seed {seed}) and fr-fr.identity.txt (1,500 pairs)")
