"""Differential tests: xling (the real kernel, through jupyter_client) against the numpy
references in this folder (mapping_reference.py, retrieval_reference.py, formats_reference.py).

Compared, for the same input vectors and dictionaries:
  * mapping matrices (saved with `%save M format=txt`): max |difference| <= 1e-3 on the part of
    the map that the training data determines (see `determined_rank`), means <= 1e-5;
  * BLI P@1 / P@5 for nn, csls and isf under the three OOV conventions, with the coverage
    counts: IDENTICAL (correct counts recovered from the percentages must be equal integers);
      - "retrieval" check: numpy retrieval on xling's own mapped spaces (`%save M format=vec`);
      - "end-to-end" check: numpy retrieval on the numpy-fitted mapping;
  * CSLS scores of `%neighbors WORD in=M retrieval=csls k=5` for 20 words: <= 1e-4, same words.
Data sets: (a) fastText en -> fr.rotated (756/757 x 300) with the xling-eval train dictionary
and the MUSE test subset; (b) a larger noisy en/fr pair built here from (a).
Bad input through the kernel: clear errors, and the session survives (`%who`).
"""

from __future__ import annotations

import gzip
import json
import os

import numpy as np
import pytest

import formats_reference as FR
import mapping_reference as MR
import retrieval_reference as RR

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "notebooks", "data"))
EN = os.path.join(DATA, "fasttext-en-fr-756", "en.vec.gz")
FR_ROT = os.path.join(DATA, "fasttext-en-fr-756", "fr.rotated.vec.gz")
TRAIN = os.path.join(DATA, "xling-eval-en-fr", "yacle.train.freq.5k.en-fr.tsv.gz")
TEST = os.path.join(DATA, "muse-en-fr-756", "test.at.txt")

MAP_TOL = 1e-3
MEAN_TOL = 1e-5
CSLS_TOL = 1e-4
KS = (1, 5)
RETRIEVALS = ("nn", "csls", "isf")
UCU = "unit,center,unit"

# --------------------------------------------------------------------------------------------
# fp32 operations exactly as the Swift code does them
# --------------------------------------------------------------------------------------------


def unit_rows32(x):
    """Swift Matrix.normalizeRows / NeighborSearch.unitNormalized: Double sum of squares,
    Float scale = Float(1/sqrt(sum)), rows multiplied in fp32; zero rows stay zero."""
    x = np.asarray(x, dtype=np.float32)
    ss = (x.astype(np.float64) ** 2).sum(axis=1)
    scale = np.ones_like(ss)
    scale[ss > 0] = 1.0 / np.sqrt(ss[ss > 0])
    return (x * scale.astype(np.float32)[:, None]).astype(np.float32)


def center32(x):
    """Swift Matrix.centerColumns: Double column means, rounded to Float, subtracted in fp32."""
    x = np.asarray(x, dtype=np.float32)
    return (x - x.astype(np.float64).mean(axis=0).astype(np.float32)).astype(np.float32)


def normalize_chain(x, chain):
    for step in (chain.split(",") if chain else []):
        x = unit_rows32(x) if step == "unit" else center32(x)
    return np.asarray(x, dtype=np.float32)


# --------------------------------------------------------------------------------------------
# dictionaries and data sets
# --------------------------------------------------------------------------------------------


