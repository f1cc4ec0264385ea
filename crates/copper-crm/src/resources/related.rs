//! Relations between records (`client.related(..)`) and Connect-field links
//! (`client.connections()`).

use copper_crm_raw::types;
use copper_crm_raw::{ClientConnectFieldsExt, ClientRelatedItemsExt};

use super::RecordType;
use crate::{Client, Error};

/// The records related to one record: `client.related(record_type, id)`.
///
/// Relations are bidirectional and only some pairs are allowed (e.g. a person
/// relates to at most one company, a task to at most one record); Copper
/// answers an error for the others.
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
/// use copper_crm::RecordType;
///
/// let dwight = client.people().fetch_by_email("dwight@dundermifflin.com").await?;
/// let deals = client.related(RecordType::Person, dwight.id).list_by_type(RecordType::Opportunity).await?;
/// assert_eq!(deals.len(), 1);
/// assert_eq!(deals[0].type_, "opportunity");
/// let deal = client.opportunities().get(deals[0].id).await?;
/// assert_eq!(deal.name, "Paper for Scranton Business Park");
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Related<'c> {
    client: &'c Client,
    record_type: RecordType,
    id: i64,
}

impl Client {
    /// The relations of record `id` of `record_type`.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for item in client.related(RecordType::Person, 27140442).list().await? {
    ///     println!("related {} {}", item.type_, item.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn related(&self, record_type: RecordType, id: i64) -> Related<'_> {
        Related {
            client: self,
            record_type,
            id,
        }
    }
}

impl Related<'_> {
    /// Every record related to this one (`type` is singular, e.g.
    /// `opportunity`).
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let items = client.related(RecordType::Company, 9607580).list().await?;
    /// # let _ = items; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<types::RelatedItem>, Error> {
        let call = self
            .client
            .raw()
            .related_items_list()
            .entity(types::RelatedItemsListEntity::from(self.record_type))
            .id(self.id);
        Ok(self.client.send("related_items_list", call.send()).await?.0)
    }

    /// The related records of one type.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let deals = client.related(RecordType::Person, 27140442).list_by_type(RecordType::Opportunity).await?;
    /// # let _ = deals; Ok(()) }
    /// ```
    pub async fn list_by_type(
        &self,
        related_type: RecordType,
    ) -> Result<Vec<types::RelatedItem>, Error> {
        let call = self
            .client
            .raw()
            .related_items_list_by_type()
            .entity(types::RelatedItemsListByTypeEntity::from(self.record_type))
            .id(self.id)
            .related_entity(types::RelatedItemsListByTypeRelatedEntity::from(
                related_type,
            ));
        Ok(self
            .client
            .send("related_items_list_by_type", call.send())
            .await?
            .0)
    }

    /// Relate record `id` of `related_type` to this one (both must exist).
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let added = client.related(RecordType::Person, 27140442).add(RecordType::Opportunity, 2827700).await?;
    /// assert!(added.added);
    /// # Ok(()) }
    /// ```
    pub async fn add(
        &self,
        related_type: RecordType,
        id: i64,
    ) -> Result<types::RelatedItemAdded, Error> {
        let call = self
            .client
            .raw()
            .related_items_add()
            .entity(types::RelatedItemsAddEntity::from(self.record_type))
            .id(self.id)
            .body(types::RelatedItemRequest {
                resource: related_type.item(id),
            });
        self.client.send("related_items_add", call.send()).await
    }

    /// Remove the relation to record `id` of `related_type` (the records
    /// stay).
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let removed = client.related(RecordType::Person, 27140442).remove(RecordType::Company, 9607580).await?;
    /// assert!(removed.removed);
    /// # Ok(()) }
    /// ```
    pub async fn remove(
        &self,
        related_type: RecordType,
        id: i64,
    ) -> Result<types::RelatedItemRemoved, Error> {
        let call = self
            .client
            .raw()
            .related_items_remove()
            .entity(types::RelatedItemsRemoveEntity::from(self.record_type))
            .id(self.id)
            .body(types::RelatedItemRequest {
                resource: related_type.item(id),
            });
        self.client.send("related_items_remove", call.send()).await
    }
}

/// Connect-field links between records: `client.connections()`.
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
/// use copper_crm::RecordType;
///
/// let bob = client.people().fetch_by_email("bob@vancerefrigeration.com").await?;
/// let michael = client.people().fetch_by_email("michael@dundermifflin.com").await?;
/// // Bob's "Referred By" Connect field links him to Michael.
/// let links = client.connections().list(RecordType::Person.connect_type(), bob.id, None).await?;
/// assert_eq!(links.len(), 1);
/// assert_eq!(links[0].target.id, michael.id);
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Connections<'c> {
    client: &'c Client,
}

impl Client {
    /// The Connect-field links resource (`/related_links`).
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let links = client.connections().list(RecordType::Person.connect_type(), 155, None).await?;
    /// # let _ = links; Ok(()) }
    /// ```
    pub fn connections(&self) -> Connections<'_> {
        Connections { client: self }
    }
}

impl Connections<'_> {
    /// The links whose source is record (or user) `source_id` of
    /// `source_type` — a Connect-field type name such as
    /// [`RecordType::connect_type`] gives (`people`, `company`, `lead`,
    /// `opportunity`, `project`) or `user` — optionally only those of one
    /// Connect field definition.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for link in client.connections().list(RecordType::Lead.connect_type(), 1001, Some(178)).await? {
    ///     println!("{} -> {} {}", link.source.id, link.target.entity_type, link.target.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(
        &self,
        source_type: &str,
        source_id: i64,
        custom_field_definition_id: Option<i64>,
    ) -> Result<Vec<types::Connection>, Error> {
        let mut call = self
            .client
            .raw()
            .related_links_list()
            .source_type(source_type.to_string())
            .source_id(source_id);
        if let Some(definition) = custom_field_definition_id {
            call = call.custom_field_definition_id(definition);
        }
        Ok(self.client.send("related_links_list", call.send()).await?.0)
    }

    /// Link `source` to `target` under a Connect field definition.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// use copper_crm::types::{ConnectionCreate, ConnectionEndpointRef};
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let link = client.connections().create(ConnectionCreate {
    ///     custom_field_definition_id: 178,
    ///     source: ConnectionEndpointRef { entity_type: RecordType::Lead.connect_type().into(), id: 1001 },
    ///     target: ConnectionEndpointRef { entity_type: RecordType::Person.connect_type().into(), id: 155 },
    /// }).await?;
    /// println!("link {}", link.id);
    /// # Ok(()) }
    /// ```
    pub async fn create<T>(&self, connection: T) -> Result<types::Connection, Error>
    where
        T: TryInto<types::ConnectionCreate>,
        T::Error: std::fmt::Display,
    {
        let body = connection
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("related_links_create: {e}")))?;
        let call = self.client.raw().related_links_create().body(body);
        self.client.send("related_links_create", call.send()).await
    }

    /// Delete a link; Copper removes its reverse direction too and answers
    /// both ids.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let gone = client.connections().delete(40085).await?;
    /// println!("removed {:?}", gone.ids);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: i64) -> Result<types::RelatedLinkDeleteResult, Error> {
        let call = self.client.raw().related_links_delete().id(id);
        self.client.send("related_links_delete", call.send()).await
    }
}
