"""A binfleet `external` simulation in Python: checkerboard Metropolis of the 2D Ising model with numpy.

Reads the task JSON on stdin, prints the piece result JSON on stdout:
  x = the piece's temperatures, y = U/N, series U.err (block standard errors) and m = <|M|>/N.
The random generator is seeded from the task's seed, so a piece rerun with its recorded seed gives the same result.
"""
import json
import sys

import numpy as np


def sweep(spins, beta, rng, masks):
    """One sweep: update the two sublattices of the checkerboard in turn."""
    for mask in masks:
        neighbours = (np.roll(spins, 1, 0) + np.roll(spins, -1, 0) + np.roll(spins, 1, 1) + np.roll(spins, -1, 1))
        delta = 2.0 * spins * neighbours                      # energy change of flipping each spin (J = 1)
        accept = (delta <= 0) | (rng.random(spins.shape) < np.exp(-beta * np.clip(delta, 0, None)))
        spins[mask & accept] *= -1


def energy(spins):
    return -float(np.sum(spins * (np.roll(spins, 1, 0) + np.roll(spins, 1, 1))))


def main():
    task = json.load(sys.stdin)
    (system,) = task["system"].values()
    size = int(system["L"])
    args, sim = task["args"], task["simulation"]
    if args.get("param") != "T":
        print("this program needs a grid of temperatures (param T)", file=sys.stderr)
        sys.exit(2)
    sweeps, thermalization, blocks = int(sim.get("sweeps", 4000)), int(sim.get("thermalization", 1000)), 20
    rng = np.random.default_rng(task["seed"] & 0xFFFFFFFFFFFFFFFF)
    n = size * size
    checker = (np.add.outer(np.arange(size), np.arange(size)) % 2) == 0
    masks = (checker, ~checker)
    spins = rng.choice(np.array([-1, 1], dtype=np.int8), size=(size, size)).astype(np.float64)
    temperatures = [float(t) for t in args["values"]]
    u, du, m = [0.0] * len(temperatures), [0.0] * len(temperatures), [0.0] * len(temperatures)
    for i in sorted(range(len(temperatures)), key=lambda k: -temperatures[k]):   # hottest first
        beta = 1.0 / temperatures[i]
        for _ in range(thermalization):
            sweep(spins, beta, rng, masks)
        e, a = np.empty(sweeps), np.empty(sweeps)
        for s in range(sweeps):
            sweep(spins, beta, rng, masks)
            e[s], a[s] = energy(spins), abs(float(np.sum(spins)))
        block_means = e[: sweeps // blocks * blocks].reshape(blocks, -1).mean(axis=1) / n
        u[i], du[i], m[i] = float(e.mean() / n), float(block_means.std(ddof=1) / np.sqrt(blocks)), float(a.mean() / n)
    json.dump({"x": temperatures, "y": u, "series": {"U.err": du, "m": m}}, sys.stdout)


if __name__ == "__main__":
    main()
