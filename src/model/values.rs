//! The value types a record's fields are made of, beyond plain strings and dates:
//!
//! - [`Text`]: a list item taken exactly as typed, even when YAML reads it as `key: value`
//!   (`- Lưu: VT, VP.`);
//! - [`Recipient`]: a `Nơi nhận` item, or a group heading with nested items;
//! - [`Content`]: body text that is literal, or written with the official structure
//!   (`structured:`) and translated by the template engine;
//! - [`Time`]: a clock time `HH:MM`.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The private-use character that starts a structured value in the template data. A record
/// can never contain it (`check_glyphs` refuses private-use characters), so the escape
/// function can tell a structured value from a plain one.
pub(crate) const STRUCTURED_MARK: char = '\u{E000}';

/// A scalar from YAML as the clerk typed it.
fn scalar_text<'de, A: MapAccess<'de>>(map: &mut A) -> Result<String, A::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(match map.next_value::<Scalar>()? {
        Scalar::S(s) => s,
        Scalar::I(i) => i.to_string(),
        Scalar::F(f) => f.to_string(),
        Scalar::B(b) => b.to_string(),
    })
}

/// A list item taken exactly as typed. YAML reads `- Lưu: VT, VP.` as a mapping with one
/// key; it is turned back into the text `Lưu: VT, VP.` (YAML has already reduced the space
/// after the colon to one, which is what the clerk typed in every normal case).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.to_string())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a line of text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "an empty mapping is not a line of text; write the line itself",
            ));
        };
        let value = scalar_text(&mut map)?;
        if map.next_key::<String>()?.is_some() {
            return Err(de::Error::custom(
                "YAML reads this item as several `key: value` pairs; put the whole line in quotes",
            ));
        }
        Ok(Text(format!("{key}: {value}")))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

impl schemars::JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A line printed exactly as typed. `- Lưu: VT, VP.` may be written without quotes.",
            "anyOf": [
                {"type": "string"},
                {"type": "object", "minProperties": 1, "maxProperties": 1,
                 "additionalProperties": {"type": ["string", "number", "boolean"]}}
            ]
        })
    }
}

/// One item of `Nơi nhận`: a line, or a group heading with nested items
/// (`- Thường trực Huyện ủy:` followed by `+ …` lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Item(Text),
    Group {
        heading: String,
        items: Vec<Recipient>,
    },
}

