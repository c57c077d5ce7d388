#!/usr/bin/env bash
# bench/shipstock.sh: shipStock throughput of the real service against the
# raw SQL it wraps, in one run on one database. See docs/benchmarks.md.
#
# It builds the service, starts it on a free port with a fresh database (the
# service creates it), makes two tenants with one location and items whose
# stock never runs out, and runs two cases, uniform over BENCH_ITEMS_UNIFORM
# items and all on one hot item:
#
#   api: wrk (Debian's package `wrk`) with bench/shipstock.lua, BENCH_CONNECTIONS
#        connections for BENCH_DURATION, each request a shipStock of one unit
#        over HTTP and GraphQL, as a client sends it;
#   raw: pgbench with bench/raw_ship.sql, as many clients for as long, one
#        transaction per unit doing the minimal same write (advisory lock,
#        movement, conditional update of the level).
#
# It prints each case's throughput and latencies, the ratios the goals name
# (API uniform ÷ raw, API hot ÷ API uniform, p99 hot ÷ p99 uniform) and the
# histogram of movements per commit on the hot item, read from /metrics.
#
# Environment: BENCH_PG_SERVER (default postgres://localhost:5432, trust auth
# as the tests use), BENCH_CONNECTIONS (32), BENCH_DURATION (20s),
# BENCH_ITEMS_UNIFORM (1000), BENCH_THREADS (2, for wrk and pgbench).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

conns=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-20s}
nitems=${BENCH_ITEMS_UNIFORM:-1000}
threads=${BENCH_THREADS:-2}
server=${BENCH_PG_SERVER:-postgres://localhost:5432}

for tool in wrk pgbench psql curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is missing: on Debian or Ubuntu, sudo apt-get install wrk postgresql-client curl" >&2
    exit 1
  fi
done

# pgbench opens one connection per client, beside the service's own pool
# and the tests' or other work's: check there is room before building.
max_conns=$(psql -qtA "$server/postgres?sslmode=disable" -c "SHOW max_connections")
in_use=$(psql -qtA "$server/postgres?sslmode=disable" -c "SELECT count(*) FROM pg_stat_activity")
if [ $((conns + in_use + 30)) -gt "$max_conns" ]; then
  echo "PostgreSQL allows $max_conns connections and $in_use are in use: $conns pgbench clients need about $((conns + in_use + 30))." >&2
  echo "Raise it (as a superuser: ALTER SYSTEM SET max_connections = 300; then restart PostgreSQL) or lower BENCH_CONNECTIONS." >&2
  exit 1
fi

work=$(mktemp -d)
db=inventory_bench_$$
export DATABASE_URL="$server/$db?sslmode=disable"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  psql -q "$server/postgres?sslmode=disable" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build and start the service (database $db)"
go build -o "$work/inventory" .
port=
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }
base="http://127.0.0.1:$port"
# The per-tenant limits are off: one tenant's clients measure the service's
# ceiling, as BenchmarkShipStock does (with them, most requests would be
# answered 429 RATE_LIMITED and counted as errors).
INVENTORY_TENANT_RATE=0 INVENTORY_TENANT_WRITES=0 \
  INVENTORY_ADDR="127.0.0.1:$port" "$work/inventory" serve >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the service exited before it was ready:" >&2; tail "$work/service.log" >&2; exit 1; }
  sleep 1
done

# fixture TENANT N: a location and N items of the tenant, each with a receipt
# of a billion units, its level and the level's first history row, so that
# the ledger, the projection and the history agree from the start. Item
# number i has the id md5(tenant/item/i), which bench/raw_ship.sql computes
# too. It prints the location's id and writes the item ids to a file.
fixture() {
  local tenant=$1 n=$2 location
  location=$(psql -qAt "$DATABASE_URL" -v ON_ERROR_STOP=1 -v tenant="$tenant" -v n="$n" <<'SQL'
BEGIN;
SELECT set_config('app.tenant_id', :'tenant', true) \g /dev/null
INSERT INTO locations (tenant_id, id, code, name) VALUES (:'tenant', gen_random_uuid(), 'BENCH', 'Bench')
  RETURNING id;
INSERT INTO items (tenant_id, id, sku, name)
  SELECT :'tenant', md5(:'tenant' || '/item/' || g)::uuid, 'BENCH-' || g, 'Bench item ' || g
  FROM generate_series(1, :n) g \g /dev/null
INSERT INTO movements (tenant_id, operation_id, kind, item_id, location_id, quantity, to_state, actor, reason)
  SELECT :'tenant', gen_random_uuid(), 'RECEIPT', i.id, l.id, 1000000000, 'AVAILABLE', 'bench', 'benchmark stock'
  FROM items i, locations l WHERE i.tenant_id = :'tenant' AND l.tenant_id = :'tenant' \g /dev/null
INSERT INTO stock_levels (tenant_id, item_id, location_id, available, version)
  SELECT :'tenant', i.id, l.id, 1000000000, 1
  FROM items i, locations l WHERE i.tenant_id = :'tenant' AND l.tenant_id = :'tenant' \g /dev/null
INSERT INTO level_history (tenant_id, item_id, location_id, version, available, reserved, damaged,
    quality_control, in_transit, at)
  SELECT tenant_id, item_id, location_id, version, available, reserved, damaged, quality_control, in_transit,
    updated_at FROM stock_levels WHERE tenant_id = :'tenant' \g /dev/null
COMMIT;
SQL
)
  psql -qAt "$DATABASE_URL" -c "SELECT id FROM items WHERE tenant_id = '$tenant'" >"$work/items-$tenant"
  echo "$location"
}

