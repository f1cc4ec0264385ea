//! Webhook notifications: every documented example parses, and real
//! deliveries from the simulator to a local listener parse and pass (or
//! fail) the secret check.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use copper_crm::custom_fields::{CustomFieldRegistry, CustomFieldValue, CustomFields};
use copper_crm::enums::{WebhookEntityType, WebhookEvent};
use copper_crm::types::{PersonCreate, PersonUpdate, WebhookCreate};
use copper_crm::webhooks::{WebhookNotification, WebhookSecret};
use copper_crm::{Client, Error, RateLimits, RecordType};
use copper_crm_sim::{DEFAULT_API_KEY, DEFAULT_EMAIL, Entity, Limits, Sim, SimHandle};
use serde_json::json;
use tokio::sync::mpsc;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("webhook_notification")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn fruit_registry() -> CustomFieldRegistry {
    CustomFieldRegistry::new(
        serde_json::from_value(json!([
            {"id": 1, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["person"],
             "options": [{"id": 1, "name": "Apples", "rank": 0}, {"id": 2, "name": "Bananas", "rank": 1}]}
        ]))
        .unwrap(),
    )
}

#[test]
fn every_documented_notification_parses() {
    let all = fixtures();
    assert_eq!(
        all.len(),
        4,
        "{:?}",
        all.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for (name, body) in &all {
        let n = WebhookNotification::parse(body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!n.ids().is_empty(), "{name}");
        assert!(n.subscription_id() > 0);
        let raw: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(n.event().as_str(), raw["event"]);
        assert_eq!(n.entity_type().as_str(), raw["type"]);
        assert_eq!(
            n.timestamp().is_some(),
            raw.get("timestamp").is_some(),
            "{name}"
        );
        // The secret pairs are exactly the undocumented top-level properties.
        let mut keys: Vec<&str> = n.secret_keys().collect();
        keys.sort();
        let mut expected: Vec<&str> = raw
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| {
                ![
                    "ids",
                    "type",
                    "event",
                    "subscription_id",
                    "updated_attributes",
                    "timestamp",
                ]
                .contains(k)
            })
            .collect();
        expected.sort();
        assert_eq!(keys, expected, "{name}");
        assert!(!keys.is_empty());
        for k in &keys {
            let v = raw[k].as_str().unwrap();
            assert!(n.verify_secret(&WebhookSecret::new(*k, v)), "{name}: {k}");
            assert!(!n.verify_secret(&WebhookSecret::new(*k, format!("{v}x"))));
            assert!(
                !format!("{n:?}").contains(&format!("\"{v}\"")),
                "{name}: Debug shows {v}"
            );
        }
    }

    let template = WebhookNotification::parse(
        &all.iter()
            .find(|(n, _)| n.ends_with("template.json"))
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(
        template.entity_type(),
        WebhookEntityType::Unknown("<entity_type>".into())
    );
    assert_eq!(
        template.event(),
        WebhookEvent::Unknown("<event_type>".into())
    );
    let change = template.attribute_change("field_name").unwrap();
    assert_eq!(
        (change.old, change.new),
        (&json!("<old_value>"), &json!("<new_value>"))
    );
    assert_eq!(template.ids(), &[27140442, 27140443]);
    assert_eq!(
        template.timestamp().unwrap().to_rfc3339(),
        "2021-12-13T19:18:22.084+00:00"
    );

    // Computed (labels) and plain (option ids) notifications decode to the same values.
    let registry = fruit_registry();
    let decode = |file: &str| {
        let body = &all.iter().find(|(n, _)| n.ends_with(file)).unwrap().1;
        let n = WebhookNotification::parse(body).unwrap();
        assert_eq!(n.custom_field_references(), vec![(1, None)]);
        assert_eq!(n.attribute_changes().count(), 0);
        n.custom_field_change(1).unwrap().decode(&registry).unwrap()
    };
    let computed = decode("computed_custom_fields.json");
    let plain = decode("non_computed_custom_fields.json");
    assert_eq!(computed, plain);
    assert_eq!(computed.0.unwrap().labels(), vec!["Apples"]);
    assert_eq!(
        computed
            .1
            .unwrap()
            .options()
            .iter()
            .map(|o| (o.id, o.label.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "Apples"), (2, "Bananas")]
    );
}

#[test]
fn malformed_notifications_are_decode_errors_without_the_secret() {
    let secret = WebhookSecret::new("token", "t0p-s3cr3t-value");
    for body in [
        &br#"{"ids":[1],"type":"person","event":"update","subscription_id":"seven","token":"t0p-s3cr3t-value"}"#[..],
        br#"{"ids":[1],"type":"person","token":"t0p-s3cr3t-value""#,
        br#"token=t0p-s3cr3t-value"#,
        br#"{"ids":[1],"type":"person","event":"new","subscription_id":1,"timestamp":"yesterday","token":"t0p-s3cr3t-value"}"#,
    ] {
        for err in [WebhookNotification::parse(body).unwrap_err(), secret.verify(body).unwrap_err()] {
            assert!(matches!(&err, Error::Decode { operation: "webhook_notification", .. }), "{err:?}");
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("t0p-s3cr3t-value"), "{shown}");
        }
    }
    let err = WebhookNotification::parse(
        br#"{"ids":[1],"type":"person","event":"new","subscription_id":"seven","token":"t0p-s3cr3t-value"}"#,
    )
    .unwrap_err();
    match err {
        Error::Decode { snippet, .. } => assert!(
            snippet.contains("\"seven\"") && snippet.contains("[REDACTED]"),
            "{snippet}"
        ),
        other => panic!("{other:?}"),
    }
}

