#!/usr/bin/env bash
# The main job on a fresh machine of this kind: installs what is missing (Azurite from npm), builds, starts
# Azurite and `dp serve`, starts the file-checksums example once over HTTP and once through the
# pipeline-starts queue, prints the run ids and the dashboard URL, and serves until Ctrl-C. It stops what it
# started when it ends. PORT (default 7071) sets the HTTP port; Azurite's data lives in .azurite/.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
install_prerequisites
./build.sh

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port=${PORT:-7071}
blob=$(free_port); queue=$(free_port); table=$(free_port)
mkdir -p .azurite/data
pids=()
stop() {
    trap - INT TERM EXIT
    echo
    echo "Stopping dp serve and Azurite..."
    # dp serve first, while storage is still there for its last requests on the way out: stopped together with
    # Azurite it took 10-17 s to end, retrying them; alone it ends in about 1 s.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null || true
        wait "${pids[i]}" 2>/dev/null || true
    done
}
trap stop INT TERM EXIT

node node_modules/azurite/dist/src/azurite.js --silent --disableTelemetry --location .azurite/data \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" \
    > .azurite/azurite.log 2>&1 &
pids+=($!)
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

dp=(dotnet src/LocalHost/bin/Debug/net10.0/DurablePipelines.LocalHost.dll)
"${dp[@]}" serve --urls "http://127.0.0.1:$port" &
pids+=($!)
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
    curl -fs "$base/api/pipelines" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "$base/api/pipelines" >/dev/null || { echo "dp serve did not start; see the output above" >&2; exit 1; }

input=$(cat pipelines/inputs/file-checksums.json)
http_run=$(curl -fs -X POST "$base/api/pipelines/file-checksums/runs" -H 'Content-Type: application/json' \
    -d "{\"input\": $input}" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).runId))")
queue_run="file-checksums-queued-$(date +%Y%m%d%H%M%S)"
"${dp[@]}" enqueue file-checksums --input @pipelines/inputs/file-checksums.json --run-id "$queue_run" >/dev/null

# A run started from the queue has no record until the listener picks the message up: that reads as Pending.
status() { { curl -fs "$base/api/runs/$1" 2>/dev/null || true; } | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{try{console.log(JSON.parse(s).status)}catch{console.log('Pending')}})"; }
for _ in $(seq 1 150); do
    a=$(status "$http_run"); b=$(status "$queue_run")
    [[ $a =~ Succeeded|Failed|Cancelled|Terminated && $b =~ Succeeded|Failed|Cancelled|Terminated ]] && break
    sleep 0.2
done

echo
echo "Run started over HTTP:      $http_run ($(status "$http_run"))   $base/api/runs/$http_run"
echo "Run started from the queue: $queue_run ($(status "$queue_run"))   $base/api/runs/$queue_run"
echo "Dashboard:                  $base/"
echo "Serving until Ctrl-C."
wait "${pids[1]}"
