//! The paging state machine behind [`SearchStream`](super::SearchStream):
//! date windows under the cap, page by page, with deduplication at page
//! boundaries.
//!
//! Memory: one page of records, the stack of pending windows (one entry per
//! bisection level, so at most ~64), and the ids of the records that share
//! the latest date seen (needed to drop repeats within that second).

use std::collections::HashSet;
use std::num::NonZeroU64;

use copper_crm_raw::types::SortDirection;

use super::Page;
use super::query::{SearchQuery, SplitField};
use crate::{Client, Error};

/// The sort the stream asks for unless the body sets its own.
const STABLE_SORT_FIELD: &str = "date_created";

/// An inclusive range of unix seconds; `None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    from: Option<i64>,
    to: Option<i64>,
}

/// How records come back from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// By the split date, ties by id, in this direction: windows are walked
    /// in the same direction and page boundaries deduplicated.
    Stable { newest_first: bool },
    /// The caller chose `sort_by`/`sort_direction` (or the search has no
    /// date): windows are walked oldest first, nothing is deduplicated.
    Custom,
}

/// The window being paged through.
#[derive(Debug)]
struct Active {
    window: Window,
    /// The next page to ask for.
    next_page: u64,
    /// Records received from this window so far (repeats included).
    received: u64,
}

/// Remembers where a stably ordered walk is, to drop records seen before.
#[derive(Debug, Default)]
struct Cursor {
    /// The date of the latest record yielded.
    date: Option<i64>,
    /// The ids yielded with exactly that date.
    ids_at_date: HashSet<i64>,
}

impl Cursor {
    /// Whether a record at `date` with `id` is new to the walk. Records
    /// before the cursor (in walk order) were yielded already, or were
    /// inserted behind it after the walk started.
    fn admit(&mut self, date: Option<i64>, id: i64, newest_first: bool) -> bool {
        let Some(date) = date else { return true };
        match self.date {
            Some(current) if current == date => self.ids_at_date.insert(id),
            Some(current) if (date < current) != newest_first => false,
            _ => {
                self.date = Some(date);
                self.ids_at_date.clear();
                self.ids_at_date.insert(id);
                true
            }
        }
    }
}

/// What to do after a page of the active window.
enum AfterPage {
    More,
    WindowDone,
    /// Paging reached the cap with full pages: more records may follow.
    CapReached,
    /// A short page although `X-PW-TOTAL` counts more records: the server's
    /// cap may be lower than ours (or its total an overestimate).
    ShortOfTotal,
}

/// Walks one search, window by window and page by page.
pub(crate) struct Walker<Q: SearchQuery> {
    client: Client,
    query: Q,
    page_size: NonZeroU64,
    cap: u64,
    order: Order,
    /// Windows still to walk; the last one is next.
    pending: Vec<Window>,
    active: Option<Active>,
    cursor: Cursor,
    total_estimate: Option<u64>,
    first_request_done: bool,
    pages_yielded: u64,
}

impl<Q: SearchQuery> Walker<Q> {
    pub(crate) fn new(client: Client, mut query: Q, page_size: NonZeroU64, cap: u64) -> Self {
        let order = match Q::SPLIT {
            None => Order::Custom,
            Some(SplitField::ActivityDate) => Order::Stable { newest_first: true },
            Some(SplitField::Created) => match query.sort() {
                (None | Some(STABLE_SORT_FIELD), None | Some(SortDirection::Asc)) => {
                    query.set_sort(STABLE_SORT_FIELD, SortDirection::Asc);
                    Order::Stable {
                        newest_first: false,
                    }
                }
                _ => Order::Custom,
            },
        };
        let (from, to) = query.window();
        Walker {
            client,
            query,
            page_size,
            cap,
            order,
            pending: vec![Window { from, to }],
            active: None,
            cursor: Cursor::default(),
            total_estimate: None,
            first_request_done: false,
            pages_yielded: 0,
        }
    }

    /// The query for one page of the search as the caller gave it (in the
    /// walk's order, without splitting).
    pub(crate) fn first_request(&self, page: NonZeroU64, size: NonZeroU64) -> Q {
        let (from, to) = self.query.window();
        self.request(Window { from, to }, page, size)
    }

    /// The query for one page of one window.
    fn request(&self, window: Window, page: NonZeroU64, size: NonZeroU64) -> Q {
        let mut q = self.query.clone();
        q.set_window(window.from, window.to);
        q.set_page(page, size);
        q
    }

    async fn fetch(
        &mut self,
        window: Window,
        page: u64,
    ) -> Result<(Vec<Q::Record>, Option<u64>), Error> {
        let page = NonZeroU64::new(page).unwrap_or(NonZeroU64::MIN);
        let (records, total) = self
            .request(window, page, self.page_size)
            .send(self.client.clone())
            .await?;
        if !self.first_request_done {
            self.first_request_done = true;
            self.total_estimate = total;
        }
        Ok((records, total))
    }

