#!/usr/bin/env bash
# Load test of `qili serve` on loopback: 200 concurrent connections for 20 s while a source is
# edited twice a second. Needs wrk (apt-get install wrk) and a release build.
#   bash tests/bench/serve_load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${PORT:-18130}
site=$(mktemp -d)
cp -r site.yaml content themes "$site"/
./target/release/qili serve --root "$site" --port "$port" --today 2026-11-26 >"$site/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$site"' EXIT
sleep 2
lesson="$site/content/lessons/xiang-lin-tong-xing.md"
( for i in $(seq 1 40); do echo "修改 $i" >>"$lesson"; sleep 0.5; done ) &
wrk -t2 -c200 -d20s --latency "http://127.0.0.1:$port/qunzhong/lessons/xiang-lin-tong-xing/"
echo "rebuilds during the run: $(grep -c '已生成' "$site/serve.log")"
kill -0 $server && echo "server still running"
