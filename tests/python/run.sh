#!/usr/bin/env bash
# Issue 7: a Python client generated from spec/copper.yaml by openapi-python-client (PyPI), installed into
# a virtualenv and run against copper-crm-sim by tests/python/smoke.py.
#
#   bash tests/python/run.sh <python-venv-dir> <path-to-copper-crm-sim>
#
# The venv must already hold the pinned tools of .ci/spec-requirements.txt: openapi-python-client, the
# generated package's runtime dependencies (httpx, attrs) and setuptools (which builds the generated
# project; there is no build isolation, so nothing unpinned is downloaded). Steps:
#   1. generate the client into target/spec-tools/python-client (git-ignored; deleted first), failing on any
#      generator warning about the spec;
#   2. pip install it into the venv with --no-deps, then check its dependencies are already satisfied;
#   3. start the simulator with --port 0 --seed-demo --limits off (.ci/sim.sh);
#   4. run tests/python/smoke.py against it. The simulator is stopped on exit, whatever happens.
set -euo pipefail

fail() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

step() { printf '==> [%ds] %s\n' "$SECONDS" "$*"; }

[[ $# -eq 2 ]] || fail "usage: $0 <python-venv-dir> <path-to-copper-crm-sim>"
[[ -d $1 ]] || fail "venv directory not found: $1"
[[ -f $2 && -x $2 ]] || fail "simulator binary not found or not executable: $2 (cargo build -p copper-crm-sim)"
VENV=$(realpath "$1")
SIM_BIN=$(realpath "$2")

PYTHON=$VENV/bin/python
GENERATOR=$VENV/bin/openapi-python-client
[[ -x $PYTHON ]] || fail "$1 is not a virtualenv: no bin/python"
[[ -x $GENERATOR ]] ||
    fail "openapi-python-client is not installed in $1: pip install --requirement .ci/spec-requirements.txt"

cd "$(dirname "$0")/../.."
SPEC=spec/copper.yaml
CONFIG=tests/python/openapi-python-client.yaml
SMOKE=tests/python/smoke.py
CLIENT_DIR=target/spec-tools/python-client
export PIP_DISABLE_PIP_VERSION_CHECK=1

# --- 1. Generate -------------------------------------------------------------------------------------------
step "generate the client from $SPEC into $CLIENT_DIR ($("$GENERATOR" --version))"
rm -rf "$CLIENT_DIR"
mkdir -p "$(dirname "$CLIENT_DIR")"
# --fail-on-warning: a schema or operation the generator cannot express is a failure, not a silent gap.
"$GENERATOR" generate --path "$SPEC" --config "$CONFIG" --meta setup --output-path "$CLIENT_DIR" \
    --fail-on-warning ||
    fail "openapi-python-client could not generate a client from $SPEC without warnings (see above)"
[[ -d $CLIENT_DIR/copper_crm_client ]] || fail "the generator wrote no package $CLIENT_DIR/copper_crm_client"

# --- 2. Install --------------------------------------------------------------------------------------------
step "pip install --no-deps $CLIENT_DIR"
# setuptools builds the generated project (--meta setup); from 70.1 on it needs no `wheel` package.
setuptools_version=$("$PYTHON" -c 'import setuptools; print(setuptools.__version__)' 2>/dev/null) ||
    fail "setuptools is not installed in $1 (it builds the generated client): pin it in .ci/spec-requirements.txt"
"$PYTHON" -c 'import sys, setuptools; sys.exit(tuple(map(int, setuptools.__version__.split(".")[:2])) < (70, 1))' ||
    fail "setuptools $setuptools_version in $1 cannot build wheels on its own: 70.1 or newer is needed"
"$PYTHON" -m pip install --quiet --no-deps --no-build-isolation --force-reinstall "./$CLIENT_DIR" ||
    fail "pip could not install the generated client from $CLIENT_DIR"
# Its dependencies come pinned from .ci/spec-requirements.txt, never resolved here.
unmet=$("$PYTHON" -m pip check 2>&1 | grep -i '^copper-crm-client ' || true)
[[ -z $unmet ]] || fail "the generated client's dependencies are not met by the pinned ones in $1:
$unmet"
"$PYTHON" - <<'PY'
from importlib.metadata import requires, version
deps = ", ".join(requires("copper-crm-client") or [])
print(f"copper-crm-client {version('copper-crm-client')} (requires {deps}); "
      f"installed: httpx {version('httpx')}, attrs {version('attrs')}")
PY

# --- 3. Start the simulator --------------------------------------------------------------------------------
step "start $SIM_BIN --port 0 --seed-demo --limits off"
source .ci/sim.sh
start_sim "$SIM_BIN" target/spec-tools/python-smoke-sim

# --- 4. Smoke test -----------------------------------------------------------------------------------------
step "python $SMOKE $SIM_URL"
"$PYTHON" "$SMOKE" "$SIM_URL" --api-key "$SIM_API_KEY" --user-email "$SIM_EMAIL" ||
    fail "the smoke test of the generated Python client failed (see above)"
step "done"
