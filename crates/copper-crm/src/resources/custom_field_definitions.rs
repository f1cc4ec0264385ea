//! Custom field definitions: `client.custom_field_definitions()`, the plain
//! operations (the cached registry of definitions is built on them).

use copper_crm_raw::ClientCustomFieldsExt;
use copper_crm_raw::types;

use crate::{Client, Error};

/// The account's custom field definitions: `client.custom_field_definitions()`.
///
/// Every call here goes to Copper; nothing is cached. Creating, changing or
/// deleting a definition makes the client's cached
/// [registry](crate::custom_fields::CustomFieldsHandle::registry) fetch again
/// on its next use.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sim = copper_crm_sim::Sim::builder().seed_demo(true).limits(copper_crm_sim::Limits::Off).start().await?;
/// # let client = copper_crm::Client::builder()
/// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
/// #     .base_url(sim.base_url())
/// #     .rate_limits(copper_crm::RateLimits::unlimited())
/// #     .build()?;
/// let definitions = client.custom_field_definitions().list().await?;
/// let color = definitions.iter().find(|d| d.name == "Color").unwrap();
/// assert_eq!(color.data_type, "Dropdown");
/// assert_eq!(color.options.as_ref().map(Vec::len), Some(3));
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CustomFieldDefinitions<'c> {
    client: &'c Client,
}

impl Client {
    /// The custom field definitions resource.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let all = client.custom_field_definitions().list().await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub fn custom_field_definitions(&self) -> CustomFieldDefinitions<'_> {
        CustomFieldDefinitions { client: self }
    }
}

impl CustomFieldDefinitions<'_> {
    /// List every definition.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for def in client.custom_field_definitions().list().await? {
    ///     println!("{} {} ({})", def.id, def.name, def.data_type);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<types::CustomFieldDefinition>, Error> {
        let call = self.client.raw().custom_field_definitions_list();
        Ok(self
            .client
            .send("custom_field_definitions_list", call.send())
            .await?
            .0)
    }

    /// Fetch one definition.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let def = client.custom_field_definitions().get(100764).await?;
    /// # let _ = def; Ok(()) }
    /// ```
    pub async fn get(&self, id: i64) -> Result<types::CustomFieldDefinition, Error> {
        let call = self.client.raw().custom_field_definitions_get().id(id);
        self.client
            .send("custom_field_definitions_get", call.send())
            .await
    }

    /// Create a definition (a value or a generated builder).
    ///
    /// ```no_run
    /// use copper_crm::types::{CustomFieldDefinitionCreate, CustomFieldOptionInput};
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let new = CustomFieldDefinitionCreate::builder()
    ///     .name("Favorite Flavor".to_string())
    ///     .data_type("Dropdown".to_string())
    ///     .available_on(vec!["person".to_string()])
    ///     .options(vec![CustomFieldOptionInput { name: "Chocolate".into() }]);
    /// let def = client.custom_field_definitions().create(new).await?;
    /// # let _ = def; Ok(()) }
    /// ```
    pub async fn create<T>(&self, definition: T) -> Result<types::CustomFieldDefinition, Error>
    where
        T: TryInto<types::CustomFieldDefinitionCreate>,
        T::Error: std::fmt::Display,
    {
        let body = definition
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("custom_field_definitions_create: {e}")))?;
        let call = self
            .client
            .raw()
            .custom_field_definitions_create()
            .body(body);
        let answer = self
            .client
            .send("custom_field_definitions_create", call.send())
            .await;
        // The cached registry no longer matches the account.
        self.client.inner.registry.invalidate();
        answer
    }

    /// Change a definition: only the attributes set change (`options`, when
    /// set, replaces the whole option list).
    ///
    /// ```no_run
    /// use copper_crm::types::CustomFieldDefinitionUpdate;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let rename = CustomFieldDefinitionUpdate::builder().name(Some("Flavor".to_string()));
    /// let def = client.custom_field_definitions().update(100764, rename).await?;
    /// # let _ = def; Ok(()) }
    /// ```
    pub async fn update<T>(&self, id: i64, change: T) -> Result<types::CustomFieldDefinition, Error>
    where
        T: TryInto<types::CustomFieldDefinitionUpdate>,
        T::Error: std::fmt::Display,
    {
        let body = change
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("custom_field_definitions_update: {e}")))?;
        let call = self
            .client
            .raw()
            .custom_field_definitions_update()
            .id(id)
            .body(body);
        let answer = self
            .client
            .send("custom_field_definitions_update", call.send())
            .await;
        // The cached registry no longer matches the account.
        self.client.inner.registry.invalidate();
        answer
    }

    /// Delete a definition (and its values on every record).
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let gone = client.custom_field_definitions().delete(100764).await?;
    /// assert!(gone.is_deleted.unwrap_or(false));
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: i64) -> Result<types::DeleteResult, Error> {
        let call = self.client.raw().custom_field_definitions_delete().id(id);
        let answer = self
            .client
            .send("custom_field_definitions_delete", call.send())
            .await;
        // The cached registry no longer matches the account.
        self.client.inner.registry.invalidate();
        answer
    }
}
