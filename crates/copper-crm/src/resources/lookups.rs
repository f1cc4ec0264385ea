//! The account and its users.

use copper_crm_raw::types;
use copper_crm_raw::{ClientAccountExt, ClientUsersExt};

use crate::{Client, Error};

/// The account: `client.account()`.
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
/// let account = client.account().get().await?;
/// assert_eq!(account.name, "Copper Sim Account");
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Account<'c> {
    client: &'c Client,
}

/// Users of the account: `client.users()`.
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
/// let me = client.users().me().await?;
/// assert_eq!(me.email, copper_crm_sim::DEFAULT_EMAIL);
/// assert_eq!(client.users().get(me.id).await?.name, me.name);
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Users<'c> {
    pub(crate) client: &'c Client,
}

impl Client {
    /// The account resource.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let account = client.account().get().await?;
    /// println!("{}", account.name);
    /// # Ok(()) }
    /// ```
    pub fn account(&self) -> Account<'_> {
        Account { client: self }
    }

    /// The users resource.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let me = client.users().me().await?;
    /// # let _ = me; Ok(()) }
    /// ```
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

impl Account<'_> {
    /// Fetch the account's details.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let account = client.account().get().await?;
    /// # let _ = account; Ok(()) }
    /// ```
    pub async fn get(&self) -> Result<types::Account, Error> {
        self.client
            .send("account_get", self.client.raw().account_get().send())
            .await
    }
}

impl Users<'_> {
    /// The user the credentials belong to.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let me = client.users().me().await?;
    /// println!("{} <{}>", me.name, me.email);
    /// # Ok(()) }
    /// ```
    pub async fn me(&self) -> Result<types::User, Error> {
        self.client
            .send("users_me", self.client.raw().users_me().send())
            .await
    }

    /// Fetch a user by id.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let user = client.users().get(137658).await?;
    /// # let _ = user; Ok(()) }
    /// ```
    pub async fn get(&self, id: i64) -> Result<types::User, Error> {
        self.client
            .send("users_get", self.client.raw().users_get().id(id).send())
            .await
    }
}
