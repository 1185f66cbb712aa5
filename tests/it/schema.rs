//! Issue 5, §5: `vanthu schema` prints a JSON Schema of the record that the example records
//! satisfy and that refuses the shape mistakes a clerk's editor should flag.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let o = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .arg("schema")
        .output()
        .expect("run vanthu schema");
    assert_eq!(o.status.code(), Some(0));
    serde_json::from_slice(&o.stdout).expect("the schema is JSON")
}

/// A YAML record as the JSON value an editor's language server validates.
fn as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn issue5_schema_is_draft07_and_describes_the_record() {
    let s = schema();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(jsonschema::meta::is_valid(&s), "not a valid JSON Schema");
    assert_eq!(s["type"], "object");
    assert_eq!(s["additionalProperties"], false);
    let required: Vec<&str> = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(required, ["issuer", "format", "session", "documents"]);
    let text = s.to_string();
    for needle in ["\"party\"", "\"state\"", "YYYY-MM-DD", "counterpart"] {
        assert!(text.contains(needle), "{needle} missing from the schema");
    }
}

#[test]
fn issue5_example_records_satisfy_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("compiles");
    let mut files = yaml_files(&root().join("input"));
    files.extend(yaml_files(&root().join("tests/fixtures/good")));
    files.extend(yaml_files(&root().join("tests/fixtures/real")));
    files.extend(yaml_files(&root().join("tests/fixtures/forms")));
    // Warnings only: a valid record.
    files.push(root().join("tests/fixtures/bad/warning-before-hd36.yaml"));
    assert!(files.len() >= 2);
    for f in &files {
        let v = as_json(f);
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
    }
}

#[test]
fn issue5_schema_refuses_the_shape_mistakes() {
    let validator = jsonschema::validator_for(&schema()).expect("compiles");
    for case in [
        "unknown-key",
        "wrong-type-list",
        "wrong-type-number",
        // Not `missing-field` (no `session.host`): a session field is needed only by the
        // templates that print it, which `vanthu check` knows and a schema cannot.
        "missing-nested-field",
        "missing-top-level-key",
        "bad-format",
        "date-not-iso",
        "template-path-traversal",
    ] {
        let v = as_json(&root().join(format!("tests/fixtures/bad/{case}.yaml")));
        assert!(
            !validator.is_valid(&v),
            "the schema accepts the `{case}` fixture"
        );
    }
}

/// Issue 10: `text:` is described with the built-in templates' sentences (slots), so an
/// editor completes `honorific`, `when`, … under a document's `text:`.
#[test]
fn issue10_schema_lists_the_slots_of_the_built_in_templates() {
    let s = schema();
    let text = s.to_string();
    for needle in [
        "\"honorific\"",
        "\"byline\"",
        "\"when\"",
        "\"invitation\"",
        "Replaces the sentence",
        "`thong-bao-ket-luan`: ",
    ] {
        assert!(text.contains(needle), "{needle} missing from the schema");
    }
    let validator = jsonschema::validator_for(&s).expect("compiles");
    let record = serde_json::json!({
        "issuer": {"name": "X", "code": "X", "place": "X"},
        "format": "state",
        "session": {},
        "documents": [{"template": "tin-bai", "text": {
            "when": "Vừa qua",
            "body": {"structured": "I. MỘT"},
            "not_a_builtin": "a --templates slot is allowed"
        }}]
    });
    let errors: Vec<String> = validator
        .iter_errors(&record)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let bad = serde_json::json!({
        "issuer": {"name": "X", "code": "X", "place": "X"},
        "format": "state",
        "session": {},
        "documents": [{"template": "tin-bai", "text": {"when": 5}}]
    });
    assert!(!validator.is_valid(&bad), "a number is not a sentence");
}
