//! Keeping secrets out of error snippets.

use serde_json::Value;

/// Keep JSON punctuation, whitespace and property names; replace every value
/// token (string, number, literal) with `…`.
pub(crate) fn mask_values(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            let terminated = i < chars.len();
            let end = (i + 1).min(chars.len());
            let next = chars[end..].iter().find(|c| !c.is_whitespace());
            if terminated && next == Some(&':') {
                out.extend(&chars[start..end]);
            } else {
                out.push_str("\"…\"");
            }
            i = end;
        } else if "{}[],:".contains(c) || c.is_whitespace() {
            out.push(c);
            i += 1;
        } else {
            while i < chars.len() && !"{}[],:\"".contains(chars[i]) && !chars[i].is_whitespace() {
                i += 1;
            }
            out.push('…');
        }
    }
    out
}

/// A JSON body for an error snippet, with the values of properties whose
/// name `is_secret` says is sensitive replaced by `"[REDACTED]"` (at any
/// depth). A body that is not JSON keeps only structure and property names.
pub(crate) fn redact_json(body: &[u8], is_secret: &dyn Fn(&str) -> bool) -> String {
    fn walk(value: &mut Value, is_secret: &dyn Fn(&str) -> bool) {
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if is_secret(k) {
                        *v = Value::String("[REDACTED]".into());
                    } else {
                        walk(v, is_secret);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, is_secret)),
            _ => {}
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            walk(&mut value, is_secret);
            value.to_string()
        }
        Err(_) => mask_values(&String::from_utf8_lossy(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_structure() {
        assert_eq!(
            mask_values(r#"{"a": "b", "c": [1, true], "d":"e\"f"}"#),
            r#"{"a": "…", "c": […, …], "d":"…"}"#
        );
        assert_eq!(mask_values(r#"{"a": "unterminated"#), r#"{"a": "…""#);
    }

    #[test]
    fn json_keys_are_redacted_at_any_depth() {
        let out = redact_json(
            br#"{"access_token":"T","x":[{"access_token":"T"}],"token_type":5}"#,
            &|k| k == "access_token",
        );
        assert!(
            !out.contains("\"T\"") && out.contains("token_type"),
            "{out}"
        );
    }
}
