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
