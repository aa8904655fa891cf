"""The design binfleet replaces: multiprocessing.Pool.starmap over the pieces, each reseeding from os.urandom.

Runs the synthetic workload (piece i busies a core for seconds * (1 + spread * u_i), u_i in [-1, 1] fixed by the
index exactly as binfleet's Seeds.signedUnit does) and prints one JSON line: pieces, workers, wall (starmap only),
pool start-up, and the sum of the pieces' measured durations.
Usage: python3 pool_runner.py PIECES SECONDS SPREAD WORKERS
"""
import json
import math
import os
import random
import sys
import time
from multiprocessing import Pool

MASK = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def signed_unit(i):
    return ((mix((i + 0x632BE59BD9B4E019) & MASK) >> 11) * 2.0 ** -53) * 2 - 1


def run_piece(i, seconds, spread):
    random.seed(os.urandom(8))                      # the classic per-piece reseed
    start = time.perf_counter()
    end = start + seconds * (1 + spread * signed_unit(i))
    s = 0.0
    while time.perf_counter() < end:
        s += math.sqrt(s + 1.0)
    return i, time.perf_counter() - start, random.random()


def main():
    pieces, seconds, spread, workers = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    t0 = time.perf_counter()
    with Pool(workers) as pool:
        t1 = time.perf_counter()
        results = pool.starmap(run_piece, [(i, seconds, spread) for i in range(pieces)])
        t2 = time.perf_counter()
    print(json.dumps({"pieces": len(results), "workers": workers, "wall": t2 - t1, "startup": t1 - t0,
                      "busy": sum(r[1] for r in results)}))


if __name__ == "__main__":
    main()