# metric NAME: the sum of a metric's samples whose name and labels start
# with NAME, from /metrics.
metric() {
  curl -fsS "$base/metrics" | awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { printf "%d\n", s }'
}

# api NAME TENANT LOCATION TOKEN: wrk against the service.
api() {
  echo "-- api $1: wrk, $conns connections, $duration" >&2
  BENCH_ITEMS="$work/items-$2" BENCH_LOCATION=$3 BENCH_TOKEN=$4 \
    wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s -s bench/shipstock.lua "$base/graphql" |
    grep '^RESULT' | sed "s|^RESULT|$1|"
}

# raw NAME TENANT LOCATION ITEMS: pgbench against the same database.
raw() {
  echo "-- raw $1: pgbench, $conns clients, $duration" >&2
  local secs=${duration%s}
  (cd "$work" && rm -f pgbench_log.* &&
    pgbench -n -M prepared -c "$conns" -j "$threads" -T "$secs" -l -f "$OLDPWD/bench/raw_ship.sql" \
      -D tenant="$2" -D location="$3" -D items="$4" "$DATABASE_URL" >pgbench.out 2>&1) ||
    { cat "$work/pgbench.out" >&2; exit 1; }
  local tps
  tps=$(awk '/^tps = / { print $3; exit }' "$work/pgbench.out")
  cat "$work"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -n |
    awk -v name="$1" -v tps="$tps" '{ v[NR] = $1 } END {
      printf "%s rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d errors=0\n",
        name, tps, v[int(NR * 0.50)], v[int(NR * 0.99)], v[NR], NR }'
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

echo "== fixtures"
results=$work/results
for shape in uniform hot; do
  n=$nitems
  [ "$shape" = hot ] && n=1
  apiTenant=$("$work/inventory" tenant create --name "bench api $shape")
  rawTenant=$("$work/inventory" tenant create --name "bench raw $shape")
  token=$("$work/inventory" token --tenant "$apiTenant" --sub bench --roles operator --ttl 2h 2>/dev/null)
  apiLocation=$(fixture "$apiTenant" "$n")
  rawLocation=$(fixture "$rawTenant" "$n")
  psql -q "$DATABASE_URL" -c "ANALYZE items, locations, stock_levels, level_history, movements, events"
  echo "== $shape: $n items"
  beforeCount=$(metric 'inventory_group_commit_movements_count')
  beforeSum=$(metric 'inventory_group_commit_movements_sum')
  curl -fsS "$base/metrics" | grep '^inventory_group_commit_movements_bucket' >"$work/buckets-before"
  api "api/$shape" "$apiTenant" "$apiLocation" "$token" | tee -a "$results"
  curl -fsS "$base/metrics" | grep '^inventory_group_commit_movements_bucket' >"$work/buckets-after"
  commits=$(( $(metric 'inventory_group_commit_movements_count') - beforeCount ))
  moved=$(( $(metric 'inventory_group_commit_movements_sum') - beforeSum ))
  echo "$shape commits=$commits movements=$moved" >>"$results"
  echo "   movements per commit: mean $(awk -v m="$moved" -v c="$commits" 'BEGIN { printf "%.1f", c ? m / c : 0 }') over $commits commits; histogram (commits with at most le movements):"
  paste "$work/buckets-before" "$work/buckets-after" |
    awk '{ match($1, /le="[^"]*"/); le = substr($1, RSTART + 4, RLENGTH - 5); printf "     le %-5s %d\n", le, $4 - $2 }'
  raw "raw/$shape" "$rawTenant" "$rawLocation" "$n" | tee -a "$results"
done

echo "== the goals"
get() { grep "^$1 " "$results" | field "$2"; }
awk -v au="$(get api/uniform rps)" -v ru="$(get raw/uniform rps)" -v ah="$(get api/hot rps)" \
  -v pu="$(get api/uniform p99_ms)" -v ph="$(get api/hot p99_ms)" -v c="$(get hot commits)" -v m="$(get hot movements)" 'BEGIN {
  printf "API uniform / raw uniform   %.2f  (goal >= 1.0)\n", au / ru
  printf "API hot / API uniform       %.2f  (goal >= 1.1)\n", ah / au
  printf "p99 hot / p99 uniform       %.2f  (goal <= 2)\n", ph / pu
  printf "movements per commit, hot   %.1f  (goal >= 50 at saturation)\n", c ? m / c : 0
}'
