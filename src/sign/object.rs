//! The PDF objects an incremental update writes: the new ones (appearance, image, font,
//! signature dictionary, cross-reference stream) and the ones it rewrites (a field, the
//! AcroForm, a page, the catalog), read from the file by [`super::syntax`]. Dictionaries keep
//! their keys in order and a key set again keeps its place, so a rewritten object lists its
//! entries as the file did; a number read from a file keeps its digits ([`Object::Written`]).
//! [`super::serialize`] writes them.

/// An object number and generation.
pub type ObjectId = (u32, u16);

/// A PDF object.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Null,
    Boolean(bool),
    Integer(i64),
    Real(f32),
    /// A real read from a file, as written there (a tool's digits are kept, however many).
    Written(Vec<u8>),
    /// A name, without its slash, `#xx` escapes decoded.
    Name(Vec<u8>),
    /// A string's bytes, escapes decoded.
    String(Vec<u8>),
    Array(Vec<Object>),
    Dictionary(Dictionary),
    Stream(Stream),
    Reference(ObjectId),
}

/// A dictionary, its keys in the order they were set (a key set again keeps its place).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dictionary(Vec<(Vec<u8>, Object)>);

/// A stream: its dictionary (`/Length` is written from the content) and its bytes as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub dict: Dictionary,
    pub content: Vec<u8>,
}

impl Dictionary {
    pub fn new() -> Dictionary {
        Dictionary::default()
    }

    /// Sets `key` (in its place when present, else last).
    pub fn set(&mut self, key: impl AsRef<[u8]>, value: Object) {
        let key = key.as_ref();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_vec(), value)),
        }
    }

    pub fn get(&self, key: &[u8]) -> Option<&Object> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn has(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Object)> {
        self.0.iter().map(|(k, v)| (k.as_slice(), v))
    }
}

impl Stream {
    pub fn new(dict: Dictionary, content: Vec<u8>) -> Stream {
        Stream { dict, content }
    }
}

impl Object {
    /// A name from text.
    pub fn name(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }

    /// A string from text.
    pub fn string(s: &str) -> Object {
        Object::String(s.as_bytes().to_vec())
    }

    pub fn as_reference(&self) -> Option<ObjectId> {
        match self {
            Object::Reference(id) => Some(*id),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Object>> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_dict(&self) -> Option<&Dictionary> {
        match self {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Object::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// An integer or a real, as an f32.
    pub fn as_f32(&self) -> Option<f32> {
        match self {
            Object::Integer(i) => Some(*i as f32),
            Object::Real(r) => Some(*r),
            Object::Written(text) => std::str::from_utf8(text).ok()?.parse().ok(),
            _ => None,
        }
    }
}

impl From<f32> for Object {
    fn from(r: f32) -> Object {
        Object::Real(r)
    }
}

impl From<i64> for Object {
    fn from(i: i64) -> Object {
        Object::Integer(i)
    }
}

impl From<i32> for Object {
    fn from(i: i32) -> Object {
        Object::Integer(i64::from(i))
    }
}

impl From<Dictionary> for Object {
    fn from(d: Dictionary) -> Object {
        Object::Dictionary(d)
    }
}

#[cfg(test)]
mod tests {
    use super::{Dictionary, Object};

    #[test]
    fn issue11_a_key_set_again_keeps_its_place() {
        let mut d = Dictionary::new();
        d.set("A", 1.into());
        d.set("B", 2.into());
        d.set("A", Object::Null);
        let keys: Vec<&[u8]> = d.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, [&b"A"[..], b"B"]);
        assert_eq!(d.get(b"A"), Some(&Object::Null));
        assert_eq!(
            Object::Written(b"595.2755905511812".to_vec()).as_f32(),
            Some(595.2756)
        );
    }
}