impl Recipient {
    /// Each printed line with its nesting depth (0 = `-`, 1 = `+`, …), in order.
    pub fn lines(items: &[Recipient]) -> Vec<(usize, &str)> {
        fn walk<'a>(items: &'a [Recipient], depth: usize, out: &mut Vec<(usize, &'a str)>) {
            for r in items {
                match r {
                    Recipient::Item(t) => out.push((depth, t.as_str())),
                    Recipient::Group { heading, items } => {
                        out.push((depth, heading.as_str()));
                        walk(items, depth + 1, out);
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(items, 0, &mut out);
        out
    }
}

impl Serialize for Recipient {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Recipient::Item(t) => t.serialize(s),
            Recipient::Group { heading, items } => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("heading", heading)?;
                m.serialize_entry("items", items)?;
                m.end()
            }
        }
    }
}

struct RecipientVisitor;

impl<'de> Visitor<'de> for RecipientVisitor {
    type Value = Recipient;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a recipient line, or a heading with a list of nested recipients")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Recipient, E> {
        Ok(Recipient::Item(Text(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Recipient, E> {
        Ok(Recipient::Item(Text(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Recipient, E> {
        Ok(Recipient::Item(Text(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Recipient, E> {
        Ok(Recipient::Item(Text(v.to_string())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Recipient, A::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Value {
            List(Vec<Recipient>),
            S(String),
            I(i64),
            F(f64),
            B(bool),
        }
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "an empty mapping is not a recipient; write the line itself",
            ));
        };
        let r = match map.next_value::<Value>()? {
            Value::List(items) => Recipient::Group {
                heading: format!("{key}:"),
                items,
            },
            Value::S(s) => Recipient::Item(Text(format!("{key}: {s}"))),
            Value::I(i) => Recipient::Item(Text(format!("{key}: {i}"))),
            Value::F(f) => Recipient::Item(Text(format!("{key}: {f}"))),
            Value::B(b) => Recipient::Item(Text(format!("{key}: {b}"))),
        };
        if map.next_key::<String>()?.is_some() {
            return Err(de::Error::custom(
                "YAML reads this item as several `key: value` pairs; put the whole line in quotes",
            ));
        }
        Ok(r)
    }
}

impl<'de> Deserialize<'de> for Recipient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Recipient, D::Error> {
        d.deserialize_any(RecipientVisitor)
    }
}

impl schemars::JsonSchema for Recipient {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Recipient".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A `Nơi nhận` line printed as typed (`- Lưu: VT, VP.` needs no quotes), or `Heading: [nested items]`, printed `- Heading:` then `+ item` lines.",
            "anyOf": [
                {"type": "string"},
                {"type": "object", "minProperties": 1, "maxProperties": 1,
                 "additionalProperties": {"anyOf": [
                    {"type": ["string", "number", "boolean"]},
                    {"type": "array", "items": {"$ref": "#/definitions/Recipient"}}
                 ]}}
            ]
        })
    }
}

/// Body text: literal (a plain string, printed exactly as typed), or written with the official
/// structure under `structured:` (headings `I.`, `1.`, `a)`, `-`, `+`, `**bold**`, `*italic*`,
/// a line ending ` \` for a forced line break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Plain(String),
    Structured(String),
}

impl Content {
    /// The text as typed, without markers.
    pub fn source(&self) -> &str {
        match self {
            Content::Plain(s) | Content::Structured(s) => s,
        }
    }
    pub fn is_blank(&self) -> bool {
        self.source().trim().is_empty()
    }
}

/// In the template data a structured value is a string starting with [`STRUCTURED_MARK`]; the
/// markup escape translates it instead of escaping it.
impl Serialize for Content {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Content::Plain(t) => s.serialize_str(t),
            Content::Structured(t) => s.collect_str(&format_args!("{STRUCTURED_MARK}{t}")),
        }
    }
}

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("text, or `structured: |` followed by structured text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Content, E> {
        Ok(Content::Plain(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Content, E> {
        Ok(Content::Plain(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Content, E> {
        Ok(Content::Plain(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Content, E> {
        Ok(Content::Plain(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Content, E> {
        Ok(Content::Plain(v.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Content, A::Error> {
        let key = map.next_key::<String>()?;
        match key.as_deref() {
            Some("structured") => {
                let text = map.next_value::<String>()?;
                if let Some(other) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "unknown key `{other}` beside `structured`; only `structured` may be given"
                    )));
                }
                Ok(Content::Structured(text))
            }
            Some(other) => {
                // `- Nhiệm vụ 1: rà soát …`: YAML reads a key and a value; the clerk typed a line.
                let key = other.to_string();
                let value = scalar_text(&mut map)?;
                if map.next_key::<String>()?.is_some() {
                    return Err(de::Error::custom(
                        "YAML reads this text as several `key: value` pairs; put the whole text in quotes",
                    ));
                }
                Ok(Content::Plain(format!("{key}: {value}")))
            }
            None => Err(de::Error::custom(
                "an empty mapping is not text; write the text, or `structured: |`",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Content, D::Error> {
        d.deserialize_any(ContentVisitor)
    }
}

impl schemars::JsonSchema for Content {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Content".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Text printed literally (a plain string: `*`, `#`, `1.` print as typed), or `{structured: …}`: one paragraph per line; lines starting `Phần I`/`Chương I` (centred heading, the next line its title), `I.`/`I-`/`Điều 1.` (bold heading), `1.`, `1.1.`, `a)`, `-`, `+` keep their label as typed; `**bold**`, `*italic*`; a line ending ` \\` continues after a forced line break; `\\*` prints `*`, a leading `\\` prints the line as plain text.",
            "anyOf": [
                {"type": "string"},
                {"type": "object", "required": ["structured"], "additionalProperties": false,
                 "properties": {"structured": {"type": "string"}}}
            ],
            "examples": [{"structured": "I. ĐÁNH GIÁ CHUNG\n1. Về kinh tế\na) **Nông nghiệp** tăng 5%;\n- bảo đảm nước tưới."}]
        })
    }
}

/// A clock time written `HH:MM` (24-hour), e.g. `08:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    pub hour: u32,
    pub minute: u32,
}

impl Time {
    pub fn parse(s: &str) -> Result<Time, String> {
        let t = s.trim();
        let ok = t.len() == 5
            && t.as_bytes()[2] == b':'
            && t.bytes()
                .enumerate()
                .all(|(i, b)| i == 2 || b.is_ascii_digit());
        if !ok {
            return Err(format!(
                "`{s}` is not a time; write it as HH:MM, e.g. 08:00"
            ));
        }
        let hour: u32 = t[..2].parse().unwrap_or(99);
        let minute: u32 = t[3..].parse().unwrap_or(99);
        if hour > 23 || minute > 59 {
            return Err(format!(
                "impossible time `{s}`: hours go to 23, minutes to 59"
            ));
        }
        Ok(Time { hour, minute })
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let s = String::deserialize(d)?;
        Time::parse(&s).map_err(de::Error::custom)
    }
}

impl schemars::JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": "A clock time HH:MM, e.g. 08:00.",
            "examples": ["08:00", "14:30"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml<T: serde::de::DeserializeOwned>(s: &str) -> T {
        serde_saphyr::from_str(s).expect("parses")
    }

    #[test]
    fn an_unquoted_colon_item_is_taken_as_typed() {
        let items: Vec<Text> = yaml("- Như trên;\n- Lưu: VT, VP.\n- Phòng: 3\n");
        let got: Vec<&str> = items.iter().map(Text::as_str).collect();
        assert_eq!(got, ["Như trên;", "Lưu: VT, VP.", "Phòng: 3"]);
    }

    #[test]
    fn recipients_nest_under_a_heading() {
        let items: Vec<Recipient> = yaml(
            "- Như trên;\n- Thường trực Huyện ủy:\n    - Đồng chí Bí thư;\n    - Đồng chí Phó Bí thư;\n- Lưu: VT, VP.\n",
        );
        assert_eq!(
            Recipient::lines(&items),
            [
                (0, "Như trên;"),
                (0, "Thường trực Huyện ủy:"),
                (1, "Đồng chí Bí thư;"),
                (1, "Đồng chí Phó Bí thư;"),
                (0, "Lưu: VT, VP."),
            ]
        );
    }

    #[test]
    fn content_is_plain_or_structured() {
        let c: Vec<Content> = yaml("- a * b\n- structured: |\n    I. MỘT\n    - hai\n");
        assert_eq!(c[0], Content::Plain("a * b".into()));
        assert_eq!(c[1], Content::Structured("I. MỘT\n- hai\n".into()));
        let json = serde_json::to_value(&c).expect("serializes");
        assert_eq!(json[1], format!("{STRUCTURED_MARK}I. MỘT\n- hai\n"));
        let c: Vec<Content> = yaml("- Nhiệm vụ 1: rà soát.\n");
        assert_eq!(c[0], Content::Plain("Nhiệm vụ 1: rà soát.".into()));
    }

    #[test]
    fn times_are_checked() {
        assert_eq!(
            Time::parse("08:05").map(|t| t.to_string()),
            Ok("08:05".into())
        );
        assert!(Time::parse("24:00").is_err());
        assert!(Time::parse("8:00").is_err());
    }
}
