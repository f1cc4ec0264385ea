#!/usr/bin/env bash
# The published spec, checked by tools none of us wrote (issue 7): Redocly lint, openapi-spec-validator,
# TypeScript declarations from openapi-typescript type-checked against tests/typescript/usage.ts, the static
# HTML reference, Schemathesis against copper-crm-sim, and a Python client from openapi-python-client driven
# against copper-crm-sim by tests/python/smoke.py.
#
# Runs from a fresh clone with only Node.js (>= 20.19, with npm), python3 (>= 3.11, with pip and venv) and
# cargo. Every tool comes from the npm registry or PyPI at an exact version:
#   npm:  tests/typescript/package.json + package-lock.json (@redocly/cli, openapi-typescript, typescript)
#   PyPI: .ci/spec-requirements.txt, into a virtualenv under target/ (git-ignored)
# Nothing is cached between runs: `npm ci` starts from an empty node_modules, the venv lives in target/.
#
#   bash .ci/spec-artifact.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SPEC=spec/copper.yaml
NPM_DIR=tests/typescript
PY_REQUIREMENTS=.ci/spec-requirements.txt
TOOLS_DIR=target/spec-tools
PY_VENV="$TOOLS_DIR/venv"
DOCS_OUTPUT=target/spec-docs/index.html # the same page `cargo xtask docs` writes (xtask/src/docs.rs)

# No usage reports, no update checks: CI reaches only the package registries.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '\n==> [%ds] %s\n' "$SECONDS" "$*"; }

fail() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

redocly() { "$NPM_DIR/node_modules/.bin/redocly" "$@"; }

# Drops Redocly CLI's boxed "Node.js 20 support is ending" notice (printed on every run) and blank lines.
without_node_notice() { grep -v -e '║' -e '╔' -e '╚' -e '^[[:space:]]*$' || true; }

# --- Tools -------------------------------------------------------------------------------------------------

check_prerequisites() {
    step "prerequisites"
    command -v node >/dev/null || fail "node not found: install Node.js 20.19 or newer"
    command -v npm >/dev/null || fail "npm not found: install Node.js 20.19 or newer (it ships npm)"
    command -v python3 >/dev/null || fail "python3 not found"
    node -e '
        const [major, minor] = process.versions.node.split(".").map(Number);
        if (!(major > 20 || (major === 20 && minor >= 19))) {
            console.error(`error: Node.js ${process.versions.node} is too old: @redocly/cli needs 20.19 or newer`);
            process.exit(1);
        }'
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        fail "$(python3 --version) is too old: 3.11 or newer is needed (tomllib, Schemathesis 4)"
    python3 -m venv --help >/dev/null || fail "python3 has no venv module (Debian: apt-get install python3-venv)"
    command -v cargo >/dev/null || fail "cargo not found (the checks against the simulator build it)"
    printf 'node %s, npm %s, %s\n' "$(node --version)" "$(npm --version 2>/dev/null)" "$(python3 --version)"
}

install_npm_tools() {
    step "npm ci in $NPM_DIR (pinned by its package-lock.json)"
    (cd "$NPM_DIR" && npm ci --no-audit --no-fund --loglevel=error)
    printf '@redocly/cli %s, openapi-typescript %s, typescript %s\n' \
        "$(redocly --version 2>/dev/null)" \
        "$("$NPM_DIR/node_modules/.bin/openapi-typescript" --version 2>/dev/null | tr -dc '0-9.')" \
        "$("$NPM_DIR/node_modules/.bin/tsc" --version | tr -dc '0-9.')"
}

# One venv for every Python tool of $PY_REQUIREMENTS.
install_python_tools() {
    step "pip install -r $PY_REQUIREMENTS (into $PY_VENV)"
    mkdir -p "$TOOLS_DIR"
    python3 -m venv "$PY_VENV"
    "$PY_VENV/bin/python" -m pip install --quiet --requirement "$PY_REQUIREMENTS"
    "$PY_VENV/bin/python" -m pip freeze --all |
        grep -i -e '^openapi-spec-validator==' -e '^schemathesis==' -e '^openapi-python-client==' | paste -sd ' '
}

# --- Checks of the document --------------------------------------------------------------------------------

