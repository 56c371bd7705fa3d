#!/usr/bin/env bash
# The cluster test (make test-cluster): what a Kubernetes deployment does, on one machine. Two service instances
# share one PostgreSQL database and two agents (one on its Unix socket, one over the authenticated TCP transport),
# behind HAProxy. Both instances start at once on an empty database (schema migration and bootstrap key race). A
# bounded load of mixed runs goes through HAProxy while instance one is SIGKILLed and started again and the TCP
# agent is stopped and started again. Then: only 200 and 503 came back; every 200 has exactly one usage row and no
# other row exists (save a run billed by the killed instance just before it died, whose caller got a 503); both
# agents served runs; /metrics, scraped from instance two all along, shows its run counters moving and the
# agents-up gauge dropping to 1 and back to 2; a key revoked through instance one is refused by instance two
# within its key cache time. Asserts behaviour, not speed.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh
# shellcheck source=scripts/lib/checks.sh
source scripts/lib/checks.sh

work=$(mktemp -d /tmp/sandbox-cluster.XXXXXX)
chmod 755 "$work"
db="sandbox_cluster_$(openssl rand -hex 6)"
service_one='' service_two='' agent_a='' agent_b='' haproxy='' load=''

cleanup() {
  local status=$?
  [ -n "$load" ] && kill "$load" 2>/dev/null
  [ -n "$haproxy" ] && kill "$haproxy" 2>/dev/null
  for pid in "$service_one" "$service_two"; do [ -n "$pid" ] && stop_pid "$pid" 5; done
  for pid in "$agent_a" "$agent_b"; do [ -n "$pid" ] && stop_pid "$pid" 5; done
  pg_drop_database "$db" >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    for log in "$work"/*.log; do echo "--- $log"; tail -15 "$log"; done
    echo "(kept for inspection: $work)"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# --- PostgreSQL: one empty database
pg_ensure_running
password=$(openssl rand -hex 16)
pg_ensure_database "$db" "$password"
export SANDBOX_DB_URL SANDBOX_DB_USER=$db SANDBOX_DB_PASSWORD=$password
SANDBOX_DB_URL=$(pg_jdbc_url "$db")
psql_db() { PGPASSWORD=$password psql -X -tA -U "$db" "${SANDBOX_DB_URL#jdbc:}" "$@"; }

# --- two agents: A on its Unix socket, B over TCP with the shared secret (small pools: two agents share the machine)
export SANDBOX_POOL_PYTHON=2 SANDBOX_POOL_JAVASCRIPT=1
secret=$work/agent-secret
(umask 077 && openssl rand -hex 32 >"$secret")
tcp_port=$(free_port)
agent_a=$(agent_start "$work/a.sock" "$work/agent-a.log")
start_agent_b() {
  agent_start "$work/b.sock" "$work/agent-b.log" --listen "tcp://127.0.0.1:$tcp_port" --secret-file "$secret"
}
agent_b=$(start_agent_b)

# --- two service instances started together on the empty database
export SANDBOX_AGENTS="$work/a.sock,tcp://127.0.0.1:$tcp_port" SANDBOX_AGENT_SECRET_FILE=$secret
export SANDBOX_API_KEY_CACHE_SECONDS=3 SANDBOX_MAX_CONCURRENT_RUNS=3
export SANDBOX_BOOTSTRAP_API_KEY="uc-cluster$(openssl rand -hex 16)"
SANDBOX_JWT_PUBLIC_KEY=$(bash scripts/jwt-keys.sh)
export SANDBOX_JWT_PUBLIC_KEY
port_one=$(free_port)
port_two=$(free_port)
one="http://127.0.0.1:$port_one"
two="http://127.0.0.1:$port_two"
service_one=$(service_start "$port_one" "$work/service-one.log")
service_two=$(service_start "$port_two" "$work/service-two.log")
wait_ready "$one" "$service_one" "$work/service-one.log"
wait_ready "$two" "$service_two" "$work/service-two.log"
check "two instances started at once on an empty database both serve" true
check "... with one schema history and one bootstrap key" \
  test "$(psql_db -c "SELECT count(*) FROM flyway_schema_history WHERE success")/$(psql_db -c \
    "SELECT count(*) FROM api_key WHERE name = 'bootstrap'")" = "$(ls sql/V*.sql | wc -l)/1"

# --- HAProxy in front
lb_port=$(free_port)
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$lb_port#" -e "s#@PORT1@#$port_one#" -e "s#@PORT2@#$port_two#" \
  tests/cluster/haproxy.cfg.in >"$work/haproxy.cfg"
cp tests/cluster/lost.http "$work/lost.http"
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
haproxy=$!
lb="http://127.0.0.1:$lb_port"
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$lb/health/ready" 2>/dev/null && break; sleep 0.2; done

# --- metrics of instance two, scraped every second for the whole load
scrape() { curl -fsS "$two/metrics" >"$work/metrics.$(date +%s%N)" 2>/dev/null || true; }
agents_up() { # the latest agents-up value instance two reports
  curl -fsS "$two/metrics" 2>/dev/null >"$work/metrics.now" && /usr/bin/python3 tests/cluster/check.py metric-sum \
    "$work/metrics.now" sandbox_agents_up
}
wait_agents_up() { # N: until instance two sees N agents up (at most 60 s)
  for _ in $(seq 1 120); do [ "$(agents_up)" = "$1" ] && return 0; sleep 0.5; done
  return 1
}
scrape

# --- the load, and the faults while it runs
/usr/bin/python3 tests/cluster/load.py "$lb" "$SANDBOX_BOOTSTRAP_API_KEY" 8 4000 "$work/stop" "$work/results.jsonl" &
load=$!
(while kill -0 "$load" 2>/dev/null; do scrape; sleep 1; done) &
scraper=$!
sleep 8

kill -KILL -- "-$service_one"
sleep 3
service_one=$(service_start "$port_one" "$work/service-one.log")
wait_ready "$one" "$service_one" "$work/service-one.log"
check "instance one, SIGKILLed mid-load, serves again" true

ping_runs() { # SOCKET: the runs an agent served since it started (warm hits + cold misses, every language)
  kata-agent/build/kata-agent call --socket "$1" --ping | /usr/bin/python3 -c \
    'import json,sys; print(sum(p["hits"] + p["misses"] for p in json.load(sys.stdin)["pools"].values()))'
}
b_before=$(ping_runs "$work/b.sock")
stop_pid "$agent_b" 20
agent_b=''
check "instance two sees the TCP agent go down" wait_agents_up 1
sleep 4
agent_b=$(start_agent_b)
check "... and come back" wait_agents_up 2
sleep 6
touch "$work/stop"
wait "$load"
load=''
wait "$scraper" || true
scrape

# --- what the load saw
psql_db -c "SELECT id FROM usage_record" >"$work/usage.txt"
check "only 200 and 503 answers; one usage row per 200 and none for a 503" \
  /usr/bin/python3 tests/cluster/check.py results "$work/results.jsonl" "$work/usage.txt"
a_runs=$(ping_runs "$work/a.sock")
b_after=$(ping_runs "$work/b.sock")
echo "runs served: agent A $a_runs, agent B $b_before before its restart and $b_after after"
check "the Unix-socket agent served runs" test "$a_runs" -gt 0
check "the TCP agent served runs" test "$((b_before + b_after))" -gt 0

# --- metrics: counters moved, agents-up dropped and recovered
metric() { /usr/bin/python3 tests/cluster/check.py metric-sum "$1" "$2"; }
scrapes=("$work"/metrics.[0-9]*)
first=${scrapes[0]}
last=${scrapes[-1]}
check "sandbox_runs_total moved during the load" \
  test "$(metric "$last" sandbox_runs_total)" -gt "$(metric "$first" sandbox_runs_total)"
check "sandbox_run_duration counted runs" test "$(metric "$last" sandbox_run_duration_count)" -gt 0
ups=$(for f in "${scrapes[@]}"; do metric "$f" sandbox_agents_up; done | tr '\n' ' ')
echo "agents up, scrape by scrape: $ups"
check "sandbox_agents_up went 2 -> 1 -> 2" grep -Eq '(^| )2 .*1 .*2 *$' <<<"$ups"

# --- revocation through one instance reaches the other within the key cache time
token=$(bash scripts/admin-token.sh 2>/dev/null | tail -1)
created=$(curl -fsS -X POST "$one/v1/admin/api-keys" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"revoked in the cluster test"}')
key=$(jq -r .key <<<"$created")
key_id=$(jq -r .id <<<"$created")
usage_status() { curl -s -o /dev/null -w '%{http_code}' "$1/v1/usage" -H "Authorization: Bearer $key"; }
check "a new key works on instance two (which now remembers it)" test "$(usage_status "$two")" = 200
curl -fsS -o /dev/null -X DELETE "$one/v1/admin/api-keys/$key_id" -H "Authorization: Bearer $token"
revoked_at=$(date +%s)
check "instance one refuses it at once" test "$(usage_status "$one")" = 401
refused=false
# the cache time, plus generous slack for a loaded machine
while [ $(($(date +%s) - revoked_at)) -le $((SANDBOX_API_KEY_CACHE_SECONDS + 10)) ]; do
  [ "$(usage_status "$two")" = 401 ] && { refused=true; break; }
  sleep 0.5
done
echo "instance two refused the revoked key $(($(date +%s) - revoked_at)) s after the revocation"
check "instance two refuses it within its key cache time" $refused

checks_done cluster
