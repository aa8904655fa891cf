"""binfleet from Python.

For a simulation of yours that binfleet runs (``"simulation": {"name": "python", "function": "MODULE:FUNCTION"}``):
``rng()`` gives a ``numpy.random.Generator`` seeded from the piece's recorded seed, and ``progress(f)`` reports how far
the piece is. ``params_to_system`` and ``system_to_params`` are the classic conversions between a system object of your
``systems`` module and its ``{"ClassName": {state}}`` form.

For notebooks and scripts: ``run(spec_or_path, workers=...)`` runs a job with the ``binfleet`` command and returns its
merged result, ``result(path)`` reads a result already written.
"""
import json
import os
import subprocess
import tempfile

__all__ = ["rng", "progress", "checkpoint", "seed", "params_to_system", "system_to_params", "run", "result", "Result"]

_MASK64 = (1 << 64) - 1
# set by the runner around each piece
_piece = {"seed": None, "progress": None, "checkpoint": None}


def seed():
    """The running piece's seed as an unsigned 64-bit integer (the one result.json records, modulo 2**64)."""
    if _piece["seed"] is None:
        raise RuntimeError("binfleet.seed() and binfleet.rng() work only inside a piece that binfleet runs")
    return _piece["seed"] & _MASK64


def rng():
    """A fresh numpy.random.Generator seeded from the running piece's seed: the same seed gives the same numbers."""
    import numpy as np
    return np.random.default_rng(seed())


def progress(fraction):
    """Reports the fraction of the piece done, in [0, 1] (shown in `binfleet status` and the progress bar)."""
    report = _piece["progress"]
    if report is not None:
        report(min(1.0, max(0.0, float(fraction))))


def checkpoint(state):
    """Offers the piece's state (anything JSON-like: dicts, lists, numbers, strings, numpy arrays) to be saved.

    Call it at natural points, as often as you like: binfleet keeps one every ``checkpointSeconds`` (default 60). If
    the piece's worker dies, the piece resumes on another worker: your function is called again with
    ``checkpoint=`` the last state saved (give it a ``checkpoint=None`` parameter to use it)."""
    save = _piece["checkpoint"]
    if save is not None:
        save(state)


def params_to_system(systems, params):
    """The classic conversion: ``{"ClassName": {state}}`` to ``systems.ClassName(**state)``."""
    if not isinstance(params, dict) or len(params) != 1:
        raise ValueError("a system must be {\"ClassName\": {state}}, got %r" % (params,))
    ((cls, state),) = params.items()
    if not hasattr(systems, cls):
        raise ValueError("module %s has no system class %r" % (systems.__name__, cls))
    return getattr(systems, cls)(**state)


def system_to_params(system):
    """The classic conversion back: a system object to ``{"ClassName": {name: value}}`` from its
    ``state_names()`` and ``state()``; a dict is taken as already converted."""
    if isinstance(system, dict):
        return system
    names, values = list(system.state_names()), list(system.state())
    if len(names) != len(values):
        raise ValueError("%s.state_names() and state() differ in length" % type(system).__name__)
    return {type(system).__name__: {n: _plain(v) for n, v in zip(names, values)}}


def _plain(value):
    """numpy scalars and arrays as plain Python values, for JSON."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Result:
    """A merged result: ``x``, ``y`` and each series as numpy arrays (lists without numpy), plus the whole document."""

    def __init__(self, document):
        self.document = document
        self.job_id = document.get("jobId")
        self.status = document.get("status")
        try:
            import numpy as np
            conv = lambda v: np.array([np.nan if e is None else e for e in v], dtype=float)  # noqa: E731
        except ImportError:  # pragma: no cover - numpy is optional
            conv = list
        self.x = conv(document.get("x", []))
        self.y = conv(document.get("y", []))
        self.series = {k: conv(v) for k, v in document.get("series", {}).items()}

    def __repr__(self):
        return "Result(%s, %s, %d points)" % (self.job_id, self.status, len(self.x))


def result(path):
    """Reads a result written by `binfleet run` or `binfleet result`: a result.json file or the folder holding it."""
    if os.path.isdir(path):
        path = os.path.join(path, "result.json")
    with open(path) as f:
        return Result(json.load(f))


def run(spec_or_path, workers=None, out=None, binfleet=None):
    """Runs a job with the ``binfleet run`` command (a spec dict, or the path of a job file) and returns its Result.

    The command is ``binfleet`` on the PATH, or ``binfleet=``, or the environment's BINFLEET. A failing job raises
    RuntimeError with the command's message.
    """
    command = binfleet or os.environ.get("BINFLEET", "binfleet")
    with tempfile.TemporaryDirectory(prefix="binfleet-") as tmp:
        if isinstance(spec_or_path, dict):
            job = os.path.join(tmp, (spec_or_path.get("name") or "job") + ".json")
            with open(job, "w") as f:
                json.dump(spec_or_path, f)
        else:
            job = str(spec_or_path)
        folder = out or os.path.join(tmp, "out")
        argv = [command, "run", job, "--out", folder, "--no-progress"]
        if workers is not None:
            argv += ["--workers", str(int(workers))]
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError("binfleet run failed (%d): %s" % (done.returncode, done.stderr.strip()[-2000:]))
        return result(folder)
