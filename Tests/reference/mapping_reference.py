"""Reference implementations (numpy, float64) of xling's cross-lingual mapping methods.

They mirror ``Sources/Embeddings/Mapping/*.swift`` formula for formula so that a differential
test can compare them with the kernel's fp32 results. Only numpy is needed (no scipy).

Conventions (identical in Swift)
--------------------------------
* Row vectors. ``X`` is n x d_src (source vectors of the n dictionary pairs, one row per
  word), ``Y`` is n x d_tgt, and row i of ``X`` and ``Y`` is pair i. A map is applied as
  ``(x - mean) @ W`` with ``W`` d_src x d_out (``mean`` is None for LS, Procrustes and the SVD
  mapping). Papers that use column vectors (``W x ~ y``) have the transpose of these ``W``.
* Precision. Swift computes in fp32 (LAPACK ``sgesdd``/``ssyevd``/``sposv``/``sgesv``, BLAS
  ``sgemm``), with means, variances and norms accumulated in double. These references run in
  float64 on the *same fp32 input values* (cast the inputs with ``np.float32`` first, then
  ``float64``). Expected agreement on well-conditioned data: ~1e-5 relative for Procrustes and
  LS, ~1e-4 for CCA maps / correlations (the whitening squares the conditioning).

Methods
-------
``lstsq(X, Y)``
    W = argmin ||X W - Y||_F, the minimum-norm solution through the SVD pseudo-inverse:
    X = U S V^T, W = V S^+ U^T Y, where singular values s_i <= rcond * s_1 are dropped with
    rcond = eps32 * max(n, d_src), eps32 = 2**-23 (numpy's ``lstsq`` rule, fp32 epsilon).
    Swift: ``LeastSquares.fit(x:y:)`` (``solver: .pseudoInverse``, the default). Swift's other
    solver ``.normalEquations`` solves (X^T X) W = X^T Y by Cholesky and adds a ridge
    lambda*I (lambda = 1e-5 * trace(X^T X) / d_src) *only* when the fp32 Cholesky fails or its
    reciprocal condition estimate is < eps32; it records the lambda used in
    ``parameters["ridge"]`` ("0" when none) — pass that value as ``ridge`` to
    ``lstsq_normal``.
``procrustes(X, Y)``
    M = X^T Y (d_src x d_tgt), U S V^T = SVD(M) (thin), W = U V^T (d_src x d_tgt). The issue's
    "SVD(Y^T X)" is the column-vector convention and yields W^T. W does not depend on SVD
    signs. No centring or normalisation inside.
``cca(X, Y, eps=1e-5, dim=None)``
    mu_x, mu_y = column means; Xc = X - mu_x, Yc = Y - mu_y;
    Cxx = Xc^T Xc / n + eps I, Cyy = Yc^T Yc / n + eps I, Cxy = Xc^T Yc / n (divisor n,
    ddof = 0; eps is ABSOLUTE, default 1e-5, added to both diagonals);
    Kx = Cxx^{-1/2}, Ky = Cyy^{-1/2} (symmetric, via eigh);
    U S V^T = SVD(Kx Cxy Ky), sign-normalised (below); r = dim or min(d_src, d_tgt);
    Wx = Kx U[:, :r], Wy = Ky V[:, :r]; source map (x - mu_x) Wx, target map (y - mu_y) Wy;
    S[:r] are the canonical correlations. Swift: ``CCA.fit(x:y:epsilon:dim:)``.
``svd_mapping(X, Y, dim=None, threshold=None, normalize=True)``
    (Smith et al. 2017) Xn, Yn = X, Y with rows scaled to unit length (when ``normalize``);
    U S V^T = SVD(Xn^T Yn), sign-normalised; r = min(d_src, d_tgt), then
    r = #{s_i >= threshold} if threshold is given, then r = min(r, dim) if dim is given;
    source map x @ U[:, :r], target map y @ V[:, :r] (no means). Swift:
    ``SVDMapping.fit(x:y:dim:threshold:normalizeRows:)``. Near the threshold the kept count
    can differ between fp32 and float64 when some s_i is within ~1e-6 * s_1 of it.

SVD sign convention (CCA and SVD mapping)
-----------------------------------------
Both implementations fix signs deterministically: for each component i, the entry of largest
absolute value in column i of U (first one on ties, as ``np.argmax``) is made positive, and
row i of V^T is flipped with it (``sign_normalize``; Swift ``SVD.signNormalized()``). U here is
the left factor of the matrix named above (Kx Cxy Ky for CCA, Xn^T Yn for the SVD mapping).
Raw matrices can therefore be compared directly, EXCEPT when (a) two entries of a U column are
nearly tied in magnitude, or (b) singular values are (nearly) repeated, where any rotation
within their subspace is valid. Robust comparisons that need no sign fixing:
``Wx @ Wy.T`` (CCA, all components kept) and ``Ws @ Wt.T`` (SVD mapping; equals the
Procrustes W on the normalised pairs), the singular values / canonical correlations, the
projectors ``W @ pinv(W)`` of the kept subspace, or mapped-space inner products
``(X Ws) @ (Y Wt).T`` — see ``sign_invariant_summary``.
"""

