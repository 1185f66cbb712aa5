//! Which signature field a signature fills (the fields contract: `person-N`, `organisation`,
//! `electronic`, or `--field`), or where a new one goes on a PDF without it.

use super::object::ObjectId;
use super::source::{SigField, Source};
use super::{NewField, Options, Role};
use crate::error::SignError;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// The field a signature goes into.
pub enum Target {
    Existing(SigField),
    New {
        name: String,
        page: ObjectId,
        rect: [f32; 4],
    },
}

impl Target {
    pub fn rect(&self) -> [f32; 4] {
        match self {
            Target::Existing(f) => f.rect,
            Target::New { rect, .. } => *rect,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Target::Existing(f) => &f.name,
            Target::New { name, .. } => name,
        }
    }
}

/// The field `options` ask for among `fields`.
pub fn choose(
    source: &Source,
    fields: &[SigField],
    options: &Options,
) -> Result<Target, SignError> {
    let named = |name: &str| fields.iter().find(|f| f.name == name);
    if let Some(name) = &options.field {
        return match named(name) {
            Some(f) if f.signed => Err(SignError::FieldSigned(name.clone())),
            Some(f) => Ok(Target::Existing(f.clone())),
            None if options.new_field.is_some() => new_field(source, name.clone(), options),
            None => Err(SignError::NoSuchField(name.clone())),
        };
    }
    match options.role {
        Role::Person => {
            let mut people: Vec<(u32, &SigField)> = fields
                .iter()
                .filter_map(|f| Some((f.name.strip_prefix("person-")?.parse().ok()?, f)))
                .collect();
            people.sort_by_key(|p| p.0);
            if let Some((_, f)) = people.iter().find(|(_, f)| !f.signed) {
                return Ok(Target::Existing((*f).clone()));
            }
            if options.new_field.is_none() {
                return Err(SignError::NoFreeField(options.role.name().into()));
            }
            let next = (1..)
                .find(|n| named(&format!("person-{n}")).is_none())
                .unwrap_or(1);
            new_field(source, format!("person-{next}"), options)
        }
        role => {
            let name = role.field_name();
            match named(name) {
                Some(f) if f.signed => Err(SignError::RoleSigned(role.name().into())),
                Some(f) => Ok(Target::Existing(f.clone())),
                None if options.new_field.is_some() || role.is_electronic() => {
                    new_field(source, name.into(), options)
                }
                None => Err(SignError::NoFreeField(role.name().into())),
            }
        }
    }
}

/// A new field named `name`: at `--page`/`--rect`, or for an electronic copy at the top
/// right of page 1 (90 mm × 14 mm, 15 mm from the right edge and 5 mm from the top).
fn new_field(source: &Source, name: String, options: &Options) -> Result<Target, SignError> {
    if let Some(NewField { page, rect_mm }) = &options.new_field {
        let page = source.page(*page)?;
        let [x0, y0, x1, y1] = rect_mm.map(|v| v * PT_PER_MM);
        return Ok(Target::New {
            name,
            page,
            rect: [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)],
        });
    }
    let page = source.page(1)?;
    let media = source.media_box(1);
    let x1 = media[2] - 15.0 * PT_PER_MM;
    let y1 = media[3] - 5.0 * PT_PER_MM;
    Ok(Target::New {
        name,
        page,
        rect: [x1 - 90.0 * PT_PER_MM, y1 - 14.0 * PT_PER_MM, x1, y1],
    })
}
