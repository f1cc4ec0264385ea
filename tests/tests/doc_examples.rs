//! Every JSON example in the Copper docs (extracted once into
//! `tests/fixtures/`) decodes into the generated type the spec gives it, and
//! encodes back without losing a field.

use copper_crm_tests::{Fixture, Roundtrip, fixtures, lost_fields, operation, schema};
use serde_json::Value;

/// Fixtures that are not bodies of an operation under the base URL, and the
/// component schema that describes them.
const NON_OPERATION: &[(&str, &str)] = &[
    ("webhook_notification", "WebhookNotification"),
    ("oauth_token", "OAuthToken"),
];

/// Doc examples that are wrong about the API itself (not just broken JSON),
/// with the reason. They must keep failing to decode: if one starts to
/// decode, the spec has been bent to fit a doc error.
const KNOWN_DOC_ERRORS: &[(&str, &str)] = &[
    (
        "companies_create.request.create_company.json",
        "the curl sends primary_contact_id as the string \"27140359\"; the same page's request sample and response use an integer id",
    ),
    (
        "projects_search.response.basic.json",
        "the \"Projects Search\" example answers with seven Company records, not Projects",
    ),
];

fn roundtrip_for(f: &Fixture) -> Result<Roundtrip, String> {
    if let Some(op) = operation(&f.operation) {
        let rt = match f.kind.as_str() {
            "request" => op.request,
            "response" => op.response,
            "response_item" => op.response_item,
            "error" => op.error,
            other => return Err(format!("unknown fixture kind {other:?}")),
        };
        return rt.ok_or_else(|| format!("operation {} has no {} body type", op.id, f.kind));
    }
    let name = NON_OPERATION
        .iter()
        .find(|(op, _)| *op == f.operation)
        .map(|(_, schema)| *schema)
        .ok_or_else(|| {
            format!(
                "no operation or schema called {:?} in the spec",
                f.operation
            )
        })?;
    schema(name).ok_or_else(|| format!("schema {name} is missing from the spec"))
}

fn check(f: &Fixture) -> Result<(), String> {
    let original: Value = serde_json::from_str(&f.text).map_err(|e| format!("not JSON: {e}"))?;
    let rt = roundtrip_for(f)?;
    let reencoded = rt(&f.text).map_err(|e| format!("does not decode: {e}"))?;
    let lost = lost_fields(&original, &reencoded);
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "loses or changes fields in a round trip: {}",
            lost.join(", ")
        ))
    }
}

#[test]
fn every_doc_example_decodes_and_roundtrips() {
    let all = fixtures();
    assert!(
        all.len() > 300,
        "expected the full set of doc examples, found {}",
        all.len()
    );
    let mut failures = Vec::new();
    let mut known = 0;
    for f in &all {
        let result = check(f);
        match (KNOWN_DOC_ERRORS.iter().find(|(n, _)| *n == f.name), result) {
            (None, Ok(())) => {}
            (None, Err(e)) => failures.push(format!("{}: {e}", f.name)),
            (Some(_), Err(_)) => known += 1,
            (Some((_, why)), Ok(())) => failures.push(format!(
                "{}: listed as a doc error ({why}) but decodes now: the spec was bent to fit it",
                f.name
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    assert_eq!(
        known,
        KNOWN_DOC_ERRORS.len(),
        "a KNOWN_DOC_ERRORS entry names no fixture"
    );
}

#[test]
fn every_operation_has_a_response_type_and_every_body_a_request_type() {
    for op in copper_crm_tests::OPERATIONS {
        assert!(
            op.response.is_some(),
            "{} has no named 200 response schema",
            op.id
        );
        assert!(op.error.is_some(), "{} has no 4XX error schema", op.id);
        if matches!(op.method, "POST" | "PUT") {
            assert!(
                op.request.is_some(),
                "{} {} takes no named request body",
                op.method,
                op.id
            );
        }
    }
}

#[test]
fn a_response_missing_a_required_field_is_refused() {
    // Guards the test itself: a broken body must not decode.
    let person = operation("people_get").expect("people_get exists");
    let decode = person.response.unwrap();
    assert!(decode(r#"{"name": "no id"}"#).is_err());
    assert!(decode("[]").is_err());
}
