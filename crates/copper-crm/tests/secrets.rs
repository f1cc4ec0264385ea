//! The API key, the user email, OAuth tokens, the OAuth client secret and
//! webhook secrets never appear in `Debug`, `Display`, errors or `tracing`
//! output: real requests against the simulator (successful, refused, rate
//! limited, timed out, unreachable) with a subscriber capturing every event
//! at TRACE level, including the `log` records of the HTTP stack.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use copper_crm::oauth::{OAuthClient, OAuthGrant};
use copper_crm::types::{PersonCreate, PersonSearch, PersonUpdate};
use copper_crm::webhooks::{WebhookNotification, WebhookSecret};
use copper_crm::{Client, Credentials, Error, RateLimits, RetryPolicy};
use copper_crm_sim::{FaultConfig, Limits, Sim};
use futures::TryStreamExt;
use tracing_subscriber::fmt::MakeWriter;

const API_KEY: &str = "key-7c1e5a90d2";
const EMAIL: &str = "owner-4b8f21@example.com";
const TOKEN: &str = "tok-e93d60b7aa";
const WRONG_KEY: &str = "wrongkey-51f0c3";
const WRONG_TOKEN: &str = "wrongtok-0a9d44";
const HOOK_SECRET: &str = "hook-2f6b18cd";
const CLIENT_SECRET: &str = "oauth-cs-83a1e7";
const SECRETS: [&str; 7] = [
    API_KEY,
    EMAIL,
    TOKEN,
    WRONG_KEY,
    WRONG_TOKEN,
    HOOK_SECRET,
    CLIENT_SECRET,
];

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Debug and Display of every value shown.
#[derive(Default)]
struct Shown(Vec<String>);

impl Shown {
    fn debug(&mut self, v: &impl std::fmt::Debug) {
        self.0.push(format!("{v:?}"));
        self.0.push(format!("{v:#?}"));
    }
    fn error(&mut self, e: &Error) {
        self.debug(e);
        self.0.push(e.to_string());
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            self.0.push(s.to_string());
            self.0.push(format!("{s:?}"));
            source = s.source();
        }
    }
    fn display(&mut self, v: &impl std::fmt::Display) {
        self.0.push(v.to_string());
    }
}