/// A local webhook target: every POSTed body goes to the channel.
async fn listener() -> (String, mpsc::UnboundedReceiver<(HeaderMap, Bytes)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    async fn hook(
        State(tx): State<mpsc::UnboundedSender<(HeaderMap, Bytes)>>,
        headers: HeaderMap,
        body: Bytes,
    ) {
        let _ = tx.send((headers, body));
    }
    let app = Router::new().route("/hook", post(hook)).with_state(tx);
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", socket.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(socket, app).await.unwrap() });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<(HeaderMap, Bytes)>) -> (HeaderMap, Bytes) {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a delivery within 10 s")
        .unwrap()
}

fn client(sim: &SimHandle) -> Client {
    Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_EMAIL)
        .base_url(sim.base_url())
        .rate_limits(RateLimits::unlimited())
        .build()
        .unwrap()
}

#[tokio::test]
async fn deliveries_from_the_simulator_parse_and_verify() {
    let sim = Sim::builder()
        .seed_demo(true)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let (target, mut rx) = listener().await;
    let secret = WebhookSecret::new("source", "copper-sim").and("key", "k-84c1f0");

    let subscribe = |event: &str, computed: bool| WebhookCreate {
        custom_field_computed_values: Some(computed),
        event: event.into(),
        headers: Some(json!({"X-Hook": "people"}).as_object().unwrap().clone()),
        secret: Some(secret.to_map()),
        target: target.clone(),
        type_: "person".into(),
    };
    let updates = client
        .webhooks()
        .create(subscribe("update", true))
        .await
        .unwrap();
    let creates = client
        .webhooks()
        .create(subscribe("new", false))
        .await
        .unwrap();

    // A new person.
    let ada = client
        .people()
        .create(PersonCreate::builder().name("Ada Lovelace".to_string()))
        .await
        .unwrap();
    let (headers, body) = next(&mut rx).await;
    assert_eq!(headers["x-hook"], "people");
    let n = secret.verify(&body).unwrap();
    assert_eq!(n.subscription_id(), creates.id);
    assert_eq!(
        (n.event(), n.entity_type()),
        (WebhookEvent::New, WebhookEntityType::Person)
    );
    assert_eq!(n.ids(), &[ada.id]);
    assert!(n.timestamp().is_some());
    assert!(n.attribute_changes().next().is_none());

    // An update of a standard attribute and of a MultiSelect, with labels.
    let registry = client.custom_fields().registry().await.unwrap();
    let inputs = registry
        .inputs(RecordType::Person)
        .set("Flavors", ["Vanilla", "Chocolate"])
        .build()
        .unwrap();
    client
        .people()
        .update(
            ada.id,
            PersonUpdate::builder()
                .title(Some("Countess".to_string()))
                .custom_fields(Some(inputs)),
        )
        .await
        .unwrap();
    let (_, body) = next(&mut rx).await;
    let n = secret.verify(&body).unwrap();
    assert_eq!(n.subscription_id(), updates.id);
    assert_eq!(n.event(), WebhookEvent::Update);
    assert_eq!(n.ids(), &[ada.id]);
    let title = n.attribute_change("title").unwrap();
    assert_eq!(
        (title.old, title.new),
        (&serde_json::Value::Null, &json!("Countess"))
    );
    let flavors = registry.definition("Flavors").unwrap();
    let change = n
        .custom_field_change(flavors.id)
        .expect("the Flavors change");
    assert_eq!(
        change.new,
        &json!(["Vanilla", "Chocolate"]),
        "labels, as the subscription asked"
    );
    let registry = client
        .custom_fields()
        .registry_knowing(n.custom_field_references())
        .await
        .unwrap();
    let (old, new) = change.decode(&registry).unwrap();
    let stored = client.people().get(ada.id).await.unwrap();
    assert_eq!(old, None);
    assert_eq!(new, stored.custom_field(&registry, "Flavors").unwrap());
    assert!(matches!(new, Some(CustomFieldValue::MultiSelect(ref os)) if os.len() == 2));

    // The same body fails against any other secret, and says nothing about either.
    for wrong in [
        WebhookSecret::new("source", "copper-sim").and("key", "k-84c1f1"),
        WebhookSecret::new("source", "copper-sim"),
        WebhookSecret::new("source", "copper-sim")
            .and("key", "k-84c1f0")
            .and("extra", "x"),
    ] {
        if wrong.keys().count() == 1 {
            // A subset of the pairs still matches: the check is "carries every configured pair".
            assert!(n.verify_secret(&wrong));
            continue;
        }
        let err = wrong.verify(&body).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)));
        let text = format!("{err} {err:?}");
        assert!(
            !text.contains("k-84c1f") && !text.contains("copper-sim"),
            "{text}"
        );
    }
    assert_eq!(sim.records(Entity::Webhook).len(), 2);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while sim
        .deliveries()
        .iter()
        .filter(|d| d.status == Some(200))
        .count()
        < 2
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            sim.deliveries()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
