#!/usr/bin/python3
"""The service over HTTP with its agent in a guest VM (scripts/test-vm.sh sources scripts/test-env.sh with the
guest's agent URL): the guest cases that need only the API's fields (kata-agent/tests/agent_test/guest_both.py),
the API docs' examples, and a run that sits out the whole wall limit, which the service must wait for
(SANDBOX_WALL_LIMIT_MS, raised for the emulated guest). Needs SANDBOX_TEST_URL and SANDBOX_TEST_API_KEY."""
import json
import os
import sys
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # run as root from the source tree: leave no root-owned __pycache__ behind
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kata-agent", "tests"))

from agent_test import guest_both  # noqa: E402
from agent_test.harness import case, expect, expect_status, main, slow  # noqa: E402

COST_USD = 0.002  # the API docs' price of one run
DOCS_JSON_CODE = ('import json\nimport math\n\ndata = {\n    "name": "BuildE2E",\n    "version": 1,\n'
                  '    "sqrt": math.sqrt(16)\n}\nprint(json.dumps(data, indent=2))')


def execute(language, code):
    """POST /v1/code-sandbox/execute; the response body, whatever the HTTP status."""
    body = json.dumps({"code": code, "language": language}).encode()
    request = urllib.request.Request(
        os.environ["SANDBOX_TEST_URL"] + "/v1/code-sandbox/execute", data=body, method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["SANDBOX_TEST_API_KEY"]})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        return {"httpStatus": e.code, **json.load(e)}


guest_both.register_both(execute, "http")


@case
def http_docs_examples():
    examples = [
        ("python", "print(sum(range(1, 101)))", "5050\n"),
        ("python", DOCS_JSON_CODE, '{\n  "name": "BuildE2E",\n  "version": 1,\n  "sqrt": 4.0\n}\n'),
        ("javascript", "const data = [3,1,4,1,5,9]; console.log(JSON.stringify(data.sort((a,b) => a-b)));",
         "[1,1,3,4,5,9]\n"),
        ("python", "import numpy as np; print(np.array([1, 2, 3]))", "[1 2 3]\n"),
        ("javascript", 'const _ = require("lodash"); console.log(_.chunk([1,2,3,4], 2));', "[ [ 1, 2 ], [ 3, 4 ] ]\n"),
    ]
    for language, code, stdout in examples:
        r = execute(language, code)
        expect_status(r, "completed", 0)
        expect(r["stdout"] == stdout and r["stderr"] == "" and r["timedOut"] is False, "the docs' output", r)
        expect(r["cost"] == COST_USD and r["memoryUsageMb"] > 0, "cost and memory", r)


@case
@slow
def http_timed_out_at_the_wall_limit():
    r = execute("python", "while True: pass")
    expect_status(r, "timed_out", 124)
    wall_ms = int(os.environ.get("SANDBOX_WALL_LIMIT_MS", "10000"))
    expect(r["timedOut"] is True and r["executionTimeMs"] >= wall_ms, "the service waited out the wall limit", r)


if __name__ == "__main__":
    sys.exit(main(local_agent=False, workers=4))
