"""Tests of binfleet's Python side: the conversions, the runner's result checks, and the runner as a real process
speaking the line protocol. Run with ``python3 -m unittest discover -s python/tests``."""
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
sys.path.insert(0, PACKAGE)

import binfleet  # noqa: E402
from binfleet import runner  # noqa: E402

try:
    import numpy as np
except ImportError:  # pragma: no cover
    np = None


class Potts:
    def __init__(self, L, q=3):
        self.L, self.q = L, q

    def state_names(self):
        return ["L", "q"]

    def state(self):
        return [self.L, self.q]


class ConversionTest(unittest.TestCase):
    def test_system_round_trip_is_the_classic_one(self):
        module = type(sys)("systems")
        module.Potts = Potts
        system = binfleet.params_to_system(module, {"Potts": {"L": 8, "q": 4}})
        self.assertEqual((system.L, system.q), (8, 4))
        self.assertEqual(binfleet.system_to_params(system), {"Potts": {"L": 8, "q": 4}})
        self.assertEqual(binfleet.system_to_params({"Potts": {"L": 2}}), {"Potts": {"L": 2}})

    def test_an_unknown_class_is_a_clear_error(self):
        module = type(sys)("systems")
        with self.assertRaisesRegex(ValueError, "module systems has no system class 'Ising'"):
            binfleet.params_to_system(module, {"Ising": {}})
        with self.assertRaisesRegex(ValueError, "must be"):
            binfleet.params_to_system(module, {"A": {}, "B": {}})

    @unittest.skipIf(np is None, "numpy is not installed")
    def test_numpy_state_becomes_plain_json(self):
        class S:
            def state_names(self):
                return ["a", "b"]

            def state(self):
                return [np.int64(3), np.arange(2.0)]
        self.assertEqual(json.dumps(binfleet.system_to_params(S())), '{"S": {"a": 3, "b": [0.0, 1.0]}}')

    def test_rng_outside_a_piece_says_so(self):
        with self.assertRaisesRegex(RuntimeError, "only inside a piece"):
            binfleet.seed()


class OutputTest(unittest.TestCase):
    def test_tuple_and_dict_forms(self):
        self.assertEqual(runner.output(([0, 1], [2, 3])), {"x": [0.0, 1.0], "y": [2.0, 3.0]})
        self.assertEqual(runner.output(([0], [2], [1])), {"x": [0.0], "y": [2.0], "w": [1.0]})
        self.assertEqual(runner.output({"x": [0], "y": [1], "series": {"e": [0.5]}}),
                         {"x": [0.0], "y": [1.0], "series": {"e": [0.5]}})

    @unittest.skipIf(np is None, "numpy is not installed")
    def test_numpy_arrays(self):
        out = runner.output((np.arange(3), np.ones(3, dtype=np.float32)))
        self.assertEqual(out, {"x": [0.0, 1.0, 2.0], "y": [1.0, 1.0, 1.0]})

    def test_nan_and_inf_in_y_and_series_are_gaps(self):
        out = runner.output({"x": [0, 1, 2], "y": [float("nan"), 1, float("-inf")],
                             "series": {"e": [float("inf"), None, 0.5]}})
        self.assertEqual(out, {"x": [0.0, 1.0, 2.0], "y": [None, 1.0, None], "series": {"e": [None, None, 0.5]}})

    def test_meta_keeps_any_json_and_numpy_matrices(self):
        meta = {"steps": 12, "name": "a", "ok": True, "nan": float("nan"), 3: (1, 2)}
        if np is not None:
            meta["matrix"] = np.eye(2)
            meta["scalar"] = np.float64(0.5)
        out = runner.output({"x": [0], "y": [1], "meta": meta})
        want = {"steps": 12, "name": "a", "ok": True, "nan": None, "3": [1, 2]}
        if np is not None:
            want.update(matrix=[[1.0, 0.0], [0.0, 1.0]], scalar=0.5)
        self.assertEqual(out["meta"], want)

    def test_what_is_not_a_result_is_refused_with_the_reason(self):
        cases = [
            (5, "returns \\(x, y\\)"),
            ({"x": [0]}, "needs x and y"),
            ({"x": [0], "y": [1], "steps": 3}, "unknown key"),
            (([[0, 1]], [[1]]), "x must be 1-D"),
            (([0], ["a"]), "y\\[0\\] must be a number"),
            (([float("nan")], [1]), "x\\[0\\] is nan"),
            (([0], [1], [float("inf")]), "w\\[0\\] is inf"),
            ({"x": [0], "y": [1], "meta": {"f": object()}}, "meta holds a object"),
        ]
        for value, message in cases:
            with self.subTest(value=value):
                with self.assertRaisesRegex(runner.OutputError, message):
                    runner.output(value)


@unittest.skipIf(np is None, "numpy is not installed")
class SeedTest(unittest.TestCase):
    def test_the_same_seed_gives_the_same_numbers_and_all_64_bits_count(self):
        runner.seed_globals(2 ** 40 + 1)
        a = np.random.random(3)
        runner.seed_globals(2 ** 40 + 1)
        b = np.random.random(3)
        runner.seed_globals(1)  # equal in the low 32 bits
        c = np.random.random(3)
        self.assertTrue((a == b).all())
        self.assertFalse((a == c).all())

    def test_negative_seeds_as_java_longs(self):
        runner.seed_globals(-5)
        a = np.random.random()
        runner.seed_globals((1 << 64) - 5)
        self.assertEqual(a, np.random.random())


