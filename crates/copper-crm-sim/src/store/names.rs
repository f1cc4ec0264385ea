//! Splitting a full name into prefix, first, middle, last and suffix, as Copper derives them.

/// The parts of a full name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NameParts {
    pub prefix: Option<String>,
    pub first: Option<String>,
    pub middle: Option<String>,
    pub last: Option<String>,
    pub suffix: Option<String>,
}

const PREFIXES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev"];
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"];

fn bare(token: &str) -> String {
    token.trim_end_matches('.').to_ascii_lowercase()
}

/// Split a full name. "Michael Scott, (sample)" gives first "Michael", last "Scott" and suffix
/// "(sample)"; a single word goes entirely into `first` with no `last`.
pub(crate) fn split_name(full: &str) -> NameParts {
    let mut parts = NameParts::default();
    let (main, after_comma) = match full.split_once(',') {
        Some((main, rest)) if !rest.trim().is_empty() => (main, Some(rest.trim())),
        Some((main, _)) => (main, None),
        None => (full, None),
    };
    let mut tokens: Vec<&str> = main.split_whitespace().collect();
    if tokens.len() > 1 && PREFIXES.contains(&bare(tokens[0]).as_str()) {
        parts.prefix = Some(tokens.remove(0).to_string());
    }
    let mut suffix = after_comma.map(str::to_string);
    if suffix.is_none()
        && tokens.len() > 2
        && let Some(last) = tokens.last()
        && SUFFIXES.contains(&bare(last).as_str())
    {
        suffix = tokens.pop().map(str::to_string);
    }
    parts.suffix = suffix;
    match tokens.len() {
        0 => {}
        1 => parts.first = Some(tokens[0].to_string()),
        n => {
            parts.first = Some(tokens[0].to_string());
            parts.last = Some(tokens[n - 1].to_string());
            if n > 2 {
                parts.middle = Some(tokens[1..n - 1].join(" "));
            }
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_documented_examples() {
        let p = split_name("Michael Scott, (sample)");
        assert_eq!(p.first.as_deref(), Some("Michael"));
        assert_eq!(p.last.as_deref(), Some("Scott"));
        assert_eq!(p.suffix.as_deref(), Some("(sample)"));
        let p = split_name("Madonna");
        assert_eq!(p.first.as_deref(), Some("Madonna"));
        assert_eq!(p.last, None);
        let p = split_name("Dr. Jane Q Public Jr.");
        assert_eq!(p.prefix.as_deref(), Some("Dr."));
        assert_eq!(p.first.as_deref(), Some("Jane"));
        assert_eq!(p.middle.as_deref(), Some("Q"));
        assert_eq!(p.last.as_deref(), Some("Public"));
        assert_eq!(p.suffix.as_deref(), Some("Jr."));
    }
}
