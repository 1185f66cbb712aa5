//! The update a signature appends: the field filled (or created and added to its page and
//! the AcroForm), its appearance, the signature dictionary with its place reserved, and the
//! AcroForm's `/SigFlags 3`.

use super::appearance::{self, Placed};
use super::object::{Dictionary, Object, ObjectId};
use super::place::{self, Target, PT_PER_MM};
use super::prepared::{Prepared, BYTE_RANGE_PLACEHOLDER};
use super::source::{SigField, Source};
use super::update::Update;
use super::{splice, text, Options, Role};
use crate::error::SignError;

/// `pdf` with the signature's field filled and its `/Contents` zeros (`room` bytes).
pub(super) fn with_placeholder(
    pdf: &[u8],
    options: &Options,
    room: usize,
) -> Result<Prepared, SignError> {
    let source = Source::load(pdf)?;
    let fields = source.signature_fields()?;
    let target = place::choose(&source, &fields, options)?;
    let mut update = Update::new(source.trailer.size);
    let [x0, y0, x1, y1] = target.rect();
    let size = (x1 - x0, y1 - y0);
    let look = look(&source, &fields, &target, options, size, &mut update)?;
    let sig = update.reserve();
    update.put_raw(sig, signature_dictionary(options, room));
    let (field_id, mut field) = match &target {
        Target::Existing(f) => (f.id, f.dict.clone()),
        Target::New { name, page, rect } => (update.reserve(), new_widget(name, *page, *rect)),
    };
    field.set("V", Object::Reference(sig));
    let mut ap = Dictionary::new();
    ap.set("N", Object::Reference(look));
    field.set("AP", Object::Dictionary(ap));
    update.put(field_id, &Object::Dictionary(field));
    let new_on = match &target {
        Target::New { page, .. } => Some(*page),
        Target::Existing(_) => None,
    };
    if let Some(page) = new_on {
        add_to_page(&source, &mut update, page, field_id)?;
    }
    update_acroform(&source, &mut update, new_on.map(|_| field_id))?;
    let bytes = update.write(pdf, &source.trailer);
    Prepared::from_placeholder(bytes, pdf.len())
}

/// The appearance form of the signature.
fn look(
    source: &Source,
    fields: &[SigField],
    target: &Target,
    options: &Options,
    size: (f32, f32),
    update: &mut Update,
) -> Result<ObjectId, SignError> {
    if size.0 <= 0.0 || size.1 <= 0.0 {
        // An invisible signature (a field of no size, as `bundle --sign` makes on a document
        // without an organisation field): an empty appearance, no image.
        let empty = appearance::form(size, Dictionary::new(), Vec::new());
        return Ok(update.add(&empty));
    }
    if options.role.is_electronic() {
        let lines = match target {
            Target::Existing(f) => tooltip_lines(f),
            Target::New { .. } => Vec::new(),
        };
        return text::electronic_form(update, &lines, options.time, size);
    }
    let image = options.image.as_ref().ok_or_else(|| {
        SignError::Placement(format!(
            "signing as {} needs the image (--image PNG)",
            options.role.name()
        ))
    })?;
    let at = if options.role == Role::Organisation {
        let seal = image.real_size_pt.unwrap_or_else(|| {
            let w = options.seal_mm * PT_PER_MM;
            (w, w * image.height as f32 / image.width.max(1) as f32)
        });
        let person = fields.iter().find(|f| f.name == "person-1" && f.signed);
        match person {
            Some(p) => {
                appearance::place_seal(seal, appearance::drawn_image_box(source, p), target.rect())
            }
            None => Placed {
                x: (size.0 - seal.0) / 2.0,
                y: (size.1 - seal.1) / 2.0,
                w: seal.0,
                h: seal.1,
            },
        }
    } else {
        appearance::fit_signature(image, size.0, size.1)
    };
    Ok(appearance::image_form(update, image, size, at))
}

/// The `/TU` of a field, line by line.
fn tooltip_lines(field: &SigField) -> Vec<String> {
    match field.dict.get(b"TU") {
        Some(Object::String(s)) => text::decode_pdf_text(s)
            .lines()
            .map(str::to_string)
            .filter(|l| !l.trim().is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// The `/Sig` dictionary, its byte range and contents still placeholders.
fn signature_dictionary(options: &Options, room: usize) -> Vec<u8> {
    let mut body = format!(
        "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M ({}) \
         /ByteRange {BYTE_RANGE_PLACEHOLDER} /Contents <",
        options.time.pdf_date()
    )
    .into_bytes();
    body.resize(body.len() + 2 * room, b'0');
    body.extend_from_slice(b">>>");
    body
}

/// A merged signature field and widget (the fields contract's shape).
fn new_widget(name: &str, page: ObjectId, rect: [f32; 4]) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::name("Annot"));
    d.set("Subtype", Object::name("Widget"));
    d.set("FT", Object::name("Sig"));
    d.set("T", Object::string(name));
    d.set("F", Object::Integer(4));
    d.set("P", Object::Reference(page));
    d.set(
        "Rect",
        Object::Array(rect.iter().map(|&v| v.into()).collect()),
    );
    d
}

/// Adds the widget `field` to the page's `/Annots` (an array in the page or an object).
fn add_to_page(
    source: &Source,
    update: &mut Update,
    page: ObjectId,
    field: ObjectId,
) -> Result<(), SignError> {
    // The page's own bytes with the reference added, when it has no /Annots or an array of
    // them: its other values stay exactly as written.
    let bytes = source.dictionary_bytes(page);
    if let Some(body) = bytes.and_then(|b| splice::page_with_annot(b, field)) {
        update.put_raw(page, body);
        return Ok(());
    }
    let mut dict = source
        .dictionary(page)
        .ok_or_else(|| SignError::Unreadable(format!("page object {} is unreadable", page.0)))?;
    match dict.get(b"Annots") {
        Some(Object::Reference(id)) => {
            let id = *id;
            let mut annots = match source.object(id) {
                Some(Object::Array(a)) => a,
                _ => Vec::new(),
            };
            annots.push(Object::Reference(field));
            update.put(id, &Object::Array(annots));
            return Ok(());
        }
        Some(Object::Array(a)) => {
            let mut annots = a.clone();
            annots.push(Object::Reference(field));
            dict.set("Annots", Object::Array(annots));
        }
        _ => dict.set("Annots", Object::Array(vec![Object::Reference(field)])),
    }
    update.put(page, &Object::Dictionary(dict));
    Ok(())
}

/// `/SigFlags 3` on the AcroForm, with the new field listed; the catalog rewritten when the
/// AcroForm lives in it or is new.
fn update_acroform(
    source: &Source,
    update: &mut Update,
    new_field: Option<ObjectId>,
) -> Result<(), SignError> {
    let (form_id, form) = source.acroform()?;
    let mut form = form.unwrap_or_default();
    form.set("SigFlags", Object::Integer(3));
    if let Some(field) = new_field {
        let mut fields = source
            .resolve(&form, b"Fields")
            .and_then(|f| f.as_array().cloned())
            .unwrap_or_default();
        fields.push(Object::Reference(field));
        form.set("Fields", Object::Array(fields));
    }
    if let Some(id) = form_id {
        update.put(id, &Object::Dictionary(form));
        return Ok(());
    }
    let form_id = update.add(&Object::Dictionary(form));
    let root = source.root_id();
    let mut catalog = source.catalog()?;
    catalog.set("AcroForm", Object::Reference(form_id));
    update.put(root, &Object::Dictionary(catalog));
    Ok(())
}
