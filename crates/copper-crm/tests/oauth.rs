//! OAuth: the authorize URL, the redirect, and the code exchange against a
//! local token server, then bearer requests to the simulator.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use copper_crm::Error;
use copper_crm::oauth::{OAuthClient, OAuthRedirect};
use copper_crm_sim::{DEFAULT_BEARER_TOKEN, Limits, Sim};

const CLIENT_SECRET: &str = "cs-9f2b7c-client-secret";
const CODE: &str = "code-5d1e0a";

/// What the token server saw, and what it answers.
#[derive(Default)]
struct TokenServer {
    seen: Vec<(HeaderMap, Bytes)>,
    answer: Option<(StatusCode, String)>,
}

type Shared = Arc<Mutex<TokenServer>>;

async fn token_server() -> (String, Shared) {
    let shared: Shared = Arc::default();
    async fn token(
        State(s): State<Shared>,
        headers: HeaderMap,
        body: Bytes,
    ) -> (StatusCode, String) {
        let mut s = s.lock().unwrap();
        s.seen.push((headers, body));
        s.answer
            .clone()
            .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, String::new()))
    }
    let app = Router::new()
        .route("/oauth/token", post(token))
        .with_state(shared.clone());
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/oauth/token", socket.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(socket, app).await.unwrap() });
    (url, shared)
}

fn oauth(token_url: &str) -> OAuthClient {
    OAuthClient::new(
        "app-1234",
        CLIENT_SECRET,
        "https://example.com/copper/callback",
    )
    .unwrap()
    .token_endpoint(token_url)
    .unwrap()
}

#[test]
fn the_authorize_url_and_the_redirect() {
    let oauth = OAuthClient::new(
        "app-1234",
        CLIENT_SECRET,
        "https://example.com/copper/callback",
    )
    .unwrap();
    let state = OAuthClient::random_state().unwrap();
    let url = oauth.authorize_url(&state);
    assert_eq!(
        (url.scheme(), url.host_str(), url.path()),
        ("https", Some("app.copper.com"), "/oauth/authorize")
    );
    let pairs: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    let expected: BTreeMap<String, String> = [
        ("response_type", "code"),
        ("client_id", "app-1234"),
        ("redirect_uri", "https://example.com/copper/callback"),
        ("scope", "developer/v1/all"),
        ("state", state.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(pairs, expected);
    assert!(!url.as_str().contains(CLIENT_SECRET));

    let redirect = format!("https://example.com/copper/callback?code={CODE}&state={state}");
    match oauth.parse_redirect(&redirect, &state).unwrap() {
        OAuthRedirect::Code(code) => {
            assert_eq!(code.secret(), CODE);
            assert!(!format!("{code:?}").contains(CODE));
        }
        other => panic!("{other:?}"),
    }
    // A POSTed form body works the same.
    let form =
        format!("state={state}&error=access_denied&error_description=The+user+denied+access");
    match oauth.parse_redirect(&form, &state).unwrap() {
        OAuthRedirect::Refused { error, description } => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("The user denied access"));
        }
        other => panic!("{other:?}"),
    }
    for (input, problem) in [
        (format!("code={CODE}&state=someone-elses"), "does not match"),
        (format!("code={CODE}"), "no state"),
        (format!("state={state}"), "neither a code nor an error"),
        (
            format!("code=&state={state}"),
            "neither a code nor an error",
        ),
    ] {
        let err = oauth.parse_redirect(&input, &state).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, Error::InvalidInput(_)) && text.contains(problem),
            "{text}"
        );
        assert!(!text.contains(CODE) && !text.contains(&state), "{text}");
    }
    assert!(
        oauth
            .parse_redirect(&format!("code={CODE}&state="), "")
            .is_err(),
        "an empty expected state never matches"
    );
}