class RunnerProcessTest(unittest.TestCase):
    """The runner as a worker starts it: one task line in, one result line out, prints kept off stdout."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        with open(os.path.join(self.dir.name, "model.py"), "w") as f:
            f.write(textwrap.dedent("""
                import binfleet, random
                def f(system, replica, k=1):
                    print("noise on stdout")
                    binfleet.progress(0.5)
                    return [replica], [system["T"]["a"] * k + random.random() * 0]
                def g(system, *args):
                    return list(args), [0] * len(args)
                def boom(system, **kw):
                    raise KeyError("missing")
                def resumable(system, steps=4, checkpoint=None):
                    i = checkpoint["i"] if checkpoint else 0
                    while i < steps:
                        i += 1
                        binfleet.checkpoint({"i": i, "arr": __import__("numpy").arange(2)})
                    return [0], [i + (100 if checkpoint else 0)]
            """))
        env = dict(os.environ, PYTHONPATH=PACKAGE + os.pathsep + self.dir.name)
        self.proc = subprocess.Popen([sys.executable, "-m", "binfleet.runner"], cwd=self.dir.name, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def tearDown(self):
        self.proc.kill()
        self.proc.wait()
        for s in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            s.close()
        self.dir.cleanup()

    def ask(self, function, args, checkpoint=None, **kwargs):
        task = {"jobId": "j", "piece": 0, "pieces": 1, "system": {"T": {"a": 2}}, "args": args, "seed": 7,
                "attempt": 1, "simulation": dict({"name": "python", "function": "model:" + function}, **kwargs)}
        if checkpoint is not None:
            task["checkpoint"] = checkpoint
        self.proc.stdin.write(json.dumps(task) + "\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = json.loads(self.proc.stdout.readline())
            lines.append(line)
            if "progress" not in line and "checkpoint" not in line:
                return lines

    @unittest.skipIf(np is None, "numpy")
    def test_checkpoints_are_offered_as_lines_and_a_resumed_function_gets_checkpoint(self):
        lines = self.ask("resumable", {})
        self.assertEqual(lines[:2], [{"checkpoint": {"i": 1, "arr": [0, 1]}}, {"checkpoint": {"i": 2, "arr": [0, 1]}}])
        self.assertEqual(lines[-1], {"x": [0.0], "y": [4.0]})
        # resumed at i = 3 (binfleet's own fields, checkpointSeconds included, are not passed as keyword arguments)
        self.assertEqual(self.ask("resumable", {}, {"i": 3}, checkpointSeconds=5, silenceSeconds=60)[-1], {"x": [0.0], "y": [104.0]})
        # a function without a checkpoint parameter starts from zero
        self.assertEqual(self.ask("f", {"replica": 1}, {"i": 3}), [{"progress": 0.5}, {"x": [1.0], "y": [2.0]}])

    def test_progress_then_the_result_and_the_process_serves_the_next_task(self):
        self.assertEqual(self.ask("f", {"replica": 3}, k=5), [{"progress": 0.5}, {"x": [3.0], "y": [10.0]}])
        self.assertEqual(self.ask("g", {"args": [1, 2]}), [{"x": [1.0, 2.0], "y": [0.0, 0.0]}])

    def test_an_exception_is_an_error_line_with_the_traceback_and_a_missing_function_is_final(self):
        (error,) = self.ask("boom", {})
        self.assertIn("KeyError: 'missing'", error["error"])
        self.assertNotIn("retry", error)
        (missing,) = self.ask("nope", {})
        self.assertIs(missing["retry"], False)
        self.assertEqual(self.ask("f", {"replica": 1}), [{"progress": 0.5}, {"x": [1.0], "y": [2.0]}])


class ClientTest(unittest.TestCase):
    """binfleet.run() drives the binfleet command; a stand-in command shows what it is given and what it returns."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.command = os.path.join(self.dir.name, "binfleet")
        with open(self.command, "w") as f:
            f.write(textwrap.dedent("""\
                #!%s
                import json, os, sys
                args = sys.argv[1:]
                out = args[args.index("--out") + 1]
                job = json.load(open(args[1]))
                if job.get("fail"):
                    print("job-1 FAILED: piece 0 failed", file=sys.stderr)
                    sys.exit(2)
                os.makedirs(out, exist_ok=True)
                json.dump({"jobId": "job-1", "status": "DONE", "x": [0, 1], "y": [2, None],
                           "series": {"e": [0.1, 0.2]}, "argv": args}, open(os.path.join(out, "result.json"), "w"))
            """ % sys.executable))
        os.chmod(self.command, 0o755)

    def tearDown(self):
        self.dir.cleanup()

    def test_run_a_spec_dict_and_read_its_result(self):
        r = binfleet.run({"name": "demo", "system": {}}, workers=3, binfleet=self.command)
        self.assertEqual(r.job_id, "job-1")
        self.assertEqual(r.status, "DONE")
        self.assertEqual(list(r.x), [0.0, 1.0])
        self.assertEqual(r.y[0], 2.0)
        self.assertTrue(r.y[1] != r.y[1])  # a gap is NaN
        self.assertEqual(list(r.series["e"]), [0.1, 0.2])
        argv = r.document["argv"]
        self.assertEqual(argv[0], "run")
        self.assertTrue(argv[1].endswith("demo.json"))
        self.assertEqual(argv[argv.index("--workers") + 1], "3")

    def test_a_failing_job_raises_with_the_commands_message(self):
        with self.assertRaisesRegex(RuntimeError, "job-1 FAILED: piece 0 failed"):
            binfleet.run({"fail": True}, binfleet=self.command)

    def test_result_reads_a_folder_or_a_file(self):
        out = os.path.join(self.dir.name, "out")
        binfleet.run({"name": "x"}, out=out, binfleet=self.command)
        self.assertEqual(binfleet.result(out).job_id, "job-1")
        self.assertEqual(binfleet.result(os.path.join(out, "result.json")).status, "DONE")


if __name__ == "__main__":
    unittest.main()
