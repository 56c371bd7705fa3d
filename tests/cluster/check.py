#!/usr/bin/python3
"""Checks of the cluster test over what it collected (see scripts/test-cluster.sh).

usage: check.py results RESULTS USAGE_IDS    answers are only 200 and 503; every 200 billed once, no other row
       check.py metric-sum FILE NAME         the sum of a metric's samples in a Prometheus text scrape
Prints 'N passed, N failed' style lines through the caller; exits non-zero on a failed check."""
import collections
import json
import re
import sys


def results(results_file, usage_file):
    answers = [json.loads(line) for line in open(results_file, encoding="utf-8") if line.strip()]
    statuses = collections.Counter(a["status"] for a in answers)
    print(f"load: {len(answers)} answers, by status {dict(statuses)}")
    ids = [a["executionId"] for a in answers if a["status"] == 200]
    usage = [line.strip() for line in open(usage_file, encoding="utf-8") if line.strip()]
    lost = sum(1 for a in answers if a["status"] == 503 and "stopped" in str(a.get("error")))
    failures = []
    if set(statuses) - {200, 503}:
        failures.append(f"answers other than 200 and 503: {[a for a in answers if a['status'] not in (200, 503)][:5]}")
    if not ids or statuses[503] == 0:
        failures.append("the load must see both 200s and 503s")
    if len(set(ids)) != len(ids):
        failures.append("two 200s share an executionId")
    counted = collections.Counter(usage)
    unbilled = [i for i in ids if counted[i] != 1]
    if unbilled:
        failures.append(f"200s without exactly one usage row: {unbilled[:5]}")
    extra = len(usage) - len(ids)
    # a run billed by an instance that was killed before it could answer is a usage row whose caller got the load
    # balancer's 503: the only way a row may lack its 200, and never more often than such 503s came back
    print(f"usage rows: {len(usage)}, 200s: {len(ids)}, 503s of a killed instance: {lost}")
    if extra < 0 or extra > lost:
        failures.append(f"{len(usage)} usage rows for {len(ids)} 200s")
    for failure in failures:
        print("FAILED:", failure)
    return not failures


def metric_sum(scrape_file, name):
    total = 0.0
    pattern = re.compile(r"^" + re.escape(name) + r"(\{[^}]*\})?\s+(\S+)")
    for line in open(scrape_file, encoding="utf-8"):
        m = pattern.match(line)
        if m:
            total += float(m.group(2))
    print(int(total) if total.is_integer() else total)
    return True


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    ok = {"results": results, "metric-sum": metric_sum}[command](*args)
    sys.exit(0 if ok else 1)
