//! Copies (bản sao, NĐ 30 Phụ lục I Phần II, Mẫu 3.1): the copied document reproduced
//! unchanged, then, right after its last block, a rule across the whole text width, the copy's
//! own header (the copying body, its number `Số: 07/SY-VP`, `SAO Y` / `SAO LỤC` /
//! `TRÍCH SAO` where the national title would be, the place and date), and its closing block
//! (recipients, the copy signer).

use crate::doc::assemble::{page_setup, para, rule, tail, width_of, wrap, AssemblyInput};
use crate::doc::model::*;
use crate::doc::names;
use crate::model::record::{Copy, COPY_FORMS};
use crate::profile::{single_pitch, Profile};

/// The copy of `original` (for `TRÍCH SAO`, a document already assembled from the excerpt).
/// `input` is the original's assembly input: the copy's closing reuses its layout.
pub(crate) fn copy_document(original: &Document, copy: &Copy, input: &AssemblyInput) -> Document {
    let p = input.format.profile();
    let (form, abbr, suffix) = copy.known_form().copied().unwrap_or(COPY_FORMS[0]);
    let abbr = p.copy_number_abbr.unwrap_or(abbr);
    let mut blocks = original.blocks.clone();
    // The copy's signer signs it; the original's signing spaces are reproduced text only.
    for block in &mut blocks {
        if let Block::Columns(c) = block {
            c.signing_spaces.clear();
        }
    }
    blocks.push(Block::Rule(Rule {
        length: original.page.text_width(),
        thickness_pt: p.rule_thickness_pt,
        space_before_pt: p.measures.copy_rule_space_before,
        space_after_pt: 0.0,
    }));
    blocks.push(copy_header(copy, form, abbr, p, input));
    let signers = vec![&copy.signer];
    let closing_input = AssemblyInput {
        number: copy.number,
        date: Some(copy.date),
        signers,
        recipients: &copy.recipients,
        entry: None,
        ..*input
    };
    blocks.extend(tail(&closing_input));
    let mut page = original.page.clone();
    // Phần II: the form of copy, the copying body, the copy's number and symbol.
    let number = p.number_line(copy.number, abbr, &copy.issuer.code);
    page.electronic_mark = Some(ElectronicMark::new(vec![
        form.to_string(),
        copy.issuer.name.replace('\n', " "),
        number,
    ]));
    Document {
        kind: format!("{}-{suffix}", original.kind),
        meta_title: format!("{form}: {}", original.meta_title),
        page,
        blocks,
    }
}

fn copy_header(copy: &Copy, form: &str, abbr: &str, p: &Profile, input: &AssemblyInput) -> Block {
    let issuer = &copy.issuer;
    let fonts = input.fonts;
    let left_w = p.header_left_width;
    let mut left = Vec::new();
    if let Some(parent) = &issuer.parent {
        let text = wrap(parent, left_w, p.superior, fonts);
        left.push(CellBlock::Para(para(&text, p.superior, Align::Center)));
    }
    let name = wrap(&issuer.name, left_w, p.issuer, fonts);
    left.push(CellBlock::Para(para(&name, p.issuer, Align::Center)));
    if let Some(frac) = p.issuer_rule_fraction {
        let w = names::widest(&name, |t| width_of(fonts, t, p.issuer)).min(left_w);
        left.push(CellBlock::Rule(rule(w * frac, p)));
    }
    let number = p.number_line(copy.number, abbr, &issuer.code);
    let mut number_para = para(&number, p.number, Align::Center);
    // The copy's form stands where the national title would be.
    let title_style = p.national_title.first().map_or(p.type_name, |(_, s)| *s);
    let right = vec![CellBlock::Para(para(form, title_style, Align::Center))];
    let mut date_para = para(
        &format!("{}, {}", issuer.place, copy.date.written_out()),
        p.date,
        Align::Center,
    );
    number_para.space_before_pt = p.measures.number_row_space_before;
    date_para.space_before_pt = p.measures.number_row_space_before;
    number_para.line_pitch_pt = single_pitch(p.date.size);
    let rows = vec![
        vec![left, right],
        vec![
            vec![CellBlock::Para(number_para)],
            vec![CellBlock::Para(date_para)],
        ],
    ];
    Block::Columns(Columns {
        widths: vec![left_w, page_setup(p).text_width() - left_w],
        rows,
        space_before_pt: p.measures.copy_header_space_before,
        signing_spaces: Vec::new(),
    })
}