# Zero errors under redocly.yaml, and every warning listed with its reason in spec/README.md "Linting"
# (a new warning fails until it is fixed or justified there; a justified warning that went away fails
# until its line is removed).
lint_with_redocly() {
    step "redocly lint $SPEC (rules: redocly.yaml)"
    redocly lint "$SPEC" --format=stylish --max-problems=1000 2>&1 | without_node_notice || true
    local report="$TOOLS_DIR/redocly-lint.json" status=0
    redocly lint "$SPEC" --format=json --max-problems=1000 >"$report" 2>/dev/null || status=$?
    python3 - "$report" spec/README.md "$status" <<'PY'
import json, re, sys

report, readme, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
problems = json.load(open(report))["problems"]
errors = [p for p in problems if p["severity"] == "error"]
warnings = [p for p in problems if p["severity"] == "warn"]

text = open(readme).read()
section = text.split("\n## Linting", 1)
if len(section) < 2:
    sys.exit("error: spec/README.md has no '## Linting' section")
section = section[1].split("\n## ", 1)[0]
# Table rows: | `rule` | `pointer` | why |
justified = set(re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", section, re.M))

found = {(p["ruleId"], p["location"][0]["pointer"]) for p in warnings}
unjustified = sorted(found - justified)
stale = sorted(justified - found)
for rule, ptr in unjustified:
    print(f"error: warning {rule} at {ptr} is not justified in spec/README.md, section Linting")
for rule, ptr in stale:
    print(f"error: spec/README.md justifies warning {rule} at {ptr}, which redocly no longer reports")
print(f"redocly: {len(errors)} errors, {len(warnings)} warnings ({len(found & justified)} justified)")
if errors or status != 0 or unjustified or stale:
    sys.exit(1)
PY
}

validate_with_openapi_spec_validator() {
    step "openapi-spec-validator $SPEC"
    "$PY_VENV/bin/openapi-spec-validator" "$SPEC"
}

# --- Another language ---------------------------------------------------------------------------------------

typecheck_typescript() {
    step "openapi-typescript -> $NPM_DIR/generated/copper.d.ts; tsc --noEmit on usage.ts"
    rm -rf "$NPM_DIR/generated"
    (cd "$NPM_DIR" && npm run --silent generate && npm run --silent typecheck)
    printf 'tsc: usage.ts type-checks against the generated declarations\n'
}

# --- For readers --------------------------------------------------------------------------------------------

# Same command line as `cargo xtask docs` (xtask/src/docs.rs), with the CLI from the npm ci above.
build_html_reference() {
    step "redocly build-docs -> $DOCS_OUTPUT"
    rm -f "$DOCS_OUTPUT"
    redocly build-docs "$SPEC" --output "$DOCS_OUTPUT" --inlineBundle 2>&1 | without_node_notice
    [[ -s "$DOCS_OUTPUT" ]] || fail "build-docs wrote no $DOCS_OUTPUT"
    grep -q '<title>Copper CRM Developer API</title>' "$DOCS_OUTPUT" || fail "$DOCS_OUTPUT has not the spec's title"
    if grep -Eq '<script[^>]+src="https?:' "$DOCS_OUTPUT"; then
        fail "$DOCS_OUTPUT loads scripts from the network; it must open from disk"
    fi
}

# --- Against the simulator ---------------------------------------------------------------------------------
# Each of the two starts its own fresh copper-crm-sim (--seed-demo --limits off, no faults) through .ci/sim.sh.

SIM_BINARY=target/debug/copper-crm-sim

build_simulator() {
    step "cargo build -p copper-crm-sim (for the checks against the simulator)"
    cargo build --locked --quiet -p copper-crm-sim
}

# Every operation, the four checks of tests/schemathesis/schemathesis.toml, zero failures, and a
# schema-validated 2xx answer from every operation (spec/README.md, "Conformance testing").
check_with_schemathesis() {
    step "schemathesis: every operation of $SPEC against copper-crm-sim"
    bash tests/schemathesis/run.sh "$PY_VENV" "$SIM_BINARY" "$TOOLS_DIR/schemathesis"
}

# openapi-python-client generates a client (into target/, never committed) and tests/python/smoke.py drives it.
smoke_test_python_client() {
    step "openapi-python-client: generate a Python client and run tests/python/smoke.py against copper-crm-sim"
    bash tests/python/run.sh "$PY_VENV" "$SIM_BINARY"
}

main() {
    SECONDS=0
    check_prerequisites
    install_npm_tools
    install_python_tools
    lint_with_redocly
    validate_with_openapi_spec_validator
    typecheck_typescript
    build_html_reference
    build_simulator
    check_with_schemathesis
    smoke_test_python_client
    printf '\nspec artifact checks passed in %ds\n' "$SECONDS"
}

main "$@"
