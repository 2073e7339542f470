//! The core's `HeadersProvider` returns `HashMap<&'static str, String>` (its metadata keys are static).
//! Header names from JS are interned here: each distinct name is leaked once and reused, so memory
//! stays bounded by the number of distinct names a provider ever returns.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

/// Most distinct names kept; a provider inventing names without end gets an error instead of a leak.
pub const MAX_DISTINCT_NAMES: usize = 1024;

fn interned() -> &'static Mutex<HashSet<&'static str>> {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    NAMES.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Returns the static copy of `name`, which must already be lower-case (the TS layer normalises).
pub fn intern(name: &str) -> Result<&'static str, String> {
    if name.is_empty() || name.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii_graphic()) {
        return Err(format!(
            "header name {name:?} is not a lower-case header token"
        ));
    }
    let mut names = interned().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(existing) = names.get(name) {
        return Ok(existing);
    }
    if names.len() >= MAX_DISTINCT_NAMES {
        return Err(format!(
            "more than {MAX_DISTINCT_NAMES} distinct header names were returned by the headers provider"
        ));
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    Ok(leaked)
}

/// Converts the provider's headers into the core's map, interning every name.
pub fn to_core_headers(
    headers: impl IntoIterator<Item = (String, String)>,
) -> Result<HashMap<&'static str, String>, String> {
    headers
        .into_iter()
        .map(|(name, value)| intern(&name).map(|name| (name, value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_name_is_interned_once() {
        let a = intern("x-custom-a").unwrap();
        let b = intern(&String::from("x-custom-a")).unwrap();
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn refuses_names_that_are_not_lower_case_tokens() {
        assert!(intern("Authorization").is_err());
        assert!(intern("bad name").is_err());
        assert!(intern("").is_err());
    }

    #[test]
    fn converts_a_whole_map() {
        let map = to_core_headers([
            ("authorization".to_string(), "Bearer t".to_string()),
            ("x-databricks-zerobus-table-name".to_string(), "a.b.c".to_string()),
        ])
        .unwrap();
        assert_eq!(map.get("authorization").map(String::as_str), Some("Bearer t"));
        assert_eq!(map.len(), 2);
    }
}
