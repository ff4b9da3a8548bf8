"""Seconds per adversarial iteration of the unmodified MUSE (`src/trainer.py`: `dis_steps` x
`Trainer.dis_step` + one `Trainer.mapping_step`, the body of `unsupervised.py`'s epoch loop) on
CPU, one thread, after loading the two .vec files as `unsupervised.py` does. Imports MUSE from
the anchor checkout (run it, never copy it); needs the PyTorch venv (TORCH_PYTHON).

    /work/venvs/torch/bin/python Tests/bench/muse_iteration_timing.py SRC.vec TGT.vec \
        [--hidden 2048] [--iterations 50] [--normalize renorm,center,renorm] [--muse /work/shared/anchors/MUSE]

Prints one JSON line: wall and CPU seconds per iteration (the first 5 iterations are warm-up).
"""
import argparse
import inspect
import json
import os
import sys
import time

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")

ap = argparse.ArgumentParser()
ap.add_argument("src")
ap.add_argument("tgt")
ap.add_argument("--hidden", type=int, default=2048)
ap.add_argument("--iterations", type=int, default=50)
ap.add_argument("--normalize", default="renorm,center,renorm")
ap.add_argument("--muse", default=os.environ.get("MUSE_ANCHOR", "/work/shared/anchors/MUSE"))
args = ap.parse_args()

import torch  # noqa: E402

torch.set_num_threads(1)
inspect.getargspec = inspect.getfullargspec  # removed in Python 3.11; MUSE 2018 calls it
sys.path.insert(0, args.muse)
from src.models import build_model  # noqa: E402
from src.trainer import Trainer  # noqa: E402

params = argparse.Namespace(
    src_lang="xx", tgt_lang="yy", src_emb=args.src, tgt_emb=args.tgt, emb_dim=300, max_vocab=200000, cuda=False,
    map_id_init=True, map_beta=0.001, dis_layers=2, dis_hid_dim=args.hidden, dis_dropout=0.0, dis_input_dropout=0.1,
    dis_steps=5, dis_lambda=1.0, dis_most_frequent=0, dis_smooth=0.1, dis_clip_weights=0.0, batch_size=32,
    map_optimizer="sgd,lr=0.1", dis_optimizer="sgd,lr=0.1", normalize_embeddings=args.normalize, seed=0)
torch.manual_seed(0)
src_emb, tgt_emb, mapping, discriminator = build_model(params, True)
trainer = Trainer(src_emb, tgt_emb, mapping, discriminator, params)
stats = {"DIS_COSTS": []}


def iteration():
    for _ in range(params.dis_steps):
        trainer.dis_step(stats)
    trainer.mapping_step(stats)


for _ in range(5):
    iteration()
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(args.iterations):
    iteration()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"program": "MUSE", "hidden": args.hidden, "iterations": args.iterations, "torch": torch.__version__,
                  "threads": torch.get_num_threads(), "iteration_wall_seconds": wall / args.iterations,
                  "iteration_cpu_seconds": cpu / args.iterations, "load_average": os.getloadavg()}))
