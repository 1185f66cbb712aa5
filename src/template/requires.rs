//! What a template needs from the record: the `requires:` line of its front matter, and the
//! check that a record meets it before the template is rendered.
//!
//! ```text
//! requires: number, signer, session.host, session.date | text.when
//! ```
//! A bare name (`number`, `text.when`) is a key of the document entry; a path starting with
//! `session.` or `issuer.` starts at the record. `a | b` is met by either. A requirement is met
//! by a value that is present and not empty: a non-blank string, a non-empty list, a mapping,
//! a number.

use serde_json::Value;

/// One requirement: met when any of its paths is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub alternatives: Vec<String>,
}

impl Requirement {
    /// How the requirement is written in the front matter.
    pub fn written(&self) -> String {
        self.alternatives.join(" | ")
    }
}

/// Parses the value of `requires:`.
pub(crate) fn parse(value: &str) -> Vec<Requirement> {
    value
        .split(',')
        .map(|r| Requirement {
            alternatives: r
                .split('|')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
        })
        .filter(|r| !r.alternatives.is_empty())
        .collect()
}

/// Where a path starts: at the record, or at the document entry.
pub(crate) fn is_record_path(path: &str) -> bool {
    let first = path.split('.').next().unwrap_or("");
    matches!(first, "session" | "issuer" | "format")
}

/// Why a requirement is not met, for its first alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unmet {
    /// `path` is missing; `missing` is the first missing key along it (`session.chair` when
    /// `session.chair.name` is asked and there is no chair).
    Missing { missing: String },
    /// `path` is there but empty (a blank string or an empty list).
    Empty { path: String, list: bool },
}

fn lookup<'a>(root: &'a Value, path: &str) -> Result<&'a Value, String> {
    let mut v = root;
    let mut walked = String::new();
    for key in path.split('.') {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(key);
        match v.get(key) {
            Some(next) if !next.is_null() => v = next,
            _ => return Err(walked),
        }
    }
    Ok(v)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::String(s) => s
            .trim_start_matches(crate::model::values::STRUCTURED_MARK)
            .trim()
            .is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

/// Checks one requirement against the record (`record`) and the document entry (`entry`).
/// Paths in the result start at the record (`session.host`) or at the entry (`number`).
pub(crate) fn check(req: &Requirement, record: &Value, entry: &Value) -> Option<Unmet> {
    let mut first = None;
    for alt in &req.alternatives {
        let root = if is_record_path(alt) { record } else { entry };
        let unmet = match lookup(root, alt) {
            Ok(v) if !is_empty(v) => return None,
            Ok(v) => Unmet::Empty {
                path: alt.clone(),
                list: v.is_array(),
            },
            Err(missing) => Unmet::Missing { missing },
        };
        first.get_or_insert(unmet);
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn alternatives_and_emptiness() {
        let reqs = parse("number, session.date | text.when, session.chair.name, session.attendees");
        assert_eq!(reqs.len(), 4);
        assert_eq!(reqs[1].written(), "session.date | text.when");
        let record = json!({"session": {"date": null, "attendees": [], "host": " "}});
        let entry = json!({"number": 3, "text": {"when": "Vừa qua"}});
        assert_eq!(check(&reqs[0], &record, &entry), None);
        assert_eq!(check(&reqs[1], &record, &entry), None);
        assert_eq!(
            check(&reqs[2], &record, &entry),
            Some(Unmet::Missing {
                missing: "session.chair".into()
            })
        );
        assert_eq!(
            check(&reqs[3], &record, &entry),
            Some(Unmet::Empty {
                path: "session.attendees".into(),
                list: true
            })
        );
        let host = parse("session.host");
        assert_eq!(
            check(&host[0], &record, &entry),
            Some(Unmet::Empty {
                path: "session.host".into(),
                list: false
            })
        );
    }
}
