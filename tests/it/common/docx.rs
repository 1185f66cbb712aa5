//! Reads a DOCX back: parts from the zip, paragraphs with their properties and text.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

pub fn part(docx: &Path, name: &str) -> String {
    let bytes = std::fs::read(docx).expect("open docx");
    part_of(&bytes, name)
}

/// The footer parts (`word/footer*.xml`) of a DOCX, in name order.
pub fn footers(docx: &Path) -> Vec<String> {
    let bytes = std::fs::read(docx).expect("open docx");
    let z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).expect("docx is a zip");
    let mut names: Vec<String> = z
        .file_names()
        .filter(|n| n.starts_with("word/footer") && n.ends_with(".xml"))
        .map(str::to_string)
        .collect();
    names.sort();
    names.iter().map(|n| part_of(&bytes, n)).collect()
}

/// A part of a DOCX held in memory.
pub fn part_of(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx is a zip");
    let mut entry = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the DOCX"));
    let mut s = String::new();
    entry.read_to_string(&mut s).expect("utf-8 part");
    s
}

/// One `w:p`: its text and the raw XML of its properties (for attribute checks).
#[derive(Debug, Clone)]
pub struct DocxPara {
    pub text: String,
    pub xml: String,
    pub in_table: bool,
}

pub fn paragraphs(document_xml: &str) -> Vec<DocxPara> {
    let mut r = Reader::from_str(document_xml);
    let mut out = Vec::new();
    let mut depth_tbl = 0;
    let mut cur: Option<(String, usize)> = None;
    let mut in_t = false;
    loop {
        let pos = r.buffer_position() as usize;
        match r.read_event() {
            Ok(Event::Start(e)) => match e.name().as_ref() {
                b"w:tbl" => depth_tbl += 1,
                b"w:p" => cur = Some((String::new(), pos)),
                b"w:t" => in_t = true,
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.name().as_ref() {
                b"w:p" => out.push(DocxPara {
                    text: String::new(),
                    xml: String::new(),
                    in_table: depth_tbl > 0,
                }),
                b"w:tab" => {
                    if let Some((t, _)) = cur.as_mut() {
                        t.push('\t')
                    }
                }
                b"w:br" => {
                    if let Some((t, _)) = cur.as_mut() {
                        t.push('\n')
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_t => {
                if let Some((s, _)) = cur.as_mut() {
                    let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                    s.push_str(&unescape(&raw));
                }
            }
            Ok(Event::GeneralRef(g)) if in_t => {
                if let Some((s, _)) = cur.as_mut() {
                    let name = String::from_utf8_lossy(g.as_ref()).into_owned();
                    s.push_str(&unescape(&format!("&{name};")));
                }
            }
            Ok(Event::End(e)) => match e.name().as_ref() {
                b"w:tbl" => depth_tbl -= 1,
                b"w:t" => in_t = false,
                b"w:p" => {
                    if let Some((text, start)) = cur.take() {
                        let end = r.buffer_position() as usize;
                        out.push(DocxPara {
                            text,
                            xml: document_xml[start..end].to_string(),
                            in_table: depth_tbl > 0,
                        });
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => panic!("bad XML: {e}"),
            _ => {}
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
