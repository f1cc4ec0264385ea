//! Bad spec input must produce an error naming the file, the location and the
//! problem — never a panic or an anonymous serde message.

use std::path::Path;

use xtask::codegen;
use xtask::spec::{self, Location, SpecError};

const FILE: &str = "spec/test.yaml";

/// A small valid document; `{extra_params}` and `{extra_schema}` are spliced in.
fn doc(extra_params: &str, responses: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info:
  title: test
  version: "1"
tags:
  - name: things
paths:
  /things/{{id}}:
    get:
      operationId: things_get
      tags: [things]
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
            format: int64
{extra_params}
      responses:
{responses}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id:
          type: integer
          format: int64
    ErrorBody:
      type: object
      properties:
        error:
          type: string
"#
    )
}

const OK_RESPONSES: &str = r#"        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
        '4XX':
          description: error
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorBody'"#;

fn errors_of(text: &str) -> Vec<SpecError> {
    match spec::parse(Path::new(FILE), text) {
        Ok(loaded) => match codegen::generate(&loaded) {
            Ok(_) => Vec::new(),
            Err(e) => vec![e],
        },
        Err(errors) => errors,
    }
}

fn single_error(text: &str) -> SpecError {
    let errors = errors_of(text);
    assert_eq!(
        errors.len(),
        1,
        "expected exactly one error, got {errors:#?}"
    );
    let e = errors.into_iter().next().unwrap();
    assert_eq!(e.file, Path::new(FILE));
    assert!(e.to_string().starts_with(FILE), "{e}");
    e
}

#[test]
fn the_baseline_document_generates() {
    assert_eq!(errors_of(&doc("", OK_RESPONSES)), Vec::new());
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let text = doc("", OK_RESPONSES).replace("title: test", "title: [unclosed");
    let e = single_error(&text);
    match e.location {
        Location::Line { line, .. } => assert!((3..=6).contains(&line), "{e}"),
        other => panic!("expected a line location, got {other:?}"),
    }
    assert!(e.message.contains("YAML syntax error"), "{e}");
}

#[test]
fn unknown_ref_names_the_pointer_and_target() {
    let text = doc("", OK_RESPONSES).replace("schemas/Thing'", "schemas/Thingy'");
    let e = single_error(&text);
    assert_eq!(
        e.location,
        Location::Pointer(
            "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref".into()
        )
    );
    assert!(e.message.contains("#/components/schemas/Thingy"), "{e}");
}

#[test]
fn ref_to_the_wrong_kind_of_component_is_refused() {
    let text = doc("", OK_RESPONSES).replace("schemas/Thing'", "schemas/Thing/properties/id'");
    // A schema nested inside another schema cannot be referenced by typify.
    let e = single_error(&text);
    assert!(
        e.message
            .contains("must name an entry of #/components/schemas"),
        "{e}"
    );
    let text = doc("        - $ref: '#/components/schemas/Thing'", OK_RESPONSES);
    let e = single_error(&text);
    assert!(e.message.contains("#/components/parameters"), "{e}");
}

#[test]
fn duplicate_operation_id_points_at_both() {
    let mut text = doc("", OK_RESPONSES);
    let second = format!(
        "  /others:\n    get:\n      operationId: things_get\n      responses:\n{OK_RESPONSES}\n"
    );
    text = text.replace("components:\n", &format!("{second}components:\n"));
    let e = single_error(&text);
    assert!(
        e.message.contains("duplicate operationId \"things_get\""),
        "{e}"
    );
    // One use is the error's location, the other is named in the message.
    let (a, b) = ("/paths/~1others/get", "/paths/~1things~1{id}/get");
    let at = match &e.location {
        Location::Pointer(p) => p.clone(),
        other => panic!("expected a pointer, got {other:?}"),
    };
    let (here, there) = if at.starts_with(a) { (a, b) } else { (b, a) };
    assert_eq!(at, format!("{here}/operationId"));
    assert!(e.message.contains(there), "{e}");
}

#[test]
fn missing_operation_id_is_named() {
    let text = doc("", OK_RESPONSES).replace("      operationId: things_get\n", "");
    let e = single_error(&text);
    assert_eq!(
        e.location,
        Location::Pointer("/paths/~1things~1{id}/get".into())
    );
    assert!(e.message.contains("no operationId"), "{e}");
}

#[test]
fn default_response_beside_200_is_refused_before_progenitor_panics() {
    let responses = OK_RESPONSES.replace("'4XX'", "default");
    let e = single_error(&doc("", &responses));
    assert_eq!(
        e.location,
        Location::Pointer("/paths/~1things~1{id}/get/responses/default".into())
    );
    assert!(e.message.contains("4XX"), "{e}");
}

#[test]
fn two_different_success_bodies_are_refused() {
    let responses = format!(
        "{OK_RESPONSES}\n        '201':\n          description: created\n          content:\n            application/json:\n              schema:\n                type: string"
    );
    let e = single_error(&doc("", &responses));
    assert!(e.message.contains("one success type"), "{e}");
}

#[test]
fn openapi_3_1_is_refused() {
    let text = doc("", OK_RESPONSES).replace("openapi: 3.0.3", "openapi: 3.1.0");
    let e = single_error(&text);
    assert_eq!(e.location, Location::Pointer("/openapi".into()));
    assert!(e.message.contains("3.0.x"), "{e}");
}

#[test]
fn path_parameters_must_match_the_template() {
    let text = doc("", OK_RESPONSES).replace("/things/{id}:", "/things/{thing_id}:");
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].message.contains("{thing_id}"), "{}", errors[0]);
    assert!(errors[1].message.contains("\"id\""), "{}", errors[1]);
}

#[test]
fn invalid_openapi_object_is_located() {
    // A parameter with no `in` is not an OpenAPI parameter object.
    let text = doc(
        "        - name: q\n          schema:\n            type: string",
        OK_RESPONSES,
    );
    let e = single_error(&text);
    match &e.location {
        Location::Pointer(p) => assert_eq!(p, "/paths/~1things~1{id}/get/parameters/1", "{e}"),
        other => panic!("expected a pointer, got {other:?}"),
    }
}

#[test]
fn construct_progenitor_cannot_generate_is_reported_with_its_operation() {
    let text = doc(
        "        - name: session\n          in: cookie\n          schema:\n            type: string",
        OK_RESPONSES,
    );
    let e = single_error(&text);
    assert_eq!(
        e.location,
        Location::Pointer("/paths/~1things~1{id}/get".into())
    );
    assert!(
        e.message.contains("cookie parameters are not supported"),
        "{e}"
    );
    assert!(
        !e.message.contains("ParameterData"),
        "debug dump leaked: {e}"
    );
}

#[test]
fn progenitor_panic_is_caught_and_located() {
    // progenitor 0.15.1 reaches `unreachable!()` on an object-typed query parameter.
    let text = doc(
        "        - name: filter\n          in: query\n          schema:\n            type: object\n            properties:\n              a:\n                type: string",
        OK_RESPONSES,
    );
    let e = single_error(&text);
    assert_eq!(
        e.location,
        Location::Pointer("/paths/~1things~1{id}/get".into())
    );
    assert!(e.message.contains("progenitor panicked"), "{e}");
}

#[test]
fn colliding_schema_names_are_refused() {
    let text = doc("", OK_RESPONSES).replace(
        "    ErrorBody:\n",
        "    thing:\n      type: string\n    ErrorBody:\n",
    );
    let e = single_error(&text);
    assert_eq!(
        e.location,
        Location::Pointer("/components/schemas/thing".into())
    );
}