from __future__ import annotations

import numpy as np

EPS32 = float(np.finfo(np.float32).eps)  # 2**-23, fp32 machine epsilon
CCA_DEFAULT_EPS = 1e-5
LS_FALLBACK_RIDGE = 1e-5


def _as64(a) -> np.ndarray:
    """The fp32 values of ``a`` (as the kernel sees them) widened to float64, 2-D."""
    a = np.asarray(a, dtype=np.float32).astype(np.float64)
    if a.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {a.shape}")
    return a


def _check_pairs(X: np.ndarray, Y: np.ndarray, method: str) -> None:
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"{method}: X is {X.shape[0]}x{X.shape[1]} but Y is "
                         f"{Y.shape[0]}x{Y.shape[1]}; both need one row per pair")
    if X.shape[0] == 0:
        raise ValueError(f"{method}: no training pairs")


def sign_normalize(U: np.ndarray, Vt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flip each pair (U[:, i], Vt[i, :]) so U[:, i]'s largest-|.| entry (first on ties) is > 0."""
    U = U.copy()
    Vt = Vt.copy()
    for i in range(U.shape[1]):
        j = int(np.argmax(np.abs(U[:, i])))
        if U[j, i] < 0:
            U[:, i] = -U[:, i]
            Vt[i, :] = -Vt[i, :]
    return U, Vt


def normalize_rows(X: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 length; zero rows stay zero (Swift ``Matrix.normalizedRows``)."""
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return X / norms


def inverse_sqrt(C: np.ndarray) -> np.ndarray:
    """C^{-1/2} = V diag(lambda^{-1/2}) V^T of a symmetric positive definite C (eigh)."""
    lam, V = np.linalg.eigh(C)
    floor = EPS32 * max(1, C.shape[0]) * np.max(np.abs(lam))
    if lam[0] <= floor or lam[0] <= 0:
        raise np.linalg.LinAlgError(f"not positive definite: smallest eigenvalue {lam[0]} <= {floor}")
    return (V / np.sqrt(lam)) @ V.T


def apply_map(W: np.ndarray, X: np.ndarray, mean: np.ndarray | None = None) -> np.ndarray:
    """(X - mean) @ W, as Swift's ``LinearMap.apply(to:)``."""
    X = _as64(X)
    return (X - mean) @ W if mean is not None else X @ W


def lstsq(X, Y) -> np.ndarray:
    """Minimum-norm least squares W (d_src x d_tgt) via the SVD pseudo-inverse, rcond = eps32*max(n, d)."""
    X, Y = _as64(X), _as64(Y)
    _check_pairs(X, Y, "least-squares")
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    rcond = EPS32 * max(X.shape)
    cutoff = rcond * (s[0] if s.size else 0.0)
    inv = np.where(s > cutoff, 1.0 / np.where(s > 0, s, 1.0), 0.0)
    return Vt.T @ (inv[:, None] * (U.T @ Y))


def lstsq_normal(X, Y, ridge: float = 0.0) -> np.ndarray:
    """Normal-equation solution (X^T X + ridge I)^{-1} X^T Y (Swift ``solver: .normalEquations``)."""
    X, Y = _as64(X), _as64(Y)
    _check_pairs(X, Y, "least-squares")
    G = X.T @ X + ridge * np.eye(X.shape[1])
    L = np.linalg.cholesky(G)
    return np.linalg.solve(L.T, np.linalg.solve(L, X.T @ Y))


def procrustes(X, Y) -> np.ndarray:
    """Orthogonal W = U V^T with U S V^T = SVD(X^T Y) (d_src x d_tgt), minimising ||X W - Y||_F."""
    X, Y = _as64(X), _as64(Y)
    _check_pairs(X, Y, "procrustes")
    U, _, Vt = np.linalg.svd(X.T @ Y, full_matrices=False)
    return U @ Vt


def cca(X, Y, eps: float = CCA_DEFAULT_EPS, dim: int | None = None) -> dict:
    """CCA maps. Returns dict(Wx, Wy, mean_x, mean_y, correlations), see the module docstring."""
    X, Y = _as64(X), _as64(Y)
    _check_pairs(X, Y, "cca")
    if not (np.isfinite(eps) and eps >= 0):
        raise ValueError(f"invalid epsilon: {eps} is not a finite value >= 0")
    k = min(X.shape[1], Y.shape[1])
    r = k if dim is None else dim
    if not 1 <= r <= k:
        raise ValueError(f"invalid dim: {r} is outside 1...{k}")
    n = X.shape[0]
    mean_x, mean_y = X.mean(axis=0), Y.mean(axis=0)
    Xc, Yc = X - mean_x, Y - mean_y
    Cxx = Xc.T @ Xc / n + eps * np.eye(X.shape[1])
    Cyy = Yc.T @ Yc / n + eps * np.eye(Y.shape[1])
    Cxy = Xc.T @ Yc / n
    Kx, Ky = inverse_sqrt(Cxx), inverse_sqrt(Cyy)
    U, s, Vt = np.linalg.svd(Kx @ Cxy @ Ky, full_matrices=False)
    U, Vt = sign_normalize(U, Vt)
    return {
        "Wx": Kx @ U[:, :r],
        "Wy": Ky @ Vt[:r, :].T,
        "mean_x": mean_x,
        "mean_y": mean_y,
        "correlations": s[:r],
    }


def svd_mapping(X, Y, dim: int | None = None, threshold: float | None = None,
                normalize: bool = True) -> dict:
    """Smith et al. 2017 SVD mapping. Returns dict(Ws, Wt, singular_values) (kept components only)."""
    X, Y = _as64(X), _as64(Y)
    _check_pairs(X, Y, "svd-mapping")
    k = min(X.shape[1], Y.shape[1])
    if dim is not None and not 1 <= dim <= k:
        raise ValueError(f"invalid dim: {dim} is outside 1...{k}")
    if threshold is not None and not (np.isfinite(threshold) and threshold >= 0):
        raise ValueError(f"invalid threshold: {threshold} is not a finite value >= 0")
    if normalize:
        X, Y = normalize_rows(X), normalize_rows(Y)
    U, s, Vt = np.linalg.svd(X.T @ Y, full_matrices=False)
    U, Vt = sign_normalize(U, Vt)
    r = k
    if threshold is not None:
        r = int(np.sum(s >= threshold))
    if dim is not None:
        r = min(r, dim)
    if r < 1:
        raise ValueError(f"invalid threshold: no singular value is >= {threshold} (largest {s[0]})")
    return {"Ws": U[:, :r], "Wt": Vt[:r, :].T, "singular_values": s[:r]}


def sign_invariant_summary(Ws: np.ndarray, Wt: np.ndarray) -> dict:
    """Quantities unchanged by the SVD's sign (and, with all components kept, rotation) freedom.

    ``cross`` = Ws @ Wt.T (d_src x d_tgt: the x -> y similarity kernel), and the orthogonal
    projectors onto the column spaces of Ws and Wt (compare these when components are dropped).
    """
    return {
        "cross": Ws @ Wt.T,
        "source_projector": Ws @ np.linalg.pinv(Ws),
        "target_projector": Wt @ np.linalg.pinv(Wt),
    }


def _self_check() -> None:
    """Quick sanity checks mirroring the Swift unit tests (python mapping_reference.py)."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (500, 20)).astype(np.float32)
    Q = np.linalg.svd(rng.uniform(-1, 1, (20, 20)))[0]
    Y = (X.astype(np.float64) @ Q).astype(np.float32)
    W = procrustes(X, Y)
    assert np.max(np.abs(W - Q)) < 1e-4, "procrustes must recover Q"
    assert np.allclose(W.T @ W, np.eye(20), atol=1e-10)
    A = rng.uniform(-1, 1, (20, 15))
    assert np.max(np.abs(lstsq(X, X.astype(np.float64) @ A) - A)) < 1e-3
    noisy = X.astype(np.float64) @ A + 0.5 * rng.uniform(-1, 1, (500, 15))
    assert np.allclose(lstsq(X, noisy), lstsq_normal(X, noisy), atol=1e-8)
    res = cca(X, X.astype(np.float64) @ A[:, :10] + 0.1 * rng.uniform(-1, 1, (500, 10)))
    mx = apply_map(res["Wx"], X, res["mean_x"])
    assert np.allclose(mx.T @ mx / 500, np.eye(10), atol=1e-2), "CCA must whiten"
    sm = svd_mapping(X, Y)
    assert np.allclose(sm["Ws"].T @ sm["Ws"], np.eye(20), atol=1e-10)
    assert np.allclose(sign_invariant_summary(sm["Ws"], sm["Wt"])["cross"],
                       procrustes(normalize_rows(_as64(X)), normalize_rows(_as64(Y))), atol=1e-8)
    s = sm["singular_values"]
    t = (s[7] + s[8]) / 2
    assert svd_mapping(X, Y, threshold=t)["Ws"].shape[1] == 8
    assert svd_mapping(X, Y, dim=5)["Wt"].shape == (20, 5)
    print("mapping_reference self-check passed")


if __name__ == "__main__":
    _self_check()
