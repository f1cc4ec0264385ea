//! A compact, contiguous column of lower-cased record names for fast name searches over
//! hundreds of thousands of records (scanning it touches a few megabytes instead of chasing a
//! pointer per record).

/// One record's name in the column; `len == DEAD` marks a deleted record.
#[derive(Clone, Copy, Debug)]
struct Slot {
    id: i64,
    start: u32,
    len: u32,
}

const DEAD: u32 = u32::MAX;

/// Lower-cased names by record id, kept sorted by id.
#[derive(Debug, Default)]
pub(crate) struct NameColumn {
    text: String,
    slots: Vec<Slot>,
    garbage: usize,
}

impl NameColumn {
    fn find(&self, id: i64) -> Result<usize, usize> {
        self.slots.binary_search_by_key(&id, |s| s.id)
    }

    fn push_text(&mut self, name: &str) -> (u32, u32) {
        let start = self.text.len();
        if name.is_ascii() {
            self.text.push_str(name);
            self.text[start..].make_ascii_lowercase();
        } else {
            for c in name.chars() {
                self.text.extend(c.to_lowercase());
            }
        }
        let len = self.text.len() - start;
        (start as u32, len as u32)
    }

    /// Set the name of a record.
    pub(crate) fn set(&mut self, id: i64, name: &str) {
        match self.find(id) {
            Ok(i) => {
                let old = self.slots[i];
                if old.len != DEAD {
                    let current = &self.text[old.start as usize..(old.start + old.len) as usize];
                    if current == name.to_lowercase() {
                        return;
                    }
                    self.garbage += old.len as usize;
                }
                let (start, len) = self.push_text(name);
                self.slots[i] = Slot { id, start, len };
            }
            Err(i) => {
                let (start, len) = self.push_text(name);
                self.slots.insert(i, Slot { id, start, len });
            }
        }
        self.maybe_compact();
    }

    /// Forget a record.
    pub(crate) fn remove(&mut self, id: i64) {
        if let Ok(i) = self.find(id) {
            let s = self.slots.remove(i);
            if s.len != DEAD {
                self.garbage += s.len as usize;
            }
        }
        self.maybe_compact();
    }

    /// Append names of records whose ids are larger than every id in the column.
    pub(crate) fn extend_sorted<'a>(&mut self, items: impl IntoIterator<Item = (i64, &'a str)>) {
        for (id, name) in items {
            debug_assert!(self.slots.last().is_none_or(|s| s.id < id));
            let (start, len) = self.push_text(name);
            self.slots.push(Slot { id, start, len });
        }
    }

    fn maybe_compact(&mut self) {
        if self.garbage > 1 << 16 && self.garbage * 2 > self.text.len() {
            let mut text = String::with_capacity(self.text.len() - self.garbage);
            for s in &mut self.slots {
                if s.len != DEAD {
                    let start = text.len();
                    text.push_str(&self.text[s.start as usize..(s.start + s.len) as usize]);
                    s.start = start as u32;
                }
            }
            self.text = text;
            self.garbage = 0;
        }
    }

    /// Ids (ascending) whose name contains `needle`, or equals it when `exact`; `needle` must
    /// already be lower-cased.
    pub(crate) fn matching(&self, needle: &str, exact: bool) -> Vec<i64> {
        let needle = needle.as_bytes();
        let text = self.text.as_bytes();
        let Some(&first) = needle.first() else {
            return self
                .slots
                .iter()
                .filter(|s| s.len != DEAD && !exact || s.len == 0)
                .map(|s| s.id)
                .collect();
        };
        self.slots
            .iter()
            .filter(|s| s.len != DEAD)
            .filter(|s| {
                let name = &text[s.start as usize..(s.start + s.len) as usize];
                if exact {
                    return name == needle;
                }
                // Short names: a first-byte scan beats setting up a substring searcher.
                name.len() >= needle.len()
                    && name[..=name.len() - needle.len()]
                        .iter()
                        .enumerate()
                        .any(|(i, b)| *b == first && name[i..].starts_with(needle))
            })
            .map(|s| s.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_remove_and_match() {
        let mut c = NameColumn::default();
        c.extend_sorted([(1, "Ada Lovelace"), (2, "Alan Turing"), (5, "Grace Hopper")]);
        c.set(3, "Ada Byron");
        assert_eq!(c.matching("ada", false), vec![1, 3]);
        c.set(1, "Augusta King");
        assert_eq!(c.matching("ada", false), vec![3]);
        assert_eq!(c.matching("augusta king", true), vec![1]);
        c.remove(3);
        assert!(c.matching("ada", false).is_empty());
        assert_eq!(c.matching("", false), vec![1, 2, 5]);
    }
}
