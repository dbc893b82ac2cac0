#!/usr/bin/python3
"""The machine's practical float32 matrix-product peak, for `tools/bench-peers`: numpy's sgemm (Debian's
python3-numpy, OpenBLAS) on two n x n float32 matrices, 2 n^3 FLOPs, best of 5, with THREADS BLAS threads.
Prints JSON. Usage: tools/peer-sgemm.py [THREADS] [N]
"""
import json, os, sys

threads = sys.argv[1] if len(sys.argv) > 1 else "0"
if threads != "0":
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = threads  # read when numpy's BLAS loads, so before the import
import time
import numpy as np

n = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
rng = np.random.default_rng(11)
a = rng.random((n, n), dtype=np.float32)
b = rng.random((n, n), dtype=np.float32)
a @ b
best = 0.0
for _ in range(5):
    t = time.perf_counter()
    a @ b
    best = max(best, 2.0 * n ** 3 / (time.perf_counter() - t) / 1e9)
print(json.dumps({"peer": "numpy " + np.__version__ + " sgemm", "threads": threads, "n": n, "sgemm_gflops": best}))