#[tokio::test]
async fn the_code_is_exchanged_with_a_form_post_and_the_token_works() {
    let (url, server) = token_server().await;
    server.lock().unwrap().answer = Some((
        StatusCode::OK,
        format!(
            r#"{{"access_token":"{DEFAULT_BEARER_TOKEN}","token_type":"Bearer","scope":"developer/v1/all"}}"#
        ),
    ));
    let grant = oauth(&url).exchange_code(CODE).await.unwrap();
    assert_eq!(
        (grant.access_token(), grant.token_type(), grant.scope()),
        (DEFAULT_BEARER_TOKEN, "Bearer", Some("developer/v1/all"))
    );
    assert!(!format!("{grant:?}").contains(DEFAULT_BEARER_TOKEN));

    let (headers, body) = server.lock().unwrap().seen.pop().unwrap();
    assert_eq!(headers["content-type"], "application/x-www-form-urlencoded");
    let form: BTreeMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let expected: BTreeMap<String, String> = [
        ("grant_type", "authorization_code"),
        ("code", CODE),
        ("redirect_uri", "https://example.com/copper/callback"),
        ("client_id", "app-1234"),
        ("client_secret", CLIENT_SECRET),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(form, expected);

    // Bearer mode against the simulator.
    let sim = Sim::builder()
        .seed_demo(true)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap();
    let client = grant
        .client_builder()
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let me = client.users().me().await.unwrap();
    assert!(!me.email.is_empty());
    let raw = grant.into_raw();
    let again = copper_crm::Client::builder()
        .oauth_token(raw.access_token)
        .base_url(sim.base_url())
        .build()
        .unwrap();
    assert_eq!(again.users().me().await.unwrap().id, me.id);
}

#[tokio::test]
async fn token_endpoint_failures_are_typed_and_hide_the_secrets() {
    let (url, server) = token_server().await;
    let oauth = oauth(&url);
    let cases = [
        (
            StatusCode::BAD_REQUEST,
            format!(
                r#"{{"error":"invalid_grant","error_description":"code {CODE} was already used by client with secret {CLIENT_SECRET}"}}"#
            ),
        ),
        (
            StatusCode::UNAUTHORIZED,
            format!("<html>bad client {CLIENT_SECRET}</html>"),
        ),
    ];
    for (status, body) in cases {
        server.lock().unwrap().answer = Some((status, body));
        let err = oauth.exchange_code(CODE).await.unwrap_err();
        assert!(
            matches!(err, Error::Api { operation: "oauth_token", status: s, .. } if s == status.as_u16()),
            "{err:?}"
        );
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(CODE) && !shown.contains(CLIENT_SECRET),
            "{shown}"
        );
    }
    let text = {
        server.lock().unwrap().answer = Some((
            StatusCode::BAD_REQUEST,
            r#"{"error":"invalid_grant"}"#.into(),
        ));
        oauth.exchange_code(CODE).await.unwrap_err().to_string()
    };
    assert!(
        text.contains("400") && text.contains("invalid_grant"),
        "{text}"
    );

    // A 200 that is not a token: a decode error whose snippet hides token values.
    server.lock().unwrap().answer = Some((
        StatusCode::OK,
        r#"{"access_token":"tok-leaky-123","token_type":7}"#.into(),
    ));
    let err = oauth.exchange_code(CODE).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Decode {
                operation: "oauth_token",
                ..
            }
        ),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("tok-leaky-123") && shown.contains("token_type"),
        "{shown}"
    );

    // Nothing listening: a transport error, nothing sent.
    let closed = {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/oauth/token", socket.local_addr().unwrap())
    };
    let err = self::oauth(&closed).exchange_code(CODE).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "oauth_token",
                ..
            }
        ) && err.never_reached_server(),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));

    // Refused before any request.
    let before = server.lock().unwrap().seen.len();
    assert!(matches!(
        oauth.exchange_code("").await,
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(server.lock().unwrap().seen.len(), before);
    assert!(
        OAuthClient::new("app", CLIENT_SECRET, "https://e.com/cb")
            .unwrap()
            .token_endpoint("http://example.com/token")
            .is_err()
    );
}
