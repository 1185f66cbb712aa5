//! The incremental update: the original bytes untouched, then the changed and new objects,
//! then a cross-reference section pointing back (`/Prev`) to the original's last one. A file
//! whose last section is a cross-reference stream (vanthu's own PDFs, most tools' since PDF
//! 1.5) gets a cross-reference stream; one with a classic table gets a classic table, so
//! readers that support only one kind keep reading the file.

use super::object::{Dictionary, Object, ObjectId, Stream};

use super::serialize;

/// The objects an update writes, in order.
pub struct Update {
    objects: Vec<(ObjectId, Vec<u8>)>,
    next_id: u32,
}

/// What the writer needs of the original's trailer.
pub struct Trailer {
    /// The entries the new trailer repeats: `/Root`, `/Info`, `/ID`.
    pub kept: Dictionary,
    /// The original's `/Size` (at least one past its highest object number).
    pub size: u32,
    /// Offset of the original's last cross-reference section.
    pub prev: usize,
    /// Whether that section is a cross-reference stream.
    pub stream: bool,
}

impl Update {
    /// An update whose new objects are numbered from `next_id`.
    pub fn new(next_id: u32) -> Update {
        Update {
            objects: Vec::new(),
            next_id,
        }
    }

    /// A number for a new object (its body given later with [`Update::put_raw`]).
    pub fn reserve(&mut self) -> ObjectId {
        let id = (self.next_id, 0);
        self.next_id += 1;
        id
    }

    /// Adds `object` as a new object; its reference.
    pub fn add(&mut self, object: &Object) -> ObjectId {
        let id = self.reserve();
        self.put(id, object);
        id
    }

    /// Writes `object` under `id` (a new one or a replaced one of the original).
    pub fn put(&mut self, id: ObjectId, object: &Object) {
        self.put_raw(id, serialize::object(object));
    }

    /// Writes the PDF syntax `body` under `id`.
    pub fn put_raw(&mut self, id: ObjectId, body: Vec<u8>) {
        self.objects.retain(|(existing, _)| *existing != id);
        self.objects.push((id, body));
    }

    /// The original followed by this update.
    pub fn write(mut self, original: &[u8], trailer: &Trailer) -> Vec<u8> {
        let mut out = Vec::with_capacity(original.len() + 64 * 1024);
        out.extend_from_slice(original);
        if !original.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut offsets: Vec<(u32, u16, usize)> = Vec::new();
        for ((id, generation), body) in &self.objects {
            offsets.push((*id, *generation, out.len()));
            out.extend_from_slice(format!("{id} {generation} obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref_id = if trailer.stream {
            Some(self.reserve().0)
        } else {
            None
        };
        let size = self.next_id.max(trailer.size);
        let xref_at = out.len();
        let mut dict = trailer.kept.clone();
        dict.set("Size", Object::Integer(i64::from(size)));
        dict.set("Prev", Object::Integer(trailer.prev as i64));
        match xref_id {
            Some(id) => {
                offsets.push((id, 0, xref_at));
                xref_stream(&mut out, id, dict, &mut offsets);
            }
            None => xref_table(&mut out, dict, &mut offsets),
        }
        out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
        out
    }
}

/// Runs of consecutive object numbers: (first, entries).
fn runs(offsets: &mut [(u32, u16, usize)]) -> Vec<(u32, Vec<(u16, usize)>)> {
    offsets.sort_by_key(|o| o.0);
    let mut runs: Vec<(u32, Vec<(u16, usize)>)> = Vec::new();
    for &(id, generation, at) in offsets.iter() {
        match runs.last_mut() {
            Some((first, entries)) if *first + entries.len() as u32 == id => {
                entries.push((generation, at))
            }
            _ => runs.push((id, vec![(generation, at)])),
        }
    }
    runs
}

fn xref_table(out: &mut Vec<u8>, trailer: Dictionary, offsets: &mut [(u32, u16, usize)]) {
    out.extend_from_slice(b"xref\n");
    for (first, entries) in runs(offsets) {
        out.extend_from_slice(format!("{first} {}\n", entries.len()).as_bytes());
        for (generation, at) in entries {
            out.extend_from_slice(format!("{at:010} {generation:05} n\r\n").as_bytes());
        }
    }
    out.extend_from_slice(b"trailer\n");
    out.extend_from_slice(&serialize::object(&Object::Dictionary(trailer)));
    out.push(b'\n');
}

fn xref_stream(
    out: &mut Vec<u8>,
    id: u32,
    mut dict: Dictionary,
    offsets: &mut [(u32, u16, usize)],
) {
    let mut index = Vec::new();
    let mut data = Vec::new();
    for (first, entries) in runs(offsets) {
        index.push(Object::Integer(i64::from(first)));
        index.push(Object::Integer(entries.len() as i64));
        for (generation, at) in entries {
            data.push(1u8);
            data.extend_from_slice(&(at as u32).to_be_bytes());
            data.extend_from_slice(&generation.to_be_bytes());
        }
    }
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Index", Object::Array(index));
    dict.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
    let stream = Object::Stream(Stream::new(dict, data));
    out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
    out.extend_from_slice(&serialize::object(&stream));
    out.extend_from_slice(b"\nendobj\n");
}