def dedup(pairs):
    """BilingualDictionary: repeated pairs kept once, first position."""
    seen, out = set(), []
    for p in pairs:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def read_tsv(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return dedup([tuple(line.rstrip("\r\n").split("\t")) for line in f if line.strip()])


def read_at(path):
    """`fr @ en` lines -> (en, fr) pairs."""
    with open(path, encoding="utf-8") as f:
        out = []
        for line in f:
            if line.strip():
                tgt, src = (s.strip() for s in line.split("@"))
                out.append((src, tgt))
        return dedup(out)


class DataSet:
    def __init__(self, key, src_path, tgt_path, train_path, train_fmt, test_path, test_fmt):
        self.key = key
        self.src_path, self.tgt_path = src_path, tgt_path
        self.train_path, self.train_fmt = train_path, train_fmt
        self.test_path, self.test_fmt = test_path, test_fmt
        self.src_words, self.src = FR.load_vec(src_path)
        self.tgt_words, self.tgt = FR.load_vec(tgt_path)
        self.train = read_tsv(train_path) if train_fmt == "tsv" else read_at(train_path)
        self.test = read_tsv(test_path) if test_fmt == "tsv" else read_at(test_path)
        si = {w: i for i, w in enumerate(self.src_words)}
        ti = {w: i for i, w in enumerate(self.tgt_words)}
        self.si, self.ti = si, ti
        self.train_rows = [(si[s], ti[t]) for s, t in self.train if s in si and t in ti]
        # 20 test source words in the source vocabulary, for the %neighbors CSLS check
        words = []
        for s, _ in self.test:
            if s in si and s not in words:
                words.append(s)
        step = max(1, len(words) // 20)
        self.probe_words = words[::step][:20]

    def load(self, xling):
        k = self.key
        xling.ok(f"%load vectors {k}_src path={self.src_path} lang=en")
        xling.ok(f"%load vectors {k}_tgt path={self.tgt_path} lang=fr")
        r = xling.ok(f"%load dict {k}_train path={self.train_path} format={self.train_fmt}")
        assert r.json[0]["pairs"] == len(self.train)
        r = xling.ok(f"%load dict {k}_test path={self.test_path} format={self.test_fmt}")
        assert r.json[0]["pairs"] == len(self.test)


def write_vec(path, words, m):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{len(words)} {m.shape[1]}\n")
        for w, row in zip(words, m):
            f.write(w + " " + " ".join(repr(float(v)) for v in row.astype(np.float32)) + "\n")


def write_tsv(path, pairs):
    with open(path, "w", encoding="utf-8") as f:
        for s, t in pairs:
            f.write(f"{s}\t{t}\n")


def build_noisy(tmpdir, seed=20240611, copies_src=4, copies_tgt=3):
    """(b): en + N(0, s^2) with s = 0.3 x mean|value| (and 4 further noisy copies `w_1`..`w_4`),
    fr.rotated + noise (and 3 noisy copies `w_1`..`w_3`); the dictionaries map `s_i -> t_i`
    for i = 1..3, `s -> t` and `s_4 -> t` (the plain French word)."""
    rng = np.random.default_rng(seed)
    ew, e = FR.load_vec(EN)
    fw, f = FR.load_vec(FR_ROT)

    def noisy(words, m, copies):
        sigma = 0.3 * float(np.abs(m).mean())
        out_w, out_m = [], []
        for i in range(copies + 1):
            out_w += [w if i == 0 else f"{w}_{i}" for w in words]
            out_m.append((m + rng.normal(0, sigma, m.shape)).astype(np.float32))
        return out_w, np.concatenate(out_m)

    sw, sm = noisy(ew, e, copies_src)
    tw, tm = noisy(fw, f, copies_tgt)
    src, tgt = os.path.join(tmpdir, "en_noisy.vec"), os.path.join(tmpdir, "fr_noisy.vec")
    write_vec(src, sw, sm)
    write_vec(tgt, tw, tm)

    def expand(pairs):
        out = []
        for s, t in pairs:
            out.append((s, t))
            out += [(f"{s}_{i}", f"{t}_{i}") for i in range(1, copies_tgt + 1)]
            out.append((f"{s}_{copies_src}", t))
        return out

    train, test = os.path.join(tmpdir, "train.tsv"), os.path.join(tmpdir, "test.tsv")
    write_tsv(train, expand(read_tsv(TRAIN)))
    # the test dictionary also exercises coverage: 15 OOV source words, 10 in-vocabulary
    # source words whose only gold target is OOV, and an extra OOV target for a covered word
    test_pairs = expand(read_at(TEST))
    test_src = {s for s, _ in test_pairs}
    extra = [(f"oov_src_{i}", test_pairs[0][1]) for i in range(15)]
    extra += [(w, f"oov_tgt_{i}") for i, w in enumerate([w for w in ew if w not in test_src][:10])]
    extra.append((test_pairs[0][0], "oov_tgt_extra"))
    write_tsv(test, test_pairs[:50] + extra + test_pairs[50:])
    return src, tgt, train, test


# --------------------------------------------------------------------------------------------
# reference fits
# --------------------------------------------------------------------------------------------


def read_txt_map(path):
    """W and the optional '# mean' of `%save M format=txt`."""
    mean = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# mean "):
                mean = np.array(line[len("# mean "):].split(), dtype=np.float64)
    return np.loadtxt(path, dtype=np.float64, ndmin=2), mean


def numerical_rank(s, rel=1e-9):
    return int(np.sum(s > rel * s[0]))


def separated(s, r, rel_gap=1e-3):
    """Indices i < r whose singular value is apart from its neighbours (unique vectors)."""
    out = []
    for i in range(r):
        lo = s[i + 1] if i + 1 < len(s) else -np.inf
        hi = s[i - 1] if i > 0 else np.inf
        if min(hi - s[i], s[i] - lo) > rel_gap * s[0]:
            out.append(i)
    return out


class Fit:
    """The numpy fit of one configuration, with what is needed to compare xling's matrices."""

    def __init__(self, method, X, Y, reg):
        self.method = method
        X64, Y64 = X.astype(np.float64), Y.astype(np.float64)
        self.mean_src = self.mean_tgt = None
        self.W_tgt = None
        if method == "procrustes":
            self.W_src = MR.procrustes(X, Y)
            U, s, _ = np.linalg.svd(X64.T @ Y64)
        elif method == "lstsq":
            self.W_src = MR.lstsq(X, Y)
            U, s = None, None
        elif method == "svd":
            res = MR.svd_mapping(X, Y)
            self.W_src, self.W_tgt, s = res["Ws"], res["Wt"], res["singular_values"]
            U = res["Ws"]
        elif method == "cca":
            res = MR.cca(X, Y, eps=reg)
            self.W_src, self.W_tgt, s = res["Wx"], res["Wy"], res["correlations"]
            self.mean_src, self.mean_tgt = res["mean_x"], res["mean_y"]
            U = None
        self.s = s
        self.rank = numerical_rank(s) if s is not None else None
        # orthogonal projector onto the input subspace on which the map is determined
        self.P = U[:, : self.rank] @ U[:, : self.rank].T if method in ("procrustes", "svd") else None

    def undetermined(self):
        """Whether the training pairs leave part of the map free (rank < dimension)."""
        return self.rank is not None and self.rank < min(self.W_src.shape)

    def mapped(self, S, T, xling_W=None, xling_Wt=None):
        """The numpy-mapped spaces (fp64 maps applied to the fp32 inputs, rounded to fp32).

        When the map is not fully determined (`undetermined()`, data set (a): 270 pairs of
        rank 245 in 300 dimensions), ANY completion on the free subspace is an equally valid
        solution and LAPACK picks one from rounding noise, so numpy's and xling's completions
        differ arbitrarily (and so do BLI results on words outside the training span). There
        the numpy map is completed with xling's choice: Procrustes W = P_r W_numpy +
        (I - P_r) W_xling; svd/cca components r.. (singular value / correlation ~1e-15) from
        xling. The determined part stays numpy's own.
        """
        W, Wt = self.W_src, self.W_tgt
        if self.undetermined():
            r = self.rank
            if self.method == "procrustes":
                W = self.P @ W + (np.eye(W.shape[0]) - self.P) @ xling_W
            else:
                W = np.concatenate([W[:, :r], xling_W[:, r:]], axis=1)
                Wt = np.concatenate([Wt[:, :r], xling_Wt[:, r:]], axis=1)

        def apply(M, mean, Z):
            Z = Z.astype(np.float64)
            return ((Z - mean) @ M if mean is not None else Z @ M).astype(np.float32)

        ms = apply(W, self.mean_src, S)
        mt = T if Wt is None else apply(Wt, self.mean_tgt, T)
        return ms, mt


def compare_maps(fit, W, Wt, mean, mean_t):
    """Max |difference| of the determined part of the maps (see the module docstring);
    returns a dict of named differences (all must be <= MAP_TOL / MEAN_TOL)."""
    d = {}
    r = fit.rank
    if fit.method == "lstsq":
        d["W"] = np.abs(W - fit.W_src).max()
    elif fit.method == "procrustes":
        # W is unique on span(U_r) (r = rank of X^T Y); on its complement any orthogonal
        # completion is a valid Procrustes solution.
        d["P_r W"] = np.abs(fit.P @ (W - fit.W_src)).max()
    else:
        # svd / cca: signs fixed as documented (largest-|.| entry of U's column positive);
        # compare the components with a unique (separated, non-null) singular value, and the
        # rotation-invariant kernel of the r determined components.
        idx = separated(fit.s, r)
        d["components"] = len(idx)
        d["W_src[:, sep]"] = np.abs(W[:, idx] - fit.W_src[:, idx]).max()
        d["W_tgt[:, sep]"] = np.abs(Wt[:, idx] - fit.W_tgt[:, idx]).max()
        cross_x = W[:, :r] @ Wt[:, :r].T
        cross_r = fit.W_src[:, :r] @ fit.W_tgt[:, :r].T
        d["cross_r"] = np.abs(cross_x - cross_r).max()
        if fit.method == "cca":
            d["mean_src"] = np.abs(mean - fit.mean_src).max()
            d["mean_tgt"] = np.abs(mean_t - fit.mean_tgt).max()
    return d


# --------------------------------------------------------------------------------------------
# BLI
# --------------------------------------------------------------------------------------------


def xling_bli(rows):
    """{(retrieval, convention): (P@1, P@5, counted)} from `%eval bli` rows; a row shared by
    conventions with identical numbers (`muse = vecmap`) counts for each of them."""
    return {(r["retrieval"], conv): (r["P@1"], r["P@5"], r["source words counted"])
            for r in rows for conv in r["OOV convention"].split(" = ")}


def reference_bli(ds, ms, mt):
    return RR.bli(ds.src_words, unit_rows32(ms), ds.tgt_words, unit_rows32(mt), ds.test,
                  methods=RETRIEVALS, ks=KS, csls_k=10, beta=30.0)


def bli_mismatches(xrows, ref):
    """Differences between xling's table and the reference counts (exact), as strings."""
    got = xling_bli(xrows)
    bad = []
    for m in RETRIEVALS:
        correct = ref["methods"][m]["correct"]
        for conv, denom in (("muse", ref["covered"]), ("vecmap", ref["covered"]), ("fasttext", ref["total"])):
            p1, p5, counted = got[(m, conv)]
            if counted != denom:
                bad.append(f"{m}/{conv}: counted {counted} != {denom}")
            for k, p in ((1, p1), (5, p5)):
                c = round(p * denom / 100)
                if c != correct[k] or abs(p - 100 * correct[k] / denom) > 1e-9:
                    bad.append(f"{m}/{conv} P@{k}: xling {p} ({c}/{denom}) != reference "
                               f"{100 * correct[k] / denom} ({correct[k]}/{denom})")
    return bad


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("xling-diff"))


@pytest.fixture(scope="module")
def datasets(xling, workdir):
    a = DataSet("a", EN, FR_ROT, TRAIN, "tsv", TEST, "at")
    nd = os.path.join(workdir, "noisy")
    os.makedirs(nd)
    src, tgt, train, test = build_noisy(nd)
    b = DataSet("b", src, tgt, train, "tsv", test, "tsv")
    assert len(a.train_rows) == 270
    for ds in (a, b):
        ds.load(xling)
    return {"a": a, "b": b}


CONFIGS = [(ds, m, n) for ds in ("a", "b") for m in ("procrustes", "lstsq", "svd", "cca") for n in ("", UCU)]


def config_id(c):
    return f"{c[0]}-{c[1]}-{'ucu' if c[2] else 'raw'}"


@pytest.fixture(scope="module")
def fitted(xling, datasets, workdir):
    """Runs every configuration once in xling and numpy; the tests below look at the parts."""
    out = {}
    for key, method, norm in CONFIGS:
        ds = datasets[key]
        name = f"{key}_{method}_{'ucu' if norm else 'raw'}"
        opts = (f" normalize={norm}" if norm else "") + (" reg=0.01" if method == "cca" else "")
        xling.ok(f"%align {method} src={key}_src tgt={key}_tgt dict={key}_train{opts} as={name}")
        base = os.path.join(workdir, name)
        xling.ok(f"%save {name} path={base}.W.txt format=txt")
        if method in ("svd", "cca"):
            xling.ok(f"%save {name} path={base}.Wt.txt format=txt side=target")
        xling.ok(f"%save {name} path={base}.src.vec format=vec side=source")
        xling.ok(f"%save {name} path={base}.tgt.vec format=vec side=target")
        bli = xling.ok(f"%eval bli {name} dict={key}_test retrieval=nn,csls,isf k=1,5").json
        neighbors = {}
        for w in ds.probe_words:
            neighbors[w] = xling.ok(f"%neighbors {w} in={name} retrieval=csls k=5").json
        W, mean = read_txt_map(f"{base}.W.txt")
        Wt, mean_t = read_txt_map(f"{base}.Wt.txt") if method in ("svd", "cca") else (None, None)
        _, xs = FR.load_vec(f"{base}.src.vec")
        _, xt = FR.load_vec(f"{base}.tgt.vec")
        S, T = normalize_chain(ds.src, norm), normalize_chain(ds.tgt, norm)
        X = S[[i for i, _ in ds.train_rows]]
        Y = T[[j for _, j in ds.train_rows]]
        fit = Fit(method, X, Y, 0.01)
        out[(key, method, norm)] = dict(ds=ds, name=name, bli=bli, neighbors=neighbors, W=W, mean=mean, Wt=Wt,
                                        mean_t=mean_t, xs=xs, xt=xt, S=S, T=T, fit=fit)
    return out


# --------------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_mapping_matrix(fitted, config):
    f = fitted[config]
    fit = f["fit"]
    if config[0] == "b" and fit.rank is not None:
        assert fit.rank == 300, "(b) is meant to determine the whole map"
    d = compare_maps(fit, f["W"], f["Wt"], f["mean"], f["mean_t"])
    print(config_id(config), "rank", fit.rank, d)
    for key, value in d.items():
        if key == "components":
            continue
        tol = MEAN_TOL if key.startswith("mean") else MAP_TOL
        assert value <= tol, f"{config_id(config)}: max |diff| of {key} = {value:.3g} > {tol} ({d})"


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_mapped_spaces(fitted, config):
    """xling's mapped spaces (`%save M format=vec`, both sides) against numpy's, unit rows
    (what retrieval sees): max |difference| <= 1e-3."""
    f = fitted[config]
    ms, mt = f["fit"].mapped(f["S"], f["T"], f["W"], f["Wt"])
    ds, dt = (np.abs(unit_rows32(a) - unit_rows32(b)).max() for a, b in ((f["xs"], ms), (f["xt"], mt)))
    print(config_id(config), "mapped spaces: source", ds, "target", dt)
    assert ds <= MAP_TOL and dt <= MAP_TOL, f"{config_id(config)}: mapped source {ds:.3g}, target {dt:.3g}"


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_bli_retrieval_on_xling_spaces(fitted, config):
    """numpy retrieval + BLI on xling's own mapped spaces: P@k identical, coverage included."""
    f = fitted[config]
    ref = reference_bli(f["ds"], f["xs"], f["xt"])
    bad = bli_mismatches(f["bli"], ref)
    print(config_id(config), "coverage", ref["covered"], "/", ref["total"], "correct@1,5:",
          {m: tuple(ref["methods"][m]["correct"][k] for k in KS) for m in RETRIEVALS})
    assert not bad, f"{config_id(config)}: " + "; ".join(bad)


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_bli_end_to_end(fitted, config):
    """numpy mapping + numpy retrieval: P@k identical."""
    f = fitted[config]
    ms, mt = f["fit"].mapped(f["S"], f["T"], f["W"], f["Wt"])
    ref = reference_bli(f["ds"], ms, mt)
    bad = bli_mismatches(f["bli"], ref)
    assert not bad, f"{config_id(config)}: " + "; ".join(bad)


def csls_reference(f, ms, mt):
    ds = f["ds"]
    rows = [ds.si[w] for w in ds.probe_words]
    idx, val = RR.search(unit_rows32(ms), unit_rows32(mt), 5, "csls", csls_k=10, query_rows=rows)
    return {w: [(ds.tgt_words[j], float(v)) for j, v in zip(idx[q], val[q])] for q, w in enumerate(ds.probe_words)}


def csls_mismatches(f, ref):
    bad, worst = [], 0.0
    for w, rows in f["neighbors"].items():
        got = [(r["fr"], r["fr CSLS"]) for r in rows]
        for rank, ((gw, gs), (rw, rs)) in enumerate(zip(got, ref[w]), 1):
            worst = max(worst, abs(gs - rs))
            if abs(gs - rs) > CSLS_TOL:
                bad.append(f"{w} #{rank}: xling {gw} {gs:.6f} vs numpy {rw} {rs:.6f}")
            elif gw != rw:
                bad.append(f"{w} #{rank}: xling {gw} vs numpy {rw} (scores {gs:.7f} / {rs:.7f})")
    return bad, worst


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_csls_scores(fitted, config):
    f = fitted[config]
    bad, worst = csls_mismatches(f, csls_reference(f, f["xs"], f["xt"]))
    print(config_id(config), "CSLS on xling spaces: worst", worst)
    assert not bad, f"{config_id(config)}: " + "; ".join(bad[:10])


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_csls_scores_end_to_end(fitted, config):
    f = fitted[config]
    ms, mt = f["fit"].mapped(f["S"], f["T"], f["W"], f["Wt"])
    bad, worst = csls_mismatches(f, csls_reference(f, ms, mt))
    print(config_id(config), "CSLS end to end: worst", worst)
    assert not bad, f"{config_id(config)}: " + "; ".join(bad[:10])


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------


def test_bad_input_keeps_session(xling, workdir):
    xling.ok(f"%load vectors keep path={EN} lang=en")
    xling.ok(f"%load vectors keepfr path={FR_ROT} lang=fr")
    xling.ok(f"%load dict keeptrain path={TRAIN}")

    def survived():
        names = xling.who()
        assert "keep" in names and "keepfr" in names, names

    r = xling.fails("%load vectors x path=/nonexistent.vec")
    assert "nonexistent.vec" in r.error and "cannot open" in r.error, r.error
    survived()

    def bad_file(name, content: bytes):
        p = os.path.join(workdir, name)
        with open(p, "wb") as f:
            f.write(content)
        return p

    p = bad_file("header.vec", b"the 0.1 0.2 0.3\nof 0.4 0.5 0.6\n")
    r = xling.fails(f"%load vectors x path={p}")
    assert "header.vec" in r.error and "line 1" in r.error and "header" in r.error.lower(), r.error
    survived()

    p = bad_file("ragged.vec", b"3 3\nthe 0.1 0.2 0.3\nof 0.4 0.5\nand 0.7 0.8 0.9\n")
    r = xling.fails(f"%load vectors x path={p}")
    assert "ragged.vec" in r.error and "line 3" in r.error and "2 values" in r.error, r.error
    survived()

    p = bad_file("latin1.vec", b"2 3\nthe 0.1 0.2 0.3\ncaf\xe9 0.4 0.5 0.6\n")
    r = xling.fails(f"%load vectors x path={p}")
    assert "latin1.vec" in r.error and "UTF-8" in r.error, r.error
    survived()

    small = bad_file("small50.vec", ("3 50\n" + "".join(
        f"{w} " + " ".join("0.1" for _ in range(50)) + "\n" for w in ("le", "de", "la"))).encode())
    xling.ok(f"%load vectors small path={small} lang=fr")
    r = xling.fails("%align procrustes src=keep tgt=small dict=keeptrain")
    assert "dimension mismatch" in r.error and "300" in r.error and "50" in r.error, r.error
    survived()

    r = xling.fails("%%dict empty\n")
    assert "empty" in r.error.lower() or "no pair" in r.error.lower(), r.error
    survived()

    xling.ok("%%dict nopair\nzzzqqq xxxyyy\nqqqzzz yyyxxx")
    r = xling.fails("%align procrustes src=keep tgt=keepfr dict=nopair")
    assert "no training pair" in r.error and "nopair" in r.error, r.error
    survived()
    r = xling.fails("%eval bli src=keep tgt=keepfr dict=nopair")
    assert "no pair of `nopair`" in r.error, r.error
    survived()
