//! Files attached to a record: `client.files(record_type, id)`.

use copper_crm_raw::ClientFilesExt;
use copper_crm_raw::types;

use super::RecordType;
use crate::{Client, Error};

/// The files attached to one lead, person, company, opportunity or project
/// (tasks have none): `client.files(record_type, id)`. Only metadata is
/// available through the API, not the contents.
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
/// let michael = client.people().fetch_by_email("michael@dundermifflin.com").await?;
/// let company_id = michael.company_id.expect("Michael works at Dunder Mifflin");
/// let files = client.files(RecordType::Company, company_id);
/// let all = files.list().await?;
/// assert_eq!(all.len(), 1);
/// assert_eq!(all[0].file_name, "price-list.pdf");
/// assert_eq!(files.get(all[0].id).await?.file_size, 48_213);
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Files<'c> {
    client: &'c Client,
    record_type: RecordType,
    id: i64,
}

impl Client {
    /// The files attached to record `id` of `record_type`.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for file in client.files(RecordType::Lead, 210110).list().await? {
    ///     println!("{} ({} bytes)", file.file_name, file.file_size);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn files(&self, record_type: RecordType, id: i64) -> Files<'_> {
        Files {
            client: self,
            record_type,
            id,
        }
    }
}

impl Files<'_> {
    /// The metadata of every attached file.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let files = client.files(RecordType::Project, 42).list().await?;
    /// # let _ = files; Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<types::File>, Error> {
        let call = self
            .client
            .raw()
            .files_list()
            .entity_type(self.record_type.file_entity()?)
            .entity_id(self.id);
        Ok(self.client.send("files_list", call.send()).await?.0)
    }

    /// The metadata of one attached file.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let file = client.files(RecordType::Lead, 210110).get(2556402).await?;
    /// println!("{} {}", file.file_name, file.content_type);
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, file_id: i64) -> Result<types::File, Error> {
        let call = self
            .client
            .raw()
            .files_get()
            .entity_type(self.record_type.file_entity()?)
            .entity_id(self.id)
            .file_id(file_id);
        self.client.send("files_get", call.send()).await
    }

    /// Attach an already uploaded file by its storage `key` (step 3 of
    /// Copper's upload; how to obtain a key is not documented).
    ///
    /// ```no_run
    /// use copper_crm::{RecordType, types::FileAttach};
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let file = client.files(RecordType::Lead, 210110).attach(FileAttach {
    ///     file_name: "cat.jpeg".into(),
    ///     key: "temp_uploads/f0317718-9b56-4d28-bda4-985af6b75f56/b0c5afe5-3d87-495d-ae58-760fcafbadec".into(),
    /// }).await?;
    /// println!("attached as {}", file.id);
    /// # Ok(()) }
    /// ```
    pub async fn attach<T>(&self, file: T) -> Result<types::File, Error>
    where
        T: TryInto<types::FileAttach>,
        T::Error: std::fmt::Display,
    {
        let body = file
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("files_attach: {e}")))?;
        let call = self
            .client
            .raw()
            .files_attach()
            .entity_type(self.record_type.file_entity()?)
            .entity_id(self.id)
            .body(body);
        self.client.send("files_attach", call.send()).await
    }
}
