//! The signature fields of a PDF rendered for signing (`--signing-fields`): one merged
//! signature field and widget annotation per place the document keeps for a signature, each
//! with the Print flag and an empty appearance, as the field contract (`vanthu sign`) has
//! them:
//!
//! - `person-N` over signer N's signing space (the space between the position line and the
//!   name, across the signature column), wherever the layout put it;
//! - `organisation`: `person-1` extended 30 mm to the left and 10 mm up and down, clipped to
//!   the page (the seal over the left third of the signature image);
//! - `electronic`: the top-right corner of page 1 the page setup keeps (90 mm wide, 14 mm high or
//!   as high as its lines need at 10 pt, right-aligned
//!   at the right margin, 2 mm above the text area), its `/TU` the lines of the signature text.
//!
//! Nothing is drawn: the page content is the same with and without the fields.

use pdf_writer::{Name, Rect, Ref, Str, TextStr};

use crate::doc::model::{Mm, PageSetup};
use crate::error::Result;
use crate::render::pdf::canvas::{to_pt, Frame, SigningArea};
use crate::render::pdf::file::PdfFile;

/// How far `organisation` reaches beyond `person-1`: left, and up and down (mm).
const SEAL_REACH_LEFT: Mm = 30.0;
const SEAL_REACH_VERTICAL: Mm = 10.0;

/// The fields written so far, in the order of the form's `/Fields`.
#[derive(Default)]
pub(super) struct Fields {
    /// (order, field): person-N by N, then organisation, then electronic.
    written: Vec<(usize, Ref)>,
}

/// One field to write: its name, area (mm from the page's top-left) and description.
struct Place {
    name: String,
    area: Frame,
    description: Option<String>,
    order: usize,
}

impl Fields {
    /// Writes the fields of page `number` (from 1) and returns their references for the
    /// page's `/Annots`.
    pub(super) fn write_page(
        &mut self,
        file: &mut PdfFile<'_>,
        page: Ref,
        number: usize,
        setup: &PageSetup,
        spaces: &[SigningArea],
    ) -> Result<Vec<Ref>> {
        let mut places = Vec::new();
        if number == 1 {
            places.extend(electronic(setup));
        }
        for space in spaces {
            places.push(Place {
                name: format!("person-{}", space.signer),
                area: space.area.clone(),
                description: None,
                order: space.signer,
            });
            if space.signer == 1 {
                places.push(Place {
                    name: "organisation".into(),
                    area: seal_area(&space.area, setup),
                    description: None,
                    order: usize::MAX - 1,
                });
            }
        }
        let mut annots = Vec::with_capacity(places.len());
        for place in places {
            let field = write_widget(file, page, setup, &place)?;
            self.written.push((place.order, field));
            annots.push(field);
        }
        Ok(annots)
    }

    /// Every field written, in the form's order; empty when the document has none.
    pub(super) fn all(mut self) -> Vec<Ref> {
        self.written.sort_by_key(|(order, _)| *order);
        self.written.into_iter().map(|(_, r)| r).collect()
    }
}

/// The `electronic` place: the corner of page 1 the page setup keeps, if any.
fn electronic(setup: &PageSetup) -> Option<Place> {
    let mark = setup.electronic_mark.as_ref()?;
    let right = setup.width - setup.margin_right;
    let bottom = setup.margin_top - mark.gap;
    let area = clip(
        Frame {
            x: right - mark.width,
            y: bottom - mark.height,
            width: mark.width,
            height: mark.height,
        },
        setup,
    );
    let lines: Vec<&str> = mark
        .lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    Some(Place {
        name: "electronic".into(),
        area,
        description: (!lines.is_empty()).then(|| lines.join("\n")),
        order: usize::MAX,
    })
}

/// `person-1`'s area extended for the seal, clipped to the page.
fn seal_area(person: &Frame, setup: &PageSetup) -> Frame {
    clip(
        Frame {
            x: person.x - SEAL_REACH_LEFT,
            y: person.y - SEAL_REACH_VERTICAL,
            width: person.width + SEAL_REACH_LEFT,
            height: person.height + 2.0 * SEAL_REACH_VERTICAL,
        },
        setup,
    )
}

fn clip(area: Frame, setup: &PageSetup) -> Frame {
    let x0 = area.x.clamp(0.0, setup.width);
    let y0 = area.y.clamp(0.0, setup.height);
    let x1 = (area.x + area.width).clamp(0.0, setup.width);
    let y1 = (area.y + area.height).clamp(0.0, setup.height);
    Frame {
        x: x0,
        y: y0,
        width: x1 - x0,
        height: y1 - y0,
    }
}

/// The merged field and widget, and its empty appearance; returns the field.
fn write_widget(
    file: &mut PdfFile<'_>,
    page: Ref,
    setup: &PageSetup,
    place: &Place,
) -> Result<Ref> {
    let (field, appearance) = (file.alloc(), file.alloc());
    let a = &place.area;
    let rect = Rect::new(
        to_pt(a.x),
        to_pt(setup.height - a.y - a.height),
        to_pt(a.x + a.width),
        to_pt(setup.height - a.y),
    );
    let (w, h) = (rect.x2 - rect.x1, rect.y2 - rect.y1);
    file.object(|c| {
        c.form_xobject(appearance, b"")
            .bbox(Rect::new(0.0, 0.0, w, h));
    })?;
    file.packed(|c| {
        let mut d = c.indirect(field).dict();
        d.pair(Name(b"Type"), Name(b"Annot"))
            .pair(Name(b"Subtype"), Name(b"Widget"))
            .pair(Name(b"FT"), Name(b"Sig"))
            .pair(Name(b"T"), Str(place.name.as_bytes()))
            .pair(Name(b"F"), 4)
            .pair(Name(b"P"), page)
            .insert(Name(b"Rect"))
            .array()
            .items([rect.x1, rect.y1, rect.x2, rect.y2]);
        d.insert(Name(b"AP")).dict().pair(Name(b"N"), appearance);
        if let Some(text) = &place.description {
            d.pair(Name(b"TU"), TextStr(text));
        }
    })?;
    Ok(field)
}