    /// The next non-empty page, or `None` at the end.
    pub(crate) async fn next_page(&mut self) -> Result<Option<Page<Q::Record>>, Error> {
        loop {
            if let Some(active) = &self.active {
                let (window, page) = (active.window, active.next_page);
                let (records, total) = self.fetch(window, page).await?;
                if let Some(page) = self.take_page(window, page, records, total)? {
                    return Ok(Some(page));
                }
                continue;
            }
            let Some(window) = self.pending.pop() else {
                return Ok(None);
            };
            // The first page of a window tells its total: walk it, or split it.
            let (records, total) = self.fetch(window, 1).await?;
            match total {
                Some(total) if total > self.cap => {
                    let first_date = records.first().and_then(Q::record_date);
                    self.split(window, total, first_date).await?
                }
                _ => {
                    self.active = Some(Active {
                        window,
                        next_page: 1,
                        received: 0,
                    });
                    if let Some(page) = self.take_page(window, 1, records, total)? {
                        return Ok(Some(page));
                    }
                }
            }
        }
    }

    /// Account for page `number` of the active `window`: deduplicate it,
    /// decide what comes next, and hand back its records if any are new.
    fn take_page(
        &mut self,
        window: Window,
        number: u64,
        mut records: Vec<Q::Record>,
        total: Option<u64>,
    ) -> Result<Option<Page<Q::Record>>, Error> {
        let size = self.page_size.get();
        let count = records.len() as u64;
        let received = match &mut self.active {
            Some(active) => {
                active.received += count;
                active.received
            }
            None => count,
        };
        let all_counted = total.is_some_and(|t| received >= t);
        let after = if count < size {
            if all_counted || total.is_none() {
                AfterPage::WindowDone
            } else {
                AfterPage::ShortOfTotal
            }
        } else if all_counted {
            AfterPage::WindowDone
        } else if number.saturating_mul(size) >= self.cap {
            AfterPage::CapReached
        } else {
            AfterPage::More
        };
        if let Order::Stable { newest_first } = self.order {
            let cursor = &mut self.cursor;
            records.retain(|r| cursor.admit(Q::record_date(r), Q::record_id(r), newest_first));
        }
        match after {
            AfterPage::More => {
                if let Some(active) = &mut self.active {
                    active.next_page = number + 1;
                }
            }
            AfterPage::WindowDone => self.active = None,
            AfterPage::CapReached => {
                self.active = None;
                if !self.resume_from_cursor(window) {
                    return Err(self.cannot_resume(window, total));
                }
            }
            AfterPage::ShortOfTotal => {
                self.active = None;
                self.resume_from_cursor(window);
            }
        }
        if records.is_empty() {
            return Ok(None);
        }
        self.pages_yielded += 1;
        Ok(Some(Page {
            records,
            page_number: self.pages_yielded,
            total_estimate: self.total_estimate,
        }))
    }

    /// The active window may hold more records than paging reached. In a
    /// stable order, go on from the cursor's date: first that one second
    /// again (its records already yielded are dropped by the cursor), then
    /// the rest of the window. Not possible (false) for a custom order, when
    /// the cursor is outside the window, or when the window is that one
    /// second already; each resumption shrinks the window, so it ends.
    fn resume_from_cursor(&mut self, window: Window) -> bool {
        let (Order::Stable { newest_first }, Some(date)) = (self.order, self.cursor.date) else {
            return false;
        };
        let inside = window.from.is_none_or(|f| f <= date) && window.to.is_none_or(|t| date <= t);
        let single_second = window.from == Some(date) && window.to == Some(date);
        if !inside || single_second {
            return false;
        }
        let second = Window {
            from: Some(date),
            to: Some(date),
        };
        let rest = if newest_first {
            date.checked_sub(1).map(|to| Window {
                from: window.from,
                to: Some(to),
            })
        } else {
            date.checked_add(1).map(|from| Window {
                from: Some(from),
                to: window.to,
            })
        };
        tracing::debug!(
            operation = Q::OPERATION,
            date,
            "search window paged to the cap: resuming from its last date"
        );
        if let Some(rest) = rest.filter(|w| !is_empty(w)) {
            self.pending.push(rest);
        }
        self.pending.push(second);
        true
    }

    /// The error when a window reached the cap and cannot be resumed.
    fn cannot_resume(&self, window: Window, total: Option<u64>) -> Error {
        match (self.order, self.cursor.date) {
            (Order::Stable { .. }, Some(date))
                if window.from == Some(date) && window.to == Some(date) =>
            {
                Error::SearchCapExceeded {
                    operation: Q::OPERATION,
                    total: total.unwrap_or(self.cap),
                    cap: self.cap,
                    second: date,
                }
            }
            _ => Error::SearchNotSplittable {
                operation: Q::OPERATION,
                total,
                cap: self.cap,
                reason: match (Q::SPLIT, self.order) {
                    (None, _) => "it has no date filter to split by",
                    (Some(_), Order::Custom) => {
                        "it is sorted by a custom sort_by, so it cannot be resumed in order"
                    }
                    (Some(_), Order::Stable { .. }) => {
                        "no record of the window could be placed by date"
                    }
                },
            },
        }
    }

