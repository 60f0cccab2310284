#!/usr/bin/env bash
# Checks the docker-compose topology on a machine that cannot pull images: locally built images
# (docker/make-base-image.sh), s3rver in place of MinIO, PostgreSQL 15 from the base image as the
# meta store, meta, three compute nodes, a compactor and a frontend on a private Docker network. Kills
# compute-2 with `docker kill`, watches the recovery from psql, starts it again, and checks every
# result is exact. Not part of .ci/run (CI has no Docker engine).
set -euo pipefail
cd "$(dirname "$0")/.."
NET=tributary-check
PG_PORT="${CHECK_PG_PORT:-24566}"
# A statement that hangs (say, FLUSH while recovery keeps failing) fails the check instead of stalling it.
psqlq() { timeout 60 psql -X -A -t -h 127.0.0.1 -p "$PG_PORT" -U root -d dev -v ON_ERROR_STOP=1 -c "$1"; }
dump() {
  for c in t-s3 t-postgres t-meta t-compute-1 t-compute-2 t-compute-3 t-compactor t-frontend; do
    echo "----- $c -----"; docker logs --tail 15 "$c" 2>&1 || true
  done
}
cleanup() {
  [ "${1:-}" = ok ] || dump
  docker rm -f t-frontend t-compactor t-compute-1 t-compute-2 t-compute-3 t-meta t-s3 t-postgres >/dev/null 2>&1 || true
  docker network rm "$NET" >/dev/null 2>&1 || true
}
trap 'cleanup "$STATUS"' EXIT
STATUS=fail

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd ..."
  (dockerd >/tmp/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
docker image inspect tributary-base:local >/dev/null 2>&1 || docker/make-base-image.sh
docker build -q --build-arg BASE=tributary-base:local -t tributary:latest . >/dev/null
echo "images built"
docker rm -f t-frontend t-compactor t-compute-1 t-compute-2 t-compute-3 t-meta t-s3 t-postgres >/dev/null 2>&1 || true
docker network rm "$NET" >/dev/null 2>&1 || true
docker network create "$NET" >/dev/null
ENV=(-e AWS_ENDPOINT_URL_S3=http://t-s3:9000 -e AWS_ACCESS_KEY_ID=S3RVER -e AWS_SECRET_ACCESS_KEY=S3RVER -e AWS_REGION=us-east-1 -e TRIBUTARY_LOG_LEVEL=info)
docker run -d --name t-s3 --hostname t-s3 --network "$NET" tributary:latest s3rver -d /tmp/s3 -a 0.0.0.0 -p 9000 --configure-bucket tributary >/dev/null
docker run -d --name t-postgres --network "$NET" --entrypoint /bin/sh tributary-base:local -c \
  'mkdir -p /tmp/pg && chown postgres /tmp/pg && su postgres -s /bin/sh -c "initdb -A trust -U tributary -D /tmp/pg/data >/dev/null && echo \"host all all 0.0.0.0/0 trust\" >> /tmp/pg/data/pg_hba.conf && exec postgres -D /tmp/pg/data -h 0.0.0.0 -k /tmp/pg"' >/dev/null
sleep 4
docker run -d --restart unless-stopped --name t-meta --network "$NET" "${ENV[@]}" -e TRIBUTARY_COMPACTION_L0_TRIGGER=2 tributary:latest meta --listen 0.0.0.0:5690 --data-dir /data \
  --state-store s3://tributary/cluster --meta-store postgres://tributary@t-postgres:5432/postgres >/dev/null
for i in 1 2 3; do
  docker run -d --restart unless-stopped --name "t-compute-$i" --network "$NET" "${ENV[@]}" tributary:latest compute --meta t-meta:5690 --listen 0.0.0.0:5688 --advertise "t-compute-$i:5688" >/dev/null
done
docker run -d --restart unless-stopped --name t-compactor --network "$NET" "${ENV[@]}" tributary:latest compactor --meta t-meta:5690 >/dev/null
docker run -d --restart unless-stopped --name t-frontend --network "$NET" -p "127.0.0.1:$PG_PORT:4566" "${ENV[@]}" tributary:latest frontend --meta t-meta:5690 --host 0.0.0.0 --port 4566 >/dev/null
for _ in $(seq 1 90); do psqlq 'select 1' >/dev/null 2>&1 && break; sleep 1; done
psqlq 'select 1' >/dev/null
echo "cluster up: $(psqlq "SHOW CLUSTER" | grep -c compute) compute nodes"

psqlq "CREATE TABLE t (id INT PRIMARY KEY, g INT)" >/dev/null
psqlq "CREATE MATERIALIZED VIEW mv AS SELECT g, count(*) AS n, sum(id) AS s FROM t GROUP BY g" >/dev/null
vals=$(seq 1 500 | awk '{printf "%s(%d,%d)", (NR>1?",":""), $1, $1%5}')
psqlq "INSERT INTO t VALUES $vals" >/dev/null
echo "docker kill t-compute-2"
docker kill t-compute-2 >/dev/null
sleep 3
psqlq "SHOW RECOVERIES" | tail -1
vals=$(seq 501 1000 | awk '{printf "%s(%d,%d)", (NR>1?",":""), $1, $1%5}')
psqlq "INSERT INTO t VALUES $vals" >/dev/null
echo "docker start t-compute-2"
docker start t-compute-2 >/dev/null
sleep 5
psqlq "FLUSH" >/dev/null
got=$(psqlq "SELECT sum(n), sum(s) FROM mv")
want="1000|500500"
echo "view: $got (expected $want)"
psqlq "SHOW CLUSTER"
[ "$got" = "$want" ] || { echo "MISMATCH"; docker logs t-meta | tail -20; exit 1; }
tasks=$(docker logs t-compactor 2>&1 | grep -c "compaction task done" || true)
echo "compaction tasks run by the compactor container: $tasks"
[ "$tasks" -gt 0 ] || { echo "the compactor ran no task"; exit 1; }
echo "docker topology check passed"
STATUS=ok
