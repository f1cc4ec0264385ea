//! Tags: `client.tags()`.

use copper_crm_raw::ClientTagsExt;
use copper_crm_raw::types::{self, TagListItem};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::{Client, Error};

/// How [`Tags::list`] sorts.
///
/// ```
/// assert_eq!(copper_crm::resources::TagSort::Count.as_str(), "count");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagSort {
    /// By name (Copper's default).
    #[default]
    Name,
    /// By the total number of uses.
    Count,
}

impl TagSort {
    /// The `sort_by` value.
    ///
    /// ```
    /// assert_eq!(copper_crm::resources::TagSort::Name.as_str(), "name");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TagSort::Name => "name",
            TagSort::Count => "count",
        }
    }
}

/// The account's tags: `client.tags()`.
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
/// use copper_crm::resources::TagSort;
/// use futures::TryStreamExt;
///
/// let tags = client.tags().list(TagSort::Name).await?;
/// let paper = tags.iter().find(|t| t.name == "paper").unwrap();
/// assert_eq!(paper.count_people, 4);
/// let names: Vec<String> = client.tags().names().try_collect().await?;
/// assert!(names.iter().any(|n| n == "paper"));
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Tags<'c> {
    client: &'c Client,
}

impl Client {
    /// The tags resource.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let tags = client.tags().list(Default::default()).await?;
    /// # let _ = tags; Ok(()) }
    /// ```
    pub fn tags(&self) -> Tags<'_> {
        Tags { client: self }
    }
}

impl Tags<'_> {
    /// Every tag with its usage counts.
    ///
    /// ```no_run
    /// use copper_crm::resources::TagSort;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for tag in client.tags().list(TagSort::Count).await? {
    ///     println!("{}: {} uses ({} people)", tag.name, tag.count, tag.count_people);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, sort: TagSort) -> Result<Vec<types::Tag>, Error> {
        let call = self
            .client
            .raw()
            .tags_list()
            .sort_by(sort.as_str().to_string());
        let items = self.client.send("tags_list", call.send()).await?.0;
        items
            .into_iter()
            .map(|item| match item {
                TagListItem::Tag(tag) => Ok(tag),
                TagListItem::String(name) => Err(Error::Decode {
                    operation: "tags_list",
                    status: Some(200),
                    message: "a tag came back as a bare name although counts were asked for".into(),
                    snippet: crate::error::snippet(name.as_bytes()),
                }),
            })
            .collect()
    }

    /// Every tag name, in alphabetical order, as a stream: Copper answers
    /// names only (`tag_names_only=true`) in pages of up to 10,000, and the
    /// stream asks for the names after the last one received
    /// (`last_tag_value`) until a page comes back empty.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let names: Vec<String> = client.tags().names().try_collect().await?;
    /// println!("{} tags", names.len());
    /// # Ok(()) }
    /// ```
    pub fn names(&self) -> BoxStream<'static, Result<String, Error>> {
        let client = self.client.clone();
        let pages = stream::try_unfold(Some(None::<String>), move |after| {
            let client = client.clone();
            async move {
                let Some(after) = after else { return Ok(None) };
                let mut call = client.raw().tags_list().tag_names_only(true);
                if let Some(last) = &after {
                    call = call.last_tag_value(last.clone());
                }
                let items = client.send("tags_list", call.send()).await?.0;
                let mut names: Vec<String> = items
                    .into_iter()
                    .map(|item| match item {
                        TagListItem::String(name) => name,
                        TagListItem::Tag(tag) => tag.name,
                    })
                    .collect();
                // A correct answer holds only names after the cursor; one that
                // ends at the cursor again ignored it, and must not loop.
                if after.is_some() && names.last() == after.as_ref() {
                    names.clear();
                }
                let next = names.last().cloned().map(Some);
                Ok::<_, Error>(if names.is_empty() {
                    None
                } else {
                    Some((names, next))
                })
            }
        });
        pages
            .map_ok(|names| stream::iter(names.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
