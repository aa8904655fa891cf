"""The Python side of a ``python`` split: ``python3 -m binfleet.split``, run once at submit time.

Reads ``{"function": "MODULE:FUNCTION", "systems": "MODULE"?, "system": {...}, "kwargs": {...}, "maxPieces": N}`` on
stdin, calls the classic ``FUNCTION(system, **kwargs)`` and prints the pieces it returns as
``[{"system": {"Type": {state}}, "args": [...]}, ...]``. Whatever the user's code prints goes to stderr. A failure
exits non-zero with the reason (and the traceback) on stderr.
"""
import importlib
import json
import sys
import traceback

import binfleet
from binfleet import runner


def pieces(request):
    """The user's split function's pieces, as JSON-ready dicts."""
    function = runner.load(request["function"], "function")
    systems = importlib.import_module(request["systems"]) if request.get("systems") else None
    system = binfleet.params_to_system(systems, request["system"]) if systems else request["system"]
    items = function(system, **request.get("kwargs", {}))
    if items is None:
        raise ValueError("%s returned None, not a list of (system, *args)" % request["function"])
    items = list(items)
    limit = request.get("maxPieces")
    if limit is not None and len(items) > limit:
        raise ValueError("%s returned %d pieces, more than the limit of %d" % (request["function"], len(items), limit))
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, (tuple, list)) or len(item) < 1:
            raise ValueError("piece %d is %r, not a tuple (system, *args)" % (i, item))
        params = binfleet.system_to_params(item[0])
        out.append({"system": binfleet._plain(params), "args": [binfleet._plain(a) for a in item[1:]]})
    return out


def main():
    protocol = sys.stdout
    sys.stdout = sys.stderr  # print() in the user's code goes to stderr
    try:
        result = pieces(json.load(sys.stdin))
        text = json.dumps(result, allow_nan=False)
    except Exception:
        traceback.print_exc()
        sys.exit(1)
    protocol.write(text)
    protocol.flush()


if __name__ == "__main__":
    main()