fn api_key_client(base: &str, key: &str, email: &str) -> Client {
    Client::builder()
        .api_key(key, email)
        .base_url(base)
        .rate_limits(RateLimits::unlimited())
        .retry(RetryPolicy::default().scaled(100.0))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn secrets_never_appear_in_debug_display_errors_or_logs() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing_log::LogTracer::init().unwrap();
    let mut shown = Shown::default();

    let sim = Sim::builder()
        .seed_demo(true)
        .api_key(API_KEY)
        .email(EMAIL)
        .bearer_token(TOKEN)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap();
    let base = sim.base_url();

    // Successful requests with an API key and with a bearer token.
    let builder = Client::builder().api_key(API_KEY, EMAIL).base_url(&base);
    shown.debug(&builder);
    let client = api_key_client(&base, API_KEY, EMAIL);
    shown.debug(&client);
    shown.debug(&Credentials::api_key(API_KEY, EMAIL));
    shown.debug(&Credentials::oauth_token(TOKEN));
    let me = client.users().me().await.unwrap();
    shown.debug(&me.id);
    let registry = client.custom_fields().registry().await.unwrap();
    shown.debug(&registry);
    let people: Vec<_> = client
        .people()
        .search(PersonSearch::default())
        .try_collect()
        .await
        .unwrap();
    let created = client
        .people()
        .create(PersonCreate::builder().name("Grace Hopper".to_string()))
        .await
        .unwrap();
    client
        .people()
        .update(
            created.id,
            PersonUpdate::builder().title(Some("Rear Admiral".to_string())),
        )
        .await
        .unwrap();
    shown.debug(&people.len());
    let bearer = Client::builder()
        .oauth_token(TOKEN)
        .base_url(&base)
        .build()
        .unwrap();
    shown.debug(&bearer);
    bearer.users().me().await.unwrap();

    // Failures: not found, wrong key, wrong token, bad header values.
    shown.error(&client.people().get(1).await.unwrap_err());
    let wrong = api_key_client(&base, WRONG_KEY, EMAIL);
    let err = wrong.users().me().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    shown.error(&err);
    let err = Client::builder()
        .oauth_token(WRONG_TOKEN)
        .base_url(&base)
        .build()
        .unwrap()
        .users()
        .me()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    shown.error(&err);
    shown.error(
        &Client::builder()
            .api_key(format!("{API_KEY}\n"), EMAIL)
            .build()
            .unwrap_err(),
    );
    shown.error(
        &Client::builder()
            .api_key(API_KEY, format!("{EMAIL}\r"))
            .build()
            .unwrap_err(),
    );
    shown.error(
        &Client::builder()
            .oauth_token(format!("{TOKEN}\u{7f}"))
            .build()
            .unwrap_err(),
    );

    // Rate limited (retries exhausted), timed out, unreachable.
    sim.set_faults(FaultConfig::seeded(7).with_rate_limited(1.0));
    let err = client.users().me().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    shown.error(&err);
    sim.set_faults(FaultConfig::seeded(7).with_delay(1.0, Duration::from_millis(500)));
    let impatient = Client::builder()
        .api_key(API_KEY, EMAIL)
        .base_url(&base)
        .timeout(Duration::from_millis(50))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = impatient.users().me().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    shown.error(&err);
    sim.set_faults(FaultConfig::seeded(7).with_drop_before(1.0));
    shown.error(&client.people().get(created.id).await.unwrap_err());
    sim.set_faults(FaultConfig::default());
    let closed = {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/developer_api/v1", socket.local_addr().unwrap())
    };
    let err = api_key_client(&closed, API_KEY, EMAIL)
        .users()
        .me()
        .await
        .unwrap_err();
    assert!(err.never_reached_server(), "{err:?}");
    shown.error(&err);

    // Webhook secrets.
    let secret = WebhookSecret::new("token", HOOK_SECRET);
    shown.debug(&secret);
    shown.display(&secret);
    let body = format!(
        r#"{{"ids":[1],"type":"person","event":"new","subscription_id":3,"token":"{HOOK_SECRET}"}}"#
    );
    let n = secret.verify(body.as_bytes()).unwrap();
    shown.debug(&n);
    shown.debug(&n.attribute_changes().collect::<Vec<_>>());
    let other = WebhookSecret::new("token", format!("{HOOK_SECRET}-old"));
    shown.error(&other.verify(body.as_bytes()).unwrap_err());
    let malformed = format!(r#"{{"ids":"one","token":"{HOOK_SECRET}"}}"#);
    shown.error(&WebhookNotification::parse(malformed.as_bytes()).unwrap_err());
    shown.error(
        &secret
            .verify(format!("token={HOOK_SECRET}").as_bytes())
            .unwrap_err(),
    );

    // OAuth.
    let oauth = OAuthClient::new("app", CLIENT_SECRET, "https://example.com/cb").unwrap();
    shown.debug(&oauth);
    shown.display(&oauth.authorize_url("state-1"));
    let unreachable = oauth
        .clone()
        .token_endpoint(&closed.replace("/developer_api/v1", "/oauth/token"))
        .unwrap();
    shown.error(&unreachable.exchange_code("c0de").await.unwrap_err());
    let grant = OAuthGrant::from(copper_crm::types::OAuthToken {
        access_token: TOKEN.into(),
        scope: None,
        token_type: "Bearer".into(),
    });
    shown.debug(&grant);
    shown.debug(&grant.credentials());
    shown.debug(&grant.client_builder());

    sim.shutdown().await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    if std::env::var_os("SHOW_LOGS").is_some() {
        eprintln!("{logs}");
    }
    // The capture really saw the traffic.
    for expected in [
        "users_me",
        "people_search",
        "copper answered",
        "status=401",
        "custom field registry fetched",
    ] {
        assert!(
            logs.contains(expected),
            "the captured logs lack {expected:?}:\n{logs}"
        );
    }
    for secret in SECRETS {
        assert!(!logs.contains(secret), "{secret} appears in the logs");
        for s in &shown.0 {
            assert!(!s.contains(secret), "{secret} appears in {s}");
        }
    }
    assert!(shown.0.len() > 40);
}
