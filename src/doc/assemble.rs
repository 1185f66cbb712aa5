//! Assembly: a rendered template plus the record and the format profile become a
//! [`Document`] whose every size, spacing and rule length is resolved.

use crate::doc::markup::{self, MarkupBlock};
use crate::doc::model::*;
use crate::fonts::FontBook;
use crate::model::record::{DocumentEntry, Record};
use crate::profile::{single_pitch, LineStyle, Profile, SummaryMark};
use crate::template::{Layout, Rendered};

/// Everything assembly needs besides the rendered template.
pub struct AssemblyInput<'a> {
    pub record: &'a Record,
    pub entry: &'a DocumentEntry,
    pub rendered: &'a Rendered,
    pub fonts: &'a FontBook,
}

pub fn assemble(input: &AssemblyInput) -> Document {
    let profile = input.record.format.profile();
    let page = page_setup(profile);
    let mut blocks = Vec::new();
    let r = input.rendered;
    let meta_title;
    match r.front.layout {
        Layout::Official => {
            blocks.push(header(input, profile));
            let (title_blocks, title) = title_block(input, profile, page.text_width());
            meta_title = title;
            blocks.extend(title_blocks);
            blocks.extend(body(&r.body, profile, true));
            if let Some(closing) = closing(input.entry, profile) {
                blocks.push(closing);
            }
        }
        Layout::News => {
            let headline = r
                .headline
                .as_deref()
                .map(markup::inline_text)
                .unwrap_or_default();
            meta_title = headline.clone();
            if !headline.is_empty() {
                let mut p = para(&headline, styled(16.0, true), Align::Center);
                p.space_after_pt = 6.0;
                p.keep_with_next = true;
                blocks.push(Block::Para(p));
            }
            blocks.extend(body(&r.body, profile, false));
            if let Some(byline) = r.byline.as_deref().map(markup::inline_text) {
                let mut p = para(
                    &byline,
                    LineStyle {
                        italic: true,
                        ..styled(14.0, true)
                    },
                    Align::Right,
                );
                p.space_before_pt = 12.0;
                blocks.push(Block::Para(p));
            }
        }
    }
    Document {
        kind: input.entry.template.clone(),
        meta_title,
        page,
        blocks,
    }
}

fn page_setup(p: &Profile) -> PageSetup {
    PageSetup {
        width: 210.0,
        height: 297.0,
        margin_top: p.margin_top,
        margin_bottom: p.margin_bottom,
        margin_left: p.margin_left,
        margin_right: p.margin_right,
        page_number: PageNumberStyle {
            size_pt: p.page_number_size,
            from_top: p.page_number_from_top,
        },
    }
}

fn styled(size: f32, bold: bool) -> LineStyle {
    LineStyle {
        size,
        bold,
        italic: false,
        underline: false,
    }
}

/// A one-style paragraph at single line pitch.
fn para(text: &str, s: LineStyle, align: Align) -> Paragraph {
    Paragraph {
        runs: vec![Run {
            text: text.to_string(),
            bold: s.bold,
            italic: s.italic,
            underline: s.underline,
        }],
        align,
        size_pt: s.size,
        first_indent: 0.0,
        space_before_pt: 0.0,
        space_after_pt: 0.0,
        line_pitch_pt: single_pitch(s.size),
        keep_with_next: false,
    }
}

fn rule(length: Mm, p: &Profile) -> Block {
    Block::Rule(Rule {
        length,
        thickness_pt: p.rule_thickness_pt,
        space_before_pt: 1.0,
        space_after_pt: 2.0,
    })
}

fn width_of(fonts: &FontBook, text: &str, s: LineStyle) -> Mm {
    fonts.width_mm(text, s.bold, s.italic, s.size)
}

fn header(input: &AssemblyInput, p: &Profile) -> Block {
    let rec = input.record;
    let fonts = input.fonts;
    let entry = input.entry;
    let left_w = p.header_left_width;
    let mut left = Vec::new();
    if let Some(parent) = &rec.issuer.parent {
        left.push(Block::Para(para(parent, p.superior, Align::Center)));
    }
    left.push(Block::Para(para(&rec.issuer.name, p.issuer, Align::Center)));
    if let Some(mark) = p.issuer_mark {
        left.push(Block::Para(para(mark, p.superior, Align::Center)));
    }
    if let Some(frac) = p.issuer_rule_fraction {
        let w = width_of(fonts, &rec.issuer.name, p.issuer).min(left_w);
        left.push(rule(w * frac, p));
    }
    let abbr = input.rendered.front.abbr.as_deref().unwrap_or("");
    let number = p.number_line(entry.number.unwrap_or(0), abbr, &rec.issuer.code);
    let mut number_para = para(&number, p.number, Align::Center);
    let date = entry.date.unwrap_or(rec.session.date);
    let date_line = format!("{}, {}", rec.issuer.place, date.written_out());
    let mut date_para = para(&date_line, p.date, Align::Center);
    let mut right = Vec::new();
    for (text, s) in p.national_title {
        right.push(Block::Para(para(text, *s, Align::Center)));
    }
    if let Some((last, s)) = p.national_title.last() {
        right.push(rule(width_of(fonts, last, *s), p));
    }
    if p.number_and_date_same_row {
        // The shared row sits a little below both stacks.
        number_para.space_before_pt = 4.0;
        date_para.space_before_pt = 4.0;
        number_para.line_pitch_pt = single_pitch(p.date.size);
    } else {
        date_para.space_before_pt = 2.0;
    }
    left.push(Block::Para(number_para));
    right.push(Block::Para(date_para));
    Block::Columns(Columns {
        left_width: left_w,
        left,
        right,
        align_last: p.number_and_date_same_row,
        space_before_pt: 0.0,
    })
}

