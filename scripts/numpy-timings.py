"""numpy's side of `npm run bench -- linalg` (scripts/bench-linalg.ts runs it right after our own
timing of the same operation, so both see the same load). Run with OPENBLAS_NUM_THREADS=1.

    python3 numpy-timings.py OP N REPEATS   ->  prints the median wall and CPU seconds of REPEATS runs

OP: qr (thin Q and R of an N x N Gaussian), qr-r (R only, mode='r'), matmul (N x N times N x N),
qr-loop (a Python loop of qr over N matrices of 16 x 16), qr-stacked (one qr call on the N x 16 x 16
stack).
"""
import sys
import time

import numpy as np


def main() -> None:
    op, n, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(1)
    if op in ("qr-loop", "qr-stacked"):
        stack = rng.standard_normal((n, 16, 16))
        if op == "qr-loop":
            run = lambda: [np.linalg.qr(a) for a in stack]
        else:
            run = lambda: np.linalg.qr(stack)
    else:
        a = rng.standard_normal((n, n))
        b = rng.standard_normal((n, n))
        run = {
            "qr": lambda: np.linalg.qr(a),
            "qr-r": lambda: np.linalg.qr(a, mode="r"),
            "matmul": lambda: a @ b,
        }[op]
    run()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    wall.sort()
    cpu.sort()
    print(wall[len(wall) // 2], cpu[len(cpu) // 2])


main()
