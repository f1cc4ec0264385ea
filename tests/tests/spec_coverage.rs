//! The spec covers every endpoint the docs list (`tests/fixtures/endpoints.tsv`,
//! a copy of the docs' endpoint inventory), under the same operation ids.

use std::collections::BTreeSet;

use copper_crm_tests::{OPERATIONS, fixtures_dir};

/// Rows of endpoints.tsv that are not under the API base URL.
const NOT_UNDER_BASE_URL: &[&str] = &["oauth_authorize", "oauth_token", "webhook_notification"];

#[test]
fn every_documented_endpoint_is_an_operation_of_the_spec() {
    let tsv = std::fs::read_to_string(fixtures_dir().join("endpoints.tsv")).unwrap();
    let mut rows = tsv.lines();
    let header: Vec<&str> = rows.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (method_col, path_col, op_col) = (col("method"), col("path"), col("operation"));

    let mut documented = BTreeSet::new();
    let mut missing = Vec::new();
    for row in rows.filter(|r| !r.trim().is_empty()) {
        let cells: Vec<&str> = row.split('\t').collect();
        let id = cells[op_col];
        if NOT_UNDER_BASE_URL.contains(&id) {
            continue;
        }
        documented.insert(id.to_string());
        let path = cells[path_col].split('?').next().unwrap();
        match OPERATIONS.iter().find(|op| op.id == id) {
            None => missing.push(format!("{id} ({} {path})", cells[method_col])),
            Some(op) => {
                assert_eq!(op.method, cells[method_col], "{id}: method");
                assert_eq!(op.path, path, "{id}: path");
            }
        }
    }
    assert_eq!(
        documented.len(),
        87,
        "endpoints.tsv lists 87 endpoints under the base URL"
    );
    assert!(
        missing.is_empty(),
        "operations missing from the spec: {missing:#?}"
    );
    let extra: Vec<_> = OPERATIONS
        .iter()
        .filter(|op| !documented.contains(op.id))
        .map(|op| op.id)
        .collect();
    assert!(
        extra.is_empty(),
        "operations in the spec that the docs do not list: {extra:?}"
    );
    assert_eq!(OPERATIONS.len(), 87);
}
