"""Same seed ⇒ same result, in a real kernel process (cells run one at a time, so nothing else
changes OpenBLAS's process-wide thread count mid-run, unlike the Swift test process where suites
run concurrently): the unsupervised VecMap map, trained twice on the real 756-word fastText
English space against a rotated French copy, is written by `%save` byte for byte the same."""
from pathlib import Path

import kernel_helpers as kh

DATA = Path(__file__).resolve().parents[2] / "notebooks" / "data" / "fasttext-en-fr-756"


def _ok(kc, code: str, timeout: float = 120):
    reply, iopub = kh.execute(kc, code, timeout=timeout)
    assert reply["content"]["status"] == "ok", reply["content"]
    return iopub


def test_vecmap_same_seed_same_map_bytes(tmp_path: Path):
    km, kc = kh.start_kernel(quiet=True)
    try:
        _ok(kc, f"%load vectors en path={DATA / 'en.vec.gz'} lang=en\n"
                f"%load vectors frr path={DATA / 'fr.rotated.vec.gz'} lang=fr")
        files = []
        for name in ("a", "b"):
            _ok(kc, f"%align vecmap src=en tgt=frr init_vocab=600 iters=3 seed=5 null=1 threads=2 as={name}")
            out = tmp_path / f"{name}.txt"
            _ok(kc, f"%save {name} path={out} format=txt")
            files.append(out.read_bytes())
        assert len(files[0]) > 1000 and files[0] == files[1]
        _ok(kc, "%align vecmap src=en tgt=frr init_vocab=600 iters=3 seed=6 null=1 threads=2 as=c")
        other = tmp_path / "c.txt"
        _ok(kc, f"%save c path={other} format=txt")
        assert other.read_bytes() != files[0]  # the seed matters: the check can fail
    finally:
        kh.stop_kernel(km, kc)


def _blas_title(kc) -> str:
    iopub = _ok(kc, "%blas sizes=64 repeat=1")
    texts = [m["content"]["data"].get("text/plain", "") for m in iopub if m["msg_type"] == "execute_result"]
    assert texts, iopub
    return texts[-1]


def test_blas_threads_follow_the_session_not_the_machine():
    """OpenBLAS's results depend on its thread count (an SVD, a product with a long inner
    dimension), and it starts with one thread per core: the kernel sets it to the session's
    `threads` (1) at start, so a notebook gives the same numbers on any machine. The kernel is
    started with OPENBLAS_NUM_THREADS=2, so without that the title would say 2 threads."""
    km, kc = kh.start_kernel(quiet=True, env={"OPENBLAS_NUM_THREADS": "2"})
    try:
        title = _blas_title(kc)
        assert "1 thread" in title and "threads" not in title, title
        _ok(kc, "%set threads=2")
        assert "2 threads" in _blas_title(kc)
    finally:
        kh.stop_kernel(km, kc)