    /// Split a window whose total exceeds the cap in two halves by date and
    /// queue them (in walk order). `first_date` is the date of the first
    /// record of the window's first page.
    async fn split(
        &mut self,
        window: Window,
        total: u64,
        first_date: Option<i64>,
    ) -> Result<(), Error> {
        let Some(field) = Q::SPLIT else {
            return Err(Error::SearchNotSplittable {
                operation: Q::OPERATION,
                total: Some(total),
                cap: self.cap,
                reason: "it has no date filter to split by",
            });
        };
        let (oldest, newest) = match field {
            SplitField::Created => {
                let oldest = match window.from {
                    Some(from) => Some(from),
                    None if self.order
                        == (Order::Stable {
                            newest_first: false,
                        }) =>
                    {
                        first_date
                    }
                    None => self.edge(window, SortDirection::Asc).await?,
                };
                let newest = match window.to {
                    Some(to) => Some(to),
                    None => self.edge(window, SortDirection::Desc).await?,
                };
                (oldest, newest)
            }
            SplitField::ActivityDate => {
                // Newest first is the only order; the oldest date cannot be
                // asked for, so bisect from the epoch (the oldest window
                // stays open below, so nothing older is lost).
                let newest = window.to.or(first_date);
                let oldest = window
                    .from
                    .or_else(|| newest.map(|n| if n > 0 { 0 } else { n.saturating_sub(1 << 32) }));
                (oldest, newest)
            }
        };
        // No records any more (deleted meanwhile): nothing to walk.
        let (Some(oldest), Some(newest)) = (oldest, newest) else {
            return Ok(());
        };
        if oldest >= newest {
            return Err(Error::SearchCapExceeded {
                operation: Q::OPERATION,
                total,
                cap: self.cap,
                second: oldest,
            });
        }
        let mid = midpoint(oldest, newest);
        let older = Window {
            from: window.from,
            to: Some(mid),
        };
        let newer = Window {
            from: Some(mid + 1),
            to: window.to,
        };
        tracing::debug!(
            operation = Q::OPERATION,
            total,
            cap = self.cap,
            oldest,
            newest,
            mid,
            "search over the cap: splitting its date window"
        );
        match self.order {
            Order::Stable { newest_first: true } => {
                self.pending.push(older);
                self.pending.push(newer);
            }
            _ => {
                self.pending.push(newer);
                self.pending.push(older);
            }
        }
        Ok(())
    }

    /// The oldest or newest `date_created` within `window`.
    async fn edge(&self, window: Window, direction: SortDirection) -> Result<Option<i64>, Error> {
        let mut q = self.request(window, NonZeroU64::MIN, NonZeroU64::MIN);
        q.set_sort(STABLE_SORT_FIELD, direction);
        let (records, _) = q.send(self.client.clone()).await?;
        Ok(records.first().and_then(Q::record_date))
    }
}

/// Whether an inclusive window can hold nothing.
fn is_empty(w: &Window) -> bool {
    matches!((w.from, w.to), (Some(f), Some(t)) if f > t)
}

/// The floor of the mean, without overflow.
fn midpoint(a: i64, b: i64) -> i64 {
    ((i128::from(a) + i128::from(b)).div_euclid(2)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_drops_repeats_and_records_behind_it() {
        let mut c = Cursor::default();
        assert!(c.admit(Some(10), 1, false));
        assert!(c.admit(Some(10), 2, false));
        assert!(
            !c.admit(Some(10), 2, false),
            "repeat within the same second"
        );
        assert!(!c.admit(Some(9), 7, false), "behind the cursor");
        assert!(c.admit(Some(11), 2, false));
        assert!(!c.admit(Some(10), 3, false));
        assert!(c.admit(Some(11), 3, false));
        assert!(
            c.admit(None, 3, false),
            "records without a date are not judged"
        );
    }

    #[test]
    fn cursor_newest_first() {
        let mut c = Cursor::default();
        assert!(c.admit(Some(10), 5, true));
        assert!(!c.admit(Some(11), 6, true));
        assert!(c.admit(Some(9), 6, true));
        assert!(!c.admit(Some(9), 6, true));
    }

    #[test]
    fn midpoints() {
        assert_eq!(midpoint(0, 1), 0);
        assert_eq!(midpoint(-3, 0), -2);
        assert_eq!(midpoint(i64::MAX - 1, i64::MAX), i64::MAX - 1);
        assert_eq!(midpoint(i64::MIN, i64::MAX), -1);
        assert!(is_empty(&Window {
            from: Some(2),
            to: Some(1)
        }));
        assert!(!is_empty(&Window {
            from: None,
            to: Some(1)
        }));
    }
}