fn title_block(input: &AssemblyInput, p: &Profile, text_width: Mm) -> (Vec<Block>, String) {
    let r = input.rendered;
    let type_name = r.front.type_name.clone().unwrap_or_default();
    let mut summary = r
        .summary
        .as_deref()
        .map(markup::inline_text)
        .unwrap_or_default();
    if p.summary_sentence_case {
        let mut c = summary.chars();
        if let Some(f) = c.next() {
            summary = f.to_uppercase().chain(c).collect();
        }
    }
    let mut out = Vec::new();
    let mut t = para(&type_name, p.type_name, Align::Center);
    t.space_before_pt = 18.0;
    t.keep_with_next = true;
    out.push(Block::Para(t));
    if !summary.is_empty() {
        let mut s = para(&summary, p.summary, Align::Center);
        s.keep_with_next = true;
        out.push(Block::Para(s));
        match p.summary_mark {
            SummaryMark::Text(mark) => {
                let mut m = para(
                    mark,
                    LineStyle {
                        bold: false,
                        ..p.summary
                    },
                    Align::Center,
                );
                m.keep_with_next = true;
                out.push(Block::Para(m));
            }
            SummaryMark::Rule(frac) => {
                let w = width_of(input.fonts, &summary, p.summary).min(text_width);
                out.push(rule(w * frac, p));
            }
        }
    }
    let title = if summary.is_empty() {
        type_name
    } else {
        format!("{type_name} {summary}")
    };
    (out, title)
}

fn body(markup_text: &str, p: &Profile, official: bool) -> Vec<Block> {
    let mut out: Vec<Paragraph> = Vec::new();
    for block in markup::parse(markup_text) {
        let (runs, heading) = match block {
            MarkupBlock::Heading { runs, .. } => (runs, true),
            MarkupBlock::Paragraph(runs) => (runs, false),
            MarkupBlock::Item { label, mut runs } => {
                runs.insert(0, Run::plain(format!("{label} ")));
                (runs, false)
            }
        };
        out.push(Paragraph {
            runs,
            align: Align::Justify,
            size_pt: p.body_size,
            first_indent: p.body_indent,
            space_before_pt: p.body_space_before,
            space_after_pt: 0.0,
            line_pitch_pt: p.body_line_pitch,
            keep_with_next: heading,
        });
        if heading {
            if let Some(last) = out.last_mut() {
                for r in last.runs.iter_mut() {
                    r.bold = true;
                }
            }
        }
    }
    if official {
        if let Some(last) = out.last_mut() {
            // The closing block never stands alone: keep the last paragraph with it.
            last.keep_with_next = true;
            if let (Some(mark), Some(run)) = (p.body_end_mark, last.runs.last_mut()) {
                let trimmed = run.text.trim_end().trim_end_matches('.');
                if !run.text.ends_with(mark) {
                    run.text = format!("{trimmed}{mark}");
                }
            }
        }
    }
    out.into_iter().map(Block::Para).collect()
}

fn closing(entry: &DocumentEntry, p: &Profile) -> Option<Block> {
    let signer = entry.signer.as_ref()?;
    let mut left = Vec::new();
    let auth_pitch = single_pitch(p.authority.size);
    let mut label = para("Nơi nhận:", p.recipients_label, Align::Left);
    // Same pitch as the authority line, so both share a baseline.
    label.line_pitch_pt = auth_pitch;
    left.push(Block::Para(label));
    for item in entry.recipients.iter().flatten() {
        left.push(Block::Para(para(
            &format!("- {item}"),
            p.recipients_item,
            Align::Left,
        )));
    }
    let mut right = vec![
        Block::Para(para(&signer.authority, p.authority, Align::Center)),
        Block::Para(para(&signer.position, p.position, Align::Center)),
    ];
    let mut name = para(&signer.name, p.signer_name, Align::Center);
    name.space_before_pt = p.signature_space / crate::fonts::MM_PER_PT;
    right.push(Block::Para(name));
    Some(Block::Columns(Columns {
        left_width: p.closing_left_width,
        left,
        right,
        align_last: false,
        space_before_pt: 12.0,
    }))
}
