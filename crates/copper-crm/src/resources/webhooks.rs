//! Webhook subscriptions: `client.webhooks()`.

use copper_crm_raw::ClientWebhooksExt;
use copper_crm_raw::types;

use crate::{Client, Error};

/// The account's webhook subscriptions (at most 100): `client.webhooks()`.
///
/// Notifications themselves arrive at your server; this handle only manages
/// the subscriptions.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
/// # let client = copper_crm::Client::builder()
/// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
/// #     .base_url(sim.base_url())
/// #     .rate_limits(copper_crm::RateLimits::unlimited())
/// #     .build()?;
/// use copper_crm::types::WebhookCreate;
///
/// let webhooks = client.webhooks();
/// assert!(webhooks.list().await?.is_empty());
/// // The simulator takes loopback targets; Copper wants `https://`.
/// let hook = webhooks
///     .create(
///         WebhookCreate::builder()
///             .target("http://127.0.0.1:9/copper".to_string())
///             .type_("person".to_string())
///             .event("new".to_string()),
///     )
///     .await?;
/// let ids: Vec<i64> = webhooks.list().await?.iter().map(|h| h.id).collect();
/// assert_eq!(ids, [hook.id]);
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'c> {
    client: &'c Client,
}

impl Client {
    /// The webhook subscriptions resource.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let subscriptions = client.webhooks().list().await?;
    /// # let _ = subscriptions; Ok(()) }
    /// ```
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }
}

impl Webhooks<'_> {
    /// Every subscription.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for hook in client.webhooks().list().await? {
    ///     println!("{}: {} {} -> {}", hook.id, hook.type_, hook.event, hook.target);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<types::Webhook>, Error> {
        Ok(self
            .client
            .send("webhooks_list", self.client.raw().webhooks_list().send())
            .await?
            .0)
    }

    /// Fetch one subscription.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let hook = client.webhooks().get(17065).await?;
    /// # let _ = hook; Ok(()) }
    /// ```
    pub async fn get(&self, id: i64) -> Result<types::Webhook, Error> {
        self.client
            .send(
                "webhooks_get",
                self.client.raw().webhooks_get().id(id).send(),
            )
            .await
    }

    /// Subscribe an `https://` target to one event (`new`, `update`,
    /// `delete`) of one record type. Copper answers 422 for a target it does
    /// not accept.
    ///
    /// ```no_run
    /// use copper_crm::types::WebhookCreate;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let hook = client.webhooks().create(
    ///     WebhookCreate::builder()
    ///         .target("https://hooks.example.com/copper".to_string())
    ///         .type_("person".to_string())
    ///         .event("new".to_string()),
    /// ).await?;
    /// println!("subscription {}", hook.id);
    /// # Ok(()) }
    /// ```
    pub async fn create<T>(&self, subscription: T) -> Result<types::Webhook, Error>
    where
        T: TryInto<types::WebhookCreate>,
        T::Error: std::fmt::Display,
    {
        let body = subscription
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("webhooks_create: {e}")))?;
        self.client
            .send(
                "webhooks_create",
                self.client.raw().webhooks_create().body(body).send(),
            )
            .await
    }

    /// Change a subscription's target, secret, headers or computed-values
    /// flag (only what is set changes).
    ///
    /// ```no_run
    /// use copper_crm::types::WebhookUpdate;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let change = WebhookUpdate::builder().target(Some("https://hooks.example.com/v2".to_string()));
    /// let hook = client.webhooks().update(17065, change).await?;
    /// # let _ = hook; Ok(()) }
    /// ```
    pub async fn update<T>(&self, id: i64, change: T) -> Result<types::Webhook, Error>
    where
        T: TryInto<types::WebhookUpdate>,
        T::Error: std::fmt::Display,
    {
        let body = change
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("webhooks_update: {e}")))?;
        self.client
            .send(
                "webhooks_update",
                self.client.raw().webhooks_update().id(id).body(body).send(),
            )
            .await
    }

    /// Delete a subscription.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let gone = client.webhooks().delete(17065).await?;
    /// assert_eq!(gone.id, 17065);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: i64) -> Result<types::WebhookDeleteResult, Error> {
        self.client
            .send(
                "webhooks_delete",
                self.client.raw().webhooks_delete().id(id).send(),
            )
            .await
    }
}
