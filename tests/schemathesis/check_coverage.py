"""Fail unless Schemathesis validated a success answer of every operation of the spec.

Schemathesis reports failing checks itself; what it does not fail on is an operation that only ever got
4xx answers (random ids meet Copper's 404), whose success schema was then never checked. This reads the
NDJSON event reports of the runs and requires, for every operation of spec/copper.json, at least one 2xx
answer on which `response_schema_conformance` passed.

    python check_coverage.py spec/copper.json report-1.ndjson [report-2.ndjson ...]
"""

import collections
import json
import sys

METHODS = ("get", "put", "post", "delete", "patch")


def spec_operations(spec_path):
    """(METHOD, path template) -> operationId for every operation of the spec."""
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    return {
        (method.upper(), path): op["operationId"]
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def tally(report_paths, operations):
    """Per operation: a Counter of answer statuses, and how many 2xx answers passed the schema check."""
    statuses = collections.defaultdict(collections.Counter)
    validated = collections.Counter()
    for report in report_paths:
        with open(report, encoding="utf-8") as f:
            for line in f:
                event = json.loads(line).get("ScenarioFinished")
                if not event:
                    continue
                recorder = event.get("recorder") or {}
                cases = recorder.get("cases") or {}
                checks = recorder.get("checks") or {}
                for case_id, interaction in (recorder.get("interactions") or {}).items():
                    case = cases.get(case_id, {}).get("value", {})
                    key = (case.get("method", "").upper(), case.get("path", ""))
                    if key not in operations:
                        continue  # Schemathesis also sends unsupported methods to each path
                    response = interaction.get("response")
                    status = response["status_code"] if response else "no answer"
                    statuses[key][status] += 1
                    if isinstance(status, int) and 200 <= status < 300:
                        if any(
                            c["name"] == "response_schema_conformance" and c["status"] == "success"
                            for c in checks.get(case_id, [])
                        ):
                            validated[key] += 1
    return statuses, validated


def status_class(status):
    return f"{status // 100}xx" if isinstance(status, int) else status


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    operations = spec_operations(argv[1])
    statuses, validated = tally(argv[2:], operations)

    missing = []
    for key, op_id in sorted(operations.items(), key=lambda kv: kv[1]):
        if not validated[key]:
            seen = ", ".join(f"{s}: {n}" for s, n in sorted(statuses[key].items(), key=str)) or "no requests"
            missing.append(f"{op_id} ({key[0]} {key[1]}): no validated 2xx answer ({seen})")

    by_class = collections.Counter()
    for counter in statuses.values():
        for status, n in counter.items():
            by_class[status_class(status)] += n
    requests = sum(by_class.values())
    classes = ", ".join(f"{n} {c}" for c, n in sorted(by_class.items()))
    covered = len(operations) - len(missing)
    print(
        f"coverage: {covered}/{len(operations)} operations had a 2xx answer validated against its schema "
        f"({requests} requests to spec operations: {classes})"
    )
    for line in missing:
        print(f"error: {line}", file=sys.stderr)
    if missing:
        print(
            "error: give these operations existing records in tests/schemathesis/schemathesis.toml "
            "(see spec/README.md, Conformance testing)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
