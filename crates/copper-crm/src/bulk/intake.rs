//! Turning the caller's records into request bodies, numbered and grouped into
//! chunks as they are pulled (never collected).

use std::fmt::Display;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::stream::{self, BoxStream, Stream, StreamExt};
use serde::Serialize;
use serde_json::Value;

/// One input record converted to the request type.
#[derive(Debug)]
pub(crate) struct Prepared<I> {
    /// The typed input (given back in `Rejected`/`Unknown` outcomes).
    pub(crate) input: I,
    /// The JSON attributes sent (without the id, for updates).
    pub(crate) body: Value,
    /// The id of the record to update.
    pub(crate) id: Option<i64>,
}

/// The caller's records, converted one by one as they are pulled.
pub(crate) type Intake<'a, I> = BoxStream<'a, Result<Prepared<I>, String>>;

/// Convert a record to the create type `I` and its JSON body.
pub(crate) fn prepare_create<I, T>(record: T) -> Result<Prepared<I>, String>
where
    I: Serialize,
    T: TryInto<I>,
    T::Error: Display,
{
    let input: I = record
        .try_into()
        .map_err(|e| format!("invalid record: {e}"))?;
    let body = object_json(&input)?;
    Ok(Prepared {
        input,
        body,
        id: None,
    })
}

/// Convert an `(id, update)` pair to the update type `U` and its JSON body.
pub(crate) fn prepare_update<U, T>((id, update): (i64, T)) -> Result<Prepared<(i64, U)>, String>
where
    U: Serialize,
    T: TryInto<U>,
    T::Error: Display,
{
    let update: U = update
        .try_into()
        .map_err(|e| format!("invalid update for id {id}: {e}"))?;
    let mut body = object_json(&update)?;
    if let Value::Object(map) = &mut body
        && let Some(named) = map.remove("id")
        && named.as_i64() != Some(id)
    {
        return Err(format!("the update for id {id} names another id: {named}"));
    }
    Ok(Prepared {
        input: (id, update),
        body,
        id: Some(id),
    })
}

fn object_json<T: Serialize>(value: &T) -> Result<Value, String> {
    match serde_json::to_value(value) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(other) => Err(format!(
            "a record must serialize to a JSON object, not {}",
            kind_of(&other)
        )),
        Err(e) => Err(format!("the record does not serialize to JSON: {e}")),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A record in flight.
#[derive(Debug)]
pub(crate) struct Item<I> {
    pub(crate) index: u64,
    pub(crate) input: I,
    pub(crate) body: Value,
    pub(crate) id: Option<i64>,
    /// Why the last attempt that carried this item was ambiguous, if one was.
    pub(crate) ambiguous: Option<String>,
    /// How many ambiguous attempts carried this item.
    pub(crate) rounds: u32,
}

impl<I> Item<I> {
    /// The JSON of this item in a bulk body (updates carry their id).
    pub(crate) fn bulk_json(&self) -> Value {
        let mut body = self.body.clone();
        if let (Some(id), Value::Object(map)) = (self.id, &mut body) {
            map.insert("id".into(), Value::from(id));
        }
        body
    }
}

/// Records pulled together: the ones to send, and the ones whose conversion
/// failed (settled without a request).
#[derive(Debug)]
pub(crate) struct Chunk<I> {
    pub(crate) items: Vec<Item<I>>,
    pub(crate) invalid: Vec<(u64, String)>,
}

/// At most this many invalid records ride along with one chunk, so an input
/// of only invalid records still moves in bounded memory.
const MAX_INVALID_PER_CHUNK: usize = 1024;

struct ChunkerState<'a, I> {
    intake: Intake<'a, I>,
    next_index: u64,
    limit: Arc<AtomicUsize>,
    exhausted: bool,
}

/// Group the intake into chunks of at most `limit` records to send. `limit`
/// is read when each chunk starts, so a learned size limit applies to the
/// next chunk.
pub(crate) fn chunks<'a, I: Send + 'a>(
    intake: Intake<'a, I>,
    limit: Arc<AtomicUsize>,
) -> impl Stream<Item = Chunk<I>> + Send + 'a {
    let state = ChunkerState {
        intake,
        next_index: 0,
        limit,
        exhausted: false,
    };
    stream::unfold(state, |mut st| async move {
        if st.exhausted {
            return None;
        }
        let limit = st.limit.load(Ordering::Relaxed).max(1);
        let mut chunk = Chunk {
            items: Vec::with_capacity(limit),
            invalid: Vec::new(),
        };
        while chunk.items.len() < limit && chunk.invalid.len() < MAX_INVALID_PER_CHUNK {
            let Some(next) = st.intake.next().await else {
                st.exhausted = true;
                break;
            };
            let index = st.next_index;
            st.next_index += 1;
            match next {
                Ok(p) => chunk.items.push(Item {
                    index,
                    input: p.input,
                    body: p.body,
                    id: p.id,
                    ambiguous: None,
                    rounds: 0,
                }),
                Err(reason) => chunk.invalid.push((index, reason)),
            }
        }
        if chunk.items.is_empty() && chunk.invalid.is_empty() {
            None
        } else {
            Some((chunk, st))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use copper_crm_raw::types;

    #[tokio::test]
    async fn chunks_number_every_record_and_follow_the_limit() {
        let limit = Arc::new(AtomicUsize::new(3));
        let records: Vec<types::builder::PersonCreate> = (0..8)
            .map(|i| {
                let b = types::PersonCreate::builder();
                // Record 4 has no name: its conversion fails.
                if i == 4 { b } else { b.name(format!("P{i}")) }
            })
            .collect();
        let intake: Intake<'_, types::PersonCreate> = stream::iter(records)
            .map(prepare_create::<types::PersonCreate, _>)
            .boxed();
        let mut s = Box::pin(chunks(intake, limit.clone()));
        let first = s.next().await.unwrap();
        assert_eq!(
            first.items.iter().map(|i| i.index).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        limit.store(2, Ordering::Relaxed);
        let second = s.next().await.unwrap();
        assert_eq!(
            second.items.iter().map(|i| i.index).collect::<Vec<_>>(),
            [3, 5]
        );
        assert_eq!(second.invalid.len(), 1);
        assert_eq!(second.invalid[0].0, 4);
        assert!(
            second.invalid[0].1.contains("name"),
            "{}",
            second.invalid[0].1
        );
        let third = s.next().await.unwrap();
        assert_eq!(
            third.items.iter().map(|i| i.index).collect::<Vec<_>>(),
            [6, 7]
        );
        assert!(s.next().await.is_none());
    }

    #[test]
    fn updates_carry_their_id_in_bulk_bodies_only() {
        let p = prepare_update::<types::PersonUpdate, _>((
            7,
            types::PersonUpdate::builder().title(Some("CTO".to_string())),
        ))
        .unwrap();
        assert_eq!(p.id, Some(7));
        assert!(p.body.get("id").is_none());
        let item = Item {
            index: 0,
            input: p.input,
            body: p.body,
            id: p.id,
            ambiguous: None,
            rounds: 0,
        };
        assert_eq!(item.bulk_json()["id"], 7);
        assert_eq!(item.bulk_json()["title"], "CTO");
        let err =
            prepare_create::<types::PersonCreate, _>(types::PersonCreate::builder()).unwrap_err();
        assert!(err.contains("invalid record"), "{err}");
    }
}
