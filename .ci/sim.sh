# Sourced by the scripts that drive copper-crm-sim from outside Rust (tests/schemathesis/run.sh,
# tests/python/run.sh): start a fresh simulator in the background and stop it when the script exits.
#
#   source .ci/sim.sh
#   start_sim target/debug/copper-crm-sim "$LOG_DIR"    # sets SIM_URL (…/developer_api/v1) and SIM_PID
#
# The simulator runs with its demo records, limits off and no faults, and accepts SIM_API_KEY and SIM_EMAIL
# (with "developer_api") as its three X-PW-* headers. When the script exits with an error, the last lines the
# simulator wrote to stderr are printed after the script's own message.

SIM_API_KEY=sim-api-key
SIM_EMAIL=sim@example.com
SIM_PID=
SIM_LOG_DIR=

stop_sim() {
    if [[ -n $SIM_PID ]]; then
        kill -TERM "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
        SIM_PID=
    fi
}

# The EXIT trap: stop the simulator, and show its stderr if the script failed.
_sim_on_exit() {
    local status=$?
    stop_sim
    if [[ $status -ne 0 && -s $SIM_LOG_DIR/sim.err ]]; then
        printf -- '--- copper-crm-sim stderr (last 20 lines of %s) ---\n' "$SIM_LOG_DIR/sim.err" >&2
        tail -n 20 "$SIM_LOG_DIR/sim.err" >&2
    fi
    exit "$status"
}

# start_sim BINARY LOG_DIR: the binary prints its base URL as the first line of stdout once it listens.
start_sim() {
    local binary=$1 _
    SIM_LOG_DIR=$2
    if [[ ! -f $binary || ! -x $binary ]]; then
        printf 'error: %s is not an executable copper-crm-sim (cargo build -p copper-crm-sim)\n' "$binary" >&2
        return 1
    fi
    mkdir -p "$SIM_LOG_DIR"
    "$binary" --port 0 --seed-demo --limits off --api-key "$SIM_API_KEY" --email "$SIM_EMAIL" \
        >"$SIM_LOG_DIR/sim.out" 2>"$SIM_LOG_DIR/sim.err" &
    SIM_PID=$!
    trap _sim_on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    SIM_URL=
    for _ in $(seq 100); do # up to 10 s
        if [[ -s $SIM_LOG_DIR/sim.out ]]; then
            SIM_URL=$(head -n 1 "$SIM_LOG_DIR/sim.out")
            break
        fi
        if ! kill -0 "$SIM_PID" 2>/dev/null; then
            printf 'error: copper-crm-sim exited before printing its base URL\n' >&2
            return 1
        fi
        sleep 0.1
    done
    if [[ ! $SIM_URL =~ ^http://127\.0\.0\.1:[0-9]+/developer_api/v1$ ]]; then
        printf 'error: copper-crm-sim printed no base URL within 10 s (first line: %q)\n' "$SIM_URL" >&2
        return 1
    fi
    printf 'copper-crm-sim (pid %s) at %s\n' "$SIM_PID" "$SIM_URL"
}
