#!/usr/bin/env bash
# Schemathesis against a freshly started copper-crm-sim (issue 7 item 2); called by .ci/spec-artifact.sh.
#
#   bash tests/schemathesis/run.sh <python venv with schemathesis> <copper-crm-sim binary> <work dir>
#
# Every operation of spec/copper.yaml runs through the examples, coverage, fuzzing and stateful phases with
# the four checks of schemathesis.toml. Two runs share one simulator: first the operations that
# schemathesis.toml points at seeded records, then all the others (which may delete those records). Then
# check_coverage.py requires a schema-validated 2xx answer from every operation. spec/README.md,
# "Conformance testing", explains the choices.
set -euo pipefail
cd "$(dirname "$0")/../.."

[[ $# -eq 3 ]] || { sed -n '2,4p' "$0" >&2; exit 2; }
VENV=$(realpath "$1")
SIM_BINARY=$(realpath "$2")
WORK_DIR=$3
HERE=tests/schemathesis
CONFIG=$(realpath "$HERE/schemathesis.toml")
SPEC=$(realpath spec/copper.yaml)

source .ci/sim.sh
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
WORK_DIR=$(realpath "$WORK_DIR")
start_sim "$SIM_BINARY" "$WORK_DIR"

# The two webhook subscriptions schemathesis.toml reads ($SIM_WEBHOOK_ID, $SIM_WEBHOOK_TO_DELETE_ID).
create_webhook() {
    "$VENV/bin/python" - "$SIM_URL" "$SIM_API_KEY" "$SIM_EMAIL" <<'PY'
import json, sys, urllib.request

url, key, email = sys.argv[1:]
body = {"target": "https://localhost/copper-notifications", "type": "person", "event": "update"}
request = urllib.request.Request(
    url + "/webhooks",
    data=json.dumps(body).encode(),
    headers={"X-PW-AccessToken": key, "X-PW-Application": "developer_api", "X-PW-UserEmail": email,
             "Content-Type": "application/json"},
)
with urllib.request.urlopen(request, timeout=10) as response:
    print(json.load(response)["id"])
PY
}
SIM_WEBHOOK_ID=$(create_webhook)
SIM_WEBHOOK_TO_DELETE_ID=$(create_webhook)
export SIM_WEBHOOK_ID SIM_WEBHOOK_TO_DELETE_ID

# The operations with seeded-record parameters in schemathesis.toml run first.
mapfile -t SEEDED < <("$VENV/bin/python" - "$CONFIG" <<'PY'
import sys, tomllib

ids = set()
for entry in tomllib.load(open(sys.argv[1], "rb")).get("operations", []):
    if "parameters" in entry:
        selected = entry["include-operation-id"]
        ids.update([selected] if isinstance(selected, str) else selected)
print("\n".join(sorted(ids)))
PY
)
first=() second=()
for id in "${SEEDED[@]}"; do
    first+=(--include-operation-id "$id")
    second+=(--exclude-operation-id "$id")
done

run() {
    local name=$1
    shift
    printf '\n--- schemathesis, %s\n' "$name"
    # Its .hypothesis and .schemathesis directories go to the work dir, not the checkout.
    (cd "$WORK_DIR" && "$VENV/bin/schemathesis" --config-file "$CONFIG" run "$SPEC" --url "$SIM_URL" \
        --no-color --report ndjson --report-ndjson-path "$WORK_DIR/$name.ndjson" "$@")
}
status=0
run seeded-records "${first[@]}" || status=$?
run other-operations "${second[@]}" || status=$?
stop_sim
[[ $status -eq 0 ]] || { printf 'error: schemathesis found failures (reports in %s)\n' "$WORK_DIR" >&2; exit 1; }

"$VENV/bin/python" "$HERE/check_coverage.py" spec/copper.json "$WORK_DIR/seeded-records.ndjson" \
    "$WORK_DIR/other-operations.ndjson"
