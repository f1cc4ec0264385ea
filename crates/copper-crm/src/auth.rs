//! Credentials and how they become request headers.
//!
//! Copper accepts an API key (three `X-PW-*` headers) or an OAuth 2.0 access
//! token (`Authorization: Bearer`). Both are held as [`secrecy::SecretString`]
//! and sent as *sensitive* default headers, so they never appear in `Debug`
//! output, logs or errors.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::Error;

/// How a [`Client`](crate::Client) authenticates.
///
/// ```
/// use copper_crm::Credentials;
///
/// let key = Credentials::api_key("my-key", "me@example.com");
/// let token = Credentials::oauth_token("my-token");
/// // Secrets never show up in Debug output.
/// assert!(!format!("{key:?}{token:?}").contains("my-"));
/// ```
#[derive(Clone)]
pub enum Credentials {
    /// An API key and the email of the user who generated it.
    ApiKey {
        /// The key (`X-PW-AccessToken`).
        key: SecretString,
        /// The owner's email (`X-PW-UserEmail`).
        email: SecretString,
    },
    /// An OAuth 2.0 access token (`Authorization: Bearer`).
    OAuthToken(SecretString),
}

impl Credentials {
    /// API-key credentials.
    ///
    /// ```
    /// use copper_crm::Credentials;
    ///
    /// let credentials = Credentials::api_key("my-key", "me@example.com");
    /// assert!(matches!(credentials, Credentials::ApiKey { .. }));
    /// assert_eq!(format!("{credentials:?}"), r#"ApiKey { key: "[REDACTED]", email: "[REDACTED]" }"#);
    /// ```
    pub fn api_key(key: impl Into<String>, email: impl Into<String>) -> Self {
        Credentials::ApiKey {
            key: SecretString::from(key.into()),
            email: SecretString::from(email.into()),
        }
    }

    /// OAuth bearer-token credentials.
    ///
    /// ```
    /// use copper_crm::Credentials;
    ///
    /// let credentials = Credentials::oauth_token("my-token");
    /// assert!(matches!(credentials, Credentials::OAuthToken(_)));
    /// assert_eq!(format!("{credentials:?}"), r#"OAuthToken("[REDACTED]")"#);
    /// ```
    pub fn oauth_token(token: impl Into<String>) -> Self {
        Credentials::OAuthToken(SecretString::from(token.into()))
    }

    /// The headers these credentials add to every request, all but
    /// `X-PW-Application` marked sensitive.
    pub(crate) fn headers(&self) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        match self {
            Credentials::ApiKey { key, email } => {
                headers.insert(
                    HeaderName::from_static("x-pw-accesstoken"),
                    sensitive(key.expose_secret(), "API key")?,
                );
                headers.insert(
                    HeaderName::from_static("x-pw-application"),
                    HeaderValue::from_static("developer_api"),
                );
                headers.insert(
                    HeaderName::from_static("x-pw-useremail"),
                    sensitive(email.expose_secret(), "user email")?,
                );
            }
            Credentials::OAuthToken(token) => {
                if token.expose_secret().trim().is_empty() {
                    return Err(Error::InvalidInput("the OAuth token is empty".into()));
                }
                headers.insert(
                    AUTHORIZATION,
                    sensitive(&format!("Bearer {}", token.expose_secret()), "OAuth token")?,
                );
            }
        }
        Ok(headers)
    }
}

fn sensitive(value: &str, what: &str) -> Result<HeaderValue, Error> {
    if value.trim().is_empty() {
        return Err(Error::InvalidInput(format!("the {what} is empty")));
    }
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        // Never echo the value itself.
        Error::InvalidInput(format!(
            "the {what} contains characters that cannot be sent in an HTTP header"
        ))
    })?;
    v.set_sensitive(true);
    Ok(v)
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiKey { .. } => f
                .debug_struct("ApiKey")
                .field("key", &"[REDACTED]")
                .field("email", &"[REDACTED]")
                .finish(),
            Credentials::OAuthToken(_) => f.debug_tuple("OAuthToken").field(&"[REDACTED]").finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_headers_are_sensitive_and_complete() {
        let h = Credentials::api_key("k-123", "me@example.com")
            .headers()
            .unwrap();
        assert_eq!(h["x-pw-accesstoken"], "k-123");
        assert!(h["x-pw-accesstoken"].is_sensitive());
        assert!(h["x-pw-useremail"].is_sensitive());
        assert_eq!(h["x-pw-application"], "developer_api");
    }

    #[test]
    fn bearer_header_is_sensitive() {
        let h = Credentials::oauth_token("t-9").headers().unwrap();
        assert_eq!(h[AUTHORIZATION], "Bearer t-9");
        assert!(h[AUTHORIZATION].is_sensitive());
    }

    #[test]
    fn bad_secrets_are_refused_without_echoing_them() {
        let err = Credentials::api_key("bad\nkey-SECRET", "me@example.com")
            .headers()
            .unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
        assert!(Credentials::oauth_token("  ").headers().is_err());
    }
}
