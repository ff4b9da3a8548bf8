#!/usr/bin/env python3
"""Real 300-d vectors for the large t-SNE benchmark, computed from the Finnish floret table that
`/work/shared/data/vectors/spacy-fi-floret-300` was made from (see its SOURCE.txt).

floret (spaCy's `Vectors(mode="floret")`) gives any word the mean of the table rows its
character n-grams hash to: the word framed as "<word>", the whole framed word plus every 4- and
5-gram of it, each hashed by MurmurHash3_x64_128 (seed `hash_seed`) into `hash_count` = 2 rows
(the low and high 32 bits of the first 64-bit half, modulo the row count). Written here from
that description; `check()` reproduces the shipped `fi.vec.gz` rows (5 significant digits).

Sets `floret{N}.f32` (XLF32MAT) with `floret{N}.words.txt`, rows in this order:
- the alphabetic words of wordfreq 3.1.1's Finnish top-50k list
  (`/work/shared/data/frequencies/wordfreq/fi.top50k.tsv.gz`, 49,586 words) in frequency order
  (N = 20,000 gives the shipped rows; N = 49,586 all of them);
- beyond 49,586 (N = 100,000): the top-50k lists of `OTHERS` (en, de, fr, it, es, nl)
  interleaved by rank, words not already present, embedded with the same Finnish table
  (floret gives every string a vector: what the Finnish model makes of foreign words).

The table comes from the PyPI wheel spacy-fi-experimental-web-md 0.15.0 (MIT; the package
SOURCE.txt names), fetched once with `pip download` into bench-results/tsne-floret/.
"""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "reference"))
import tsne_reference as TR  # noqa: E402

DATA = Path("/work/shared/data")
WORK = REPO / "bench-results" / "tsne-floret"
WHEEL = "spacy-fi-experimental-web-md==0.15.0"
OTHERS = ["en", "de", "fr", "it", "es", "nl"]
MASK64 = (1 << 64) - 1


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & MASK64


def _fmix(k: int) -> int:
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & MASK64
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & MASK64
    k ^= k >> 33
    return k


def murmur3_x64_128(data: bytes, seed: int) -> tuple[int, int]:
    """MurmurHash3_x64_128 (Austin Appleby's public-domain algorithm): the two 64-bit halves."""
    c1, c2 = 0x87C37B91114253D5, 0x4CF5AD432745937F
    h1 = h2 = seed & MASK64
    n = len(data)
    blocks = n // 16
    for b in range(blocks):
        k1 = int.from_bytes(data[16 * b:16 * b + 8], "little")
        k2 = int.from_bytes(data[16 * b + 8:16 * b + 16], "little")
        k1 = (k1 * c1) & MASK64
        k1 = _rotl(k1, 31)
        k1 = (k1 * c2) & MASK64
        h1 ^= k1
        h1 = _rotl(h1, 27)
        h1 = (h1 + h2) & MASK64
        h1 = (h1 * 5 + 0x52DCE729) & MASK64
        k2 = (k2 * c2) & MASK64
        k2 = _rotl(k2, 33)
        k2 = (k2 * c1) & MASK64
        h2 ^= k2
        h2 = _rotl(h2, 31)
        h2 = (h2 + h1) & MASK64
        h2 = (h2 * 5 + 0x38495AB5) & MASK64
    tail = data[16 * blocks:]
    k1 = k2 = 0
    for i in range(len(tail) - 1, 7, -1):
        k2 ^= tail[i] << (8 * (i - 8))
    if len(tail) > 8:
        k2 = (k2 * c2) & MASK64
        k2 = _rotl(k2, 33)
        k2 = (k2 * c1) & MASK64
        h2 ^= k2
    for i in range(min(len(tail), 8) - 1, -1, -1):
        k1 ^= tail[i] << (8 * i)
    if len(tail) > 0:
        k1 = (k1 * c1) & MASK64
        k1 = _rotl(k1, 31)
        k1 = (k1 * c2) & MASK64
        h1 ^= k1
    h1 ^= n
    h2 ^= n
    h1 = (h1 + h2) & MASK64
    h2 = (h2 + h1) & MASK64
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & MASK64
    h2 = (h2 + h1) & MASK64
    return h1, h2


class Floret:
    def __init__(self, table: np.ndarray, cfg: dict):
        self.table, self.cfg = table, cfg

    def rows(self, word: str) -> list[int]:
        c = self.cfg
        key = c["bow"] + word + c["eow"]
        grams = [key] + [key[s:s + n] for n in range(c["minn"], c["maxn"] + 1) for s in range(0, len(key) - n + 1)]
        out = []
        for g in grams:
            h1, h2 = murmur3_x64_128(g.encode("utf-8"), c["hash_seed"])
            hashes = [h1 & 0xFFFFFFFF, h1 >> 32, h2 & 0xFFFFFFFF, h2 >> 32][:min(c["hash_count"], 4)]
            out += [h % len(self.table) for h in hashes]
        return out

    def vector(self, word: str) -> np.ndarray:
        return self.table[self.rows(word)].mean(axis=0)


def load_table() -> Floret:
    WORK.mkdir(parents=True, exist_ok=True)
    wheels = sorted(WORK.glob("spacy_fi_experimental_web_md-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", WHEEL, "-d", str(WORK)], check=True)
        wheels = sorted(WORK.glob("spacy_fi_experimental_web_md-*.whl"))
    with zipfile.ZipFile(wheels[0]) as z:
        vectors = next(n for n in z.namelist() if n.endswith("/vocab/vectors"))
        cfg = next(n for n in z.namelist() if n.endswith("/vocab/vectors.cfg"))
        with z.open(vectors) as f:
            table = np.load(f)
        config = json.loads(z.read(cfg))
    assert config["mode"] == "floret", config
    return Floret(np.asarray(table, dtype=np.float32), config)


def wordfreq(language: str) -> list[str]:
    words = []
    with gzip.open(DATA / "frequencies" / "wordfreq" / f"{language}.top50k.tsv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            word = line.split("\t")[0].strip()
            if word.isalpha():
                words.append(word)
    return words


def check(floret: Floret, rows: int = 2000) -> float:
    """Largest |ours − shipped| over the first `rows` shipped Finnish vectors (5 significant digits)."""
    words, shipped = TR.load_vec(str(DATA / "vectors" / "spacy-fi-floret-300" / "fi.vec.gz"), rows=rows)
    ours = np.stack([floret.vector(w) for w in words])
    return float(np.max(np.abs(ours - shipped) / (np.abs(shipped) + 1e-3)))


def build(size: int) -> Path:
    out = WORK / f"floret{size}.f32"
    if out.exists():
        return out
    floret = load_table()
    error = check(floret)
    assert error < 1e-3, f"floret re-implementation does not reproduce fi.vec.gz (relative error {error})"
    words = wordfreq("fi")
    seen = set(words)
    lists = [wordfreq(lang) for lang in OTHERS]
    rank = 0
    while len(words) < size and rank < 50000:
        for other in lists:
            if rank < len(other) and other[rank] not in seen and len(words) < size:
                words.append(other[rank])
                seen.add(other[rank])
        rank += 1
    words = words[:size]
    matrix = np.stack([floret.vector(w) for w in words]).astype(np.float32)
    TR.write_matrix(str(out), matrix)
    (out.with_suffix(".words.txt")).write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{out}: {len(words)} words x {matrix.shape[1]} (floret check: max relative error {error:.2e})", flush=True)
    return out


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [20000, 49586, 100000]:
        build(n)
