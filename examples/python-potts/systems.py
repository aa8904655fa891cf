"""The model classes, in the classic style: a system is built from {"ClassName": {state}} with
getattr(systems, cls)(**state), and turned back with state_names() and state()."""


class Potts2D:
    """The q-state Potts model on an L x L periodic square lattice: E = -J * (number of equal neighbour pairs)."""

    def __init__(self, L, q=3, J=1.0):
        self.L, self.q, self.J = int(L), int(q), float(J)

    def state_names(self):
        return ["L", "q", "J"]

    def state(self):
        return [self.L, self.q, self.J]

    @property
    def bonds(self):
        return 2 * self.L * self.L

    def levels(self):
        """Every energy the model could take, in units of J: -2N .. 0."""
        return list(range(-self.bonds, 1))
