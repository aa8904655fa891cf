"""The Python side of binfleet's line protocol: ``python3 -m binfleet.runner``.

The worker keeps one runner per worker thread. Each task arrives as one JSON line on stdin; the runner builds the
piece's system with the classic ``params_to_system`` over the simulation's ``systems`` module, seeds numpy's and
Python's global generators from the piece's seed, calls ``FUNCTION(system, *args, **kwargs)`` and answers with
``{"progress": f}`` lines (from ``binfleet.progress``) and one result line ``{"x", "y", "w"?, "series"?, "meta"?}``
(NaN and +-inf in y and the series sent as null: gaps), or
``{"error": "..."}`` with the traceback's tail. Whatever the user's code prints goes to stderr, never into the protocol.
The runner exits when stdin closes.
"""
import importlib
import inspect
import json
import math
import os
import random
import sys
import traceback

import binfleet

# simulation fields that are binfleet's own, not the function's keyword arguments
OWN = {"name", "seed", "retries", "checkpointSeconds", "function", "systems", "python", "timeoutSeconds",
       "silenceSeconds"}
TRACEBACK_TAIL = 3000


class OutputError(ValueError):
    """The function returned something that is not a piece result."""


def load(ref, what):
    """``MODULE:FUNCTION`` to the function (modules resolve against the job's folder, the working directory)."""
    module, _, name = ref.partition(":")
    mod = importlib.import_module(module)
    if not hasattr(mod, name):
        raise AttributeError("module %s has no %s %r" % (module, what, name))
    return getattr(mod, name)


def seed_globals(seed):
    """numpy's and Python's global generators from the piece's seed (all 64 bits)."""
    u = seed & ((1 << 64) - 1)
    random.seed(u)
    try:
        import numpy as np
    except ImportError:
        return
    np.random.seed([u & 0xFFFFFFFF, u >> 32])


def floats(value, field, gaps=True):
    """A 1-D sequence of numbers (lists, tuples, numpy arrays) as a list of floats; with ``gaps``, NaN, +-inf and
    None become None (a gap: no value at that point), counted in ``counter``."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise OutputError("%s must be a 1-D sequence of numbers, got %s" % (field, type(value).__name__))
    out = []
    for i, v in enumerate(value):
        if isinstance(v, (list, tuple)):
            raise OutputError("%s must be 1-D, but %s[%d] is a sequence (a matrix goes into meta)" % (field, field, i))
        if v is None and gaps:
            out.append(None)
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise OutputError("%s[%d] must be a number, got %r" % (field, i, v))
        if not math.isfinite(f):
            if not gaps:
                raise OutputError("%s[%d] is %r: %s holds finite numbers only" % (field, i, f, field))
            out.append(None)
            continue
        out.append(f)
    return out


def jsonable(value, field="meta"):
    """Any value of plain Python and numpy types as JSON: arrays as (nested) lists, NaN and +-inf as None."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v, field) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v, field) for k, v in value.items()}
    raise OutputError("%s holds a %s, which JSON cannot carry" % (field, type(value).__name__))


def output(value):
    """The function's return value, ``(x, y)``, ``(x, y, w)`` or a dict, as a result line's object."""
    if isinstance(value, dict):
        unknown = set(value) - {"x", "y", "w", "series", "meta"}
        if unknown:
            raise OutputError("unknown key(s) %s in the returned dict (known: x, y, w, series, meta; anything else "
                              "can go into meta)" % sorted(unknown))
        if "x" not in value or "y" not in value:
            raise OutputError("the returned dict needs x and y")
        x, y, w, series = value["x"], value["y"], value.get("w"), value.get("series")
        meta = value.get("meta")
    elif isinstance(value, (tuple, list)) and len(value) in (2, 3):
        x, y, w = value[0], value[1], value[2] if len(value) == 3 else None
        series = meta = None
    else:
        raise OutputError("a simulation returns (x, y), (x, y, w) or a dict with x and y, got %s"
                          % type(value).__name__)
    result = {"x": floats(x, "x", gaps=False), "y": floats(y, "y")}
    if w is not None:
        result["w"] = floats(w, "w", gaps=False)
    if series:
        result["series"] = {str(k): floats(v, "series." + str(k)) for k, v in series.items()}
    if meta is not None:
        result["meta"] = jsonable(meta)
    return result


def takes_checkpoint(function):
    """Whether the function can be handed ``checkpoint=`` (it names it, or takes ``**kwargs``)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "checkpoint" or p.kind == p.VAR_KEYWORD for p in parameters)


def call(task):
    """Runs one piece: the task's system, args and keyword arguments into the user's function."""
    sim = task["simulation"]
    function = load(sim["function"], "function")
    if sim.get("systems"):
        system = binfleet.params_to_system(importlib.import_module(sim["systems"]), task["system"])
    else:
        system = task["system"]
    args = task.get("args") or {}
    positional = args.get("args") if isinstance(args.get("args"), list) and len(args) == 1 else None
    kwargs = {k: v for k, v in sim.items() if k not in OWN}
    seed = task.get("seed")
    if seed is None:
        raise ValueError("the task carries no seed")
    seed_globals(seed)
    binfleet._piece["seed"] = seed
    if task.get("checkpoint") is not None and takes_checkpoint(function):
        # resuming: the state the function last gave binfleet.checkpoint()
        kwargs["checkpoint"] = task["checkpoint"]
    try:
        if positional is not None:
            return function(system, *positional, **kwargs)
        return function(system, **args, **kwargs)
    finally:
        binfleet._piece["seed"] = None


def main():
    protocol = sys.stdout
    sys.stdout = sys.stderr  # print() in the user's code goes to stderr, kept for failure messages

    def send(message):
        protocol.write(json.dumps(message, allow_nan=False) + "\n")
        protocol.flush()

    binfleet._piece["progress"] = lambda f: send({"progress": f})
    binfleet._piece["checkpoint"] = lambda state: send({"checkpoint": jsonable(state, "checkpoint")})
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            send(output(call(json.loads(line))))
        except OutputError as e:
            # a result that is not one would be the same on a retry
            send({"error": "OutputError: %s" % e, "retry": False})
        except (ImportError, AttributeError):
            # a missing module or function is missing on a retry too
            send({"error": traceback.format_exc()[-TRACEBACK_TAIL:].strip(), "retry": False})
        except Exception:  # a failed attempt, retried; SystemExit ends the runner, as the user's code asked
            text = traceback.format_exc()
            send({"error": text[-TRACEBACK_TAIL:].strip()})


if __name__ == "__main__":
    main()
