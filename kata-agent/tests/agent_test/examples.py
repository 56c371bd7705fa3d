"""The API docs' examples, run through the CLI: their output exactly as the docs show it, and the libraries they name."""

from .harness import case, code, expect, expect_status, run_cli


@case
def docs_numpy_array():
    rc, r = run_cli("python", "import numpy as np; print(np.array([1, 2, 3]))")
    expect_status(r, "completed", 0)
    expect(rc == 0 and r["stdout"] == "[1 2 3]\n", "numpy output differs from the API docs", r)


@case
def docs_lodash_chunk():
    rc, r = run_cli("javascript", 'const _ = require("lodash"); console.log(_.chunk([1,2,3,4], 2));')
    expect_status(r, "completed", 0)
    expect(r["stdout"] == "[ [ 1, 2 ], [ 3, 4 ] ]\n", "lodash output differs from the API docs", r)


@case
def docs_json_example():
    src = ('import json\nimport math\n\ndata = {\n    "name": "BuildE2E",\n    "version": 1,\n'
           '    "sqrt": math.sqrt(16)\n}\nprint(json.dumps(data, indent=2))')
    _, r = run_cli("python", src)
    expect_status(r, "completed", 0)
    expect(r["stdout"] == '{\n  "name": "BuildE2E",\n  "version": 1,\n  "sqrt": 4.0\n}\n', "JSON output differs", r)


@case
def docs_js_sort_and_sum():
    _, r = run_cli("javascript", "const data = [3,1,4,1,5,9]; console.log(JSON.stringify(data.sort((a,b) => a-b)));")
    expect(r["stdout"] == "[1,1,3,4,5,9]\n", "JS sort output differs", r)
    _, r = run_cli("python", "print(sum(range(1, 101)))")
    expect(r["stdout"] == "5050\n", "sum output differs", r)


@case
def docs_zero_division_traceback():
    _, r = run_cli("python", "1/0")
    expect_status(r, "failed", 1)
    documented = 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nZeroDivisionError: division by zero'
    expect(r["stderr"] == documented + "\n", "traceback differs from the API docs", r)
    expect(r["signal"] is None and r["timedOut"] is False, "failed run must carry no signal", r)


@case
def code_starting_with_a_dash_is_still_code():
    _, r = run_cli("javascript", '-1; console.log("js ok")')
    expect(r["stdout"] == "js ok\n", "node must not read the code as an option", r)
    _, r = run_cli("python", '-1; print("py ok")')
    expect(r["stdout"] == "py ok\n", "python must not read the code as an option", r)


@case
def libraries_resolve():
    _, r = run_cli("python", code("""
        import pandas, sympy, dateutil, PIL, numpy
        print(pandas.DataFrame({'a': [1, 2]}).a.sum(), sympy.Integer(2) ** 10)
    """))
    expect(r["stdout"] == "3 1024\n", "python libraries", r)
    _, r = run_cli("javascript", code("""
        const dayjs = require('dayjs'); const math = require('mathjs');
        console.log(dayjs('2024-01-02').format('YYYY/MM/DD'), math.sqrt(16));
    """))
    expect(r["stdout"] == "2024/01/02 4\n", "javascript libraries", r)

