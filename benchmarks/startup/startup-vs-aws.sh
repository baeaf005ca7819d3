#!/usr/bin/env bash
# A cold "orderhub get" of the installed tool beside "aws outposts get-order", against the same emulator, alternately.
# usage: benchmarks/startup/startup-vs-aws.sh [rounds] [orderhub]
#   rounds    how many calls of each (default 10)
#   orderhub  the orderhub to measure (default: pack this checkout and install it in a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-10}
work=$(mktemp -d)
trap 'kill "${emulator:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

orderhub=${2:-}
if [ -z "$orderhub" ]; then
  dotnet pack src/OrderHub.Cli -c Release -o "$work/feed" >/dev/null
  dotnet tool install --tool-path "$work/tool" --add-source "$work/feed" OrderHub.Cli >/dev/null
  orderhub="$work/tool/orderhub"
fi
command -v aws >/dev/null || { echo "the AWS CLI (aws) is needed as the baseline" >&2; exit 2; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$orderhub" emulator --urls "http://127.0.0.1:$port" >"$work/emulator.log" 2>&1 &
emulator=$!
for _ in $(seq 100); do grep -q "export" "$work/emulator.log" 2>/dev/null && break; sleep 0.1; done
export AWS_REGION=us-west-2 AWS_DEFAULT_REGION=us-west-2 AWS_ENDPOINT_URL_OUTPOSTS="http://127.0.0.1:$port/"
export AWS_ACCESS_KEY_ID=AKIDEMULATOR AWS_SECRET_ACCESS_KEY=emulator/secret/access/key/EXAMPLE
order=$("$orderhub" list --json | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["orderId"])')

ms() { local start end; start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
ours=(); theirs=()
for _ in $(seq "$rounds"); do
  ours+=("$(ms "$orderhub" get "$order" --source outposts)")
  theirs+=("$(ms aws outposts get-order --order-id "$order" --endpoint-url "http://127.0.0.1:$port/")")
done
mean() { local sum=0; for v in "$@"; do sum=$((sum + v)); done; echo $((sum / $#)); }
a=$(mean "${ours[@]}"); b=$(mean "${theirs[@]}")
echo "orderhub get:          ${ours[*]} ms, mean $a ms"
echo "aws outposts get-order: ${theirs[*]} ms, mean $b ms"
python3 -c "print(f'ratio: {$a/$b:.2f} of the AWS CLI ($(aws --version 2>&1 | cut -d' ' -f1))')"
