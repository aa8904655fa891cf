"""The classic split function: psystem_func(system, **params["parallel"]) -> [(system, *args), ...].

Energy windows over the Potts model's energy range, each bin widened into its neighbours by a fraction k
(the classic extend_bin), every piece on the same system."""


def extend_bin(bins, i, k):
    lo, hi = bins[i]
    if len(bins) == 1:
        return lo, hi
    k = max(0.0, min(1.0, k))
    if i > 0:
        lo -= k * (bins[i - 1][1] - bins[i - 1][0])
    if i < len(bins) - 1:
        hi += k * (bins[i + 1][1] - bins[i + 1][0])
    return lo, hi


def energy_windows(system, bins=2, k=0.5):
    e_min, e_max = -system.bonds, 0
    width = (e_max - e_min) / bins
    edges = [(e_min + i * width, e_min + (i + 1) * width) for i in range(bins)]
    pieces = []
    for i in range(bins):
        lo, hi = extend_bin(edges, i, k)
        pieces.append((system, int(round(lo)), int(round(hi))))
    return pieces
