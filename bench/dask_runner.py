"""The same synthetic workload on Dask.distributed: a LocalCluster of WORKERS processes with one thread each.

Piece i busies a core exactly as in pool_runner.py (the same busy loop, the same per-index spread, the classic
per-piece reseed). Prints one JSON line: pieces, workers, wall (from the first submit to the last result), start-up
(cluster and client up), and the sum of the pieces' measured durations; or {"skip": reason} when Dask is missing.
Usage: python3 dask_runner.py PIECES SECONDS SPREAD WORKERS
"""
import json
import logging
import sys
import time

from pool_runner import run_piece


def main():
    pieces, seconds, spread, workers = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        print(json.dumps({"skip": f"Dask.distributed is not installed ({e}); apt-get install python3-distributed"}))
        return
    logging.getLogger("distributed").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.wait_for_workers(workers)
        t1 = time.perf_counter()
        futures = client.map(run_piece, range(pieces), [seconds] * pieces, [spread] * pieces, pure=False)
        results = client.gather(futures)
        t2 = time.perf_counter()
    print(json.dumps({"pieces": len(results), "workers": workers, "wall": t2 - t1, "startup": t1 - t0,
                      "busy": sum(r[1] for r in results)}))


if __name__ == "__main__":
    main()
