#!/usr/bin/python3
"""Bounded mixed load for the cluster test: CLIENTS threads send runs through the load balancer until STOP_FILE
exists or MAX_RUNS were sent, and write one JSON line per answer to OUT: the HTTP status, the executionId of a 200,
the error of a 503 and whether the load balancer or a service instance wrote it.

usage: load.py URL API_KEY CLIENTS MAX_RUNS STOP_FILE OUT"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

# a mix of languages, outcomes and lengths: some runs are always in flight when an instance or an agent goes away
RUNS = [
    {"language": "python", "code": "print(sum(range(1, 101)))"},
    {"language": "javascript", "code": "console.log(require('lodash').sum([1, 2, 3]))"},
    {"language": "python", "code": "import time; time.sleep(0.8); print('slept')"},
    {"language": "python", "code": "import sys; sys.exit(3)"},
    {"language": "javascript", "code": "setTimeout(() => console.log('late'), 500)"},
    {"language": "python", "code": "import numpy; print(numpy.arange(4).sum())"},
]


def main(url, key, clients, max_runs, stop_file, out):
    lock = threading.Lock()
    sent = [0]
    results = open(out, "w", encoding="utf-8")

    def next_index():
        with lock:
            if sent[0] >= max_runs or os.path.exists(stop_file):
                return None
            sent[0] += 1
            return sent[0]

    def client():
        while (i := next_index()) is not None:
            record = send(url, key, RUNS[i % len(RUNS)])
            with lock:
                results.write(json.dumps(record) + "\n")
                results.flush()
            if record["status"] != 200:
                # as a client should: wait before retrying (Retry-After is 1 or 5 s; a second keeps the load up)
                time.sleep(1)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.close()


def send(url, key, run):
    request = urllib.request.Request(
        url + "/v1/code-sandbox/execute", data=json.dumps(run).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.loads(response.read())
            return {"status": response.status, "executionId": body.get("executionId"), "language": run["language"]}
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
        try:
            error = json.loads(text).get("error")
        except ValueError:
            error = text[:200]
        return {"status": e.code, "error": error, "retryAfter": e.headers.get("Retry-After")}
    except OSError as e:
        return {"status": 0, "error": str(e)}


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
