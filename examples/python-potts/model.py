"""The simulation function, in the classic style: simulation(system, *args, **params["simulation"]).

Wang-Landau sampling of the Potts model's density of states g(E) inside one energy window [lo, hi]. Returns
x = the energies visited, y = ln g(E) up to a constant (the join merge fits the windows together).
binfleet seeds Python's and numpy's global generators from the piece's recorded seed before the call, so a piece
rerun with that seed gives the same result."""
import math
import random

import binfleet


def neighbours(L):
    n = L * L
    return [((i // L) * L + (i + 1) % L, (i // L) * L + (i - 1) % L, (i + L) % n, (i - L) % n) for i in range(n)]


def energy(spins, nbr):
    return -sum(1 for i, s in enumerate(spins) for j in nbr[i][:1] + nbr[i][2:3] if spins[j] == s)


def wang_landau(system, lo, hi, flatness=0.8, lnf_final=1e-5, check_every=2000):
    L, q = system.L, system.q
    n = L * L
    nbr = neighbours(L)
    spins = [random.randrange(q) for _ in range(n)]
    e = energy(spins, nbr)
    # walk into the window first
    while not lo <= e <= hi:
        i = random.randrange(n)
        new = random.randrange(q)
        old = spins[i]
        de = sum(1 for j in nbr[i] if spins[j] == old) - sum(1 for j in nbr[i] if spins[j] == new)
        if (e < lo and de > 0) or (e > hi and de < 0) or random.random() < 0.1:
            spins[i] = new
            e += de
    size = hi - lo + 1
    lng = [0.0] * size
    hist = [0] * size
    lnf = 1.0
    stages = math.ceil(math.log2(1.0 / lnf_final))
    stage = 0
    steps = 0
    while lnf > lnf_final:
        for _ in range(check_every):
            i = random.randrange(n)
            old = spins[i]
            new = random.randrange(q)
            if new == old:
                de = 0
            else:
                de = sum(1 for j in nbr[i] if spins[j] == old) - sum(1 for j in nbr[i] if spins[j] == new)
            e2 = e + de
            if lo <= e2 <= hi and (lng[e - lo] >= lng[e2 - lo] or random.random() < math.exp(lng[e - lo] - lng[e2 - lo])):
                spins[i] = new
                e = e2
            lng[e - lo] += lnf
            hist[e - lo] += 1
        steps += check_every
        # flat over every level seen so far (levels never reached are not levels of this model)
        seen = [hist[k] for k in range(size) if lng[k] > 0]
        if min(seen) >= flatness * (sum(seen) / len(seen)):
            lnf /= 2
            hist = [0] * size
            stage += 1
            binfleet.progress(stage / stages)
    x = [lo + k for k in range(size) if lng[k] > 0]
    y = [lng[k] for k in range(size) if lng[k] > 0]
    return x, y
