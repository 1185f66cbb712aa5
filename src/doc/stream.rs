//! A document read block by block: what renderers consume, so that a document as large as a
//! month's report (thousands of pages) is never held whole. A [`Document`] in memory is one
//! source of such a stream; the monthly report produces its blocks as it reads the records.

use std::borrow::Cow;

use crate::doc::model::{Block, Document, PageSetup};
use crate::error::Result;

/// The blocks of a document, in order; an `Err` stops the renderer with that error.
pub(crate) type Blocks<'a> = Box<dyn Iterator<Item = Result<Cow<'a, Block>>> + Send + 'a>;

/// A document whose page setup and metadata are known up front and whose blocks arrive one at
/// a time.
pub struct DocumentStream<'a> {
    /// Template name, e.g. `bao-cao-thang`.
    pub kind: String,
    /// Title for the PDF metadata and DOCX core properties.
    pub meta_title: String,
    pub page: PageSetup,
    pub blocks: Blocks<'a>,
}

impl Document {
    /// This document as a stream borrowing its blocks.
    pub fn stream(&self) -> DocumentStream<'_> {
        DocumentStream {
            kind: self.kind.clone(),
            meta_title: self.meta_title.clone(),
            page: self.page.clone(),
            blocks: Box::new(self.blocks.iter().map(|b| Ok(Cow::Borrowed(b)))),
        }
    }
}

impl DocumentStream<'_> {
    /// Reads every block into a [`Document`] (for renderers and tests that want it whole).
    pub fn collect(self) -> Result<Document> {
        let blocks = self
            .blocks
            .map(|b| b.map(Cow::into_owned))
            .collect::<Result<Vec<_>>>()?;
        Ok(Document {
            kind: self.kind,
            meta_title: self.meta_title,
            page: self.page,
            blocks,
        })
    }
}
