//! An appendix (Phụ lục, NĐ 30 Mẫu 2.1): a new section whose pages are numbered from 1, the
//! `Phụ lục I` line, the title in capitals, the `(Kèm theo …)` line, a short rule, then the
//! appendix's own blocks.

use crate::doc::model::{Align, Block, Mm, Paragraph, Rule, Run, SectionStart};
use crate::fonts::FontBook;
use crate::profile::{single_pitch, Profile, SummaryMark};

/// One centred heading line of `size` points.
fn line(text: String, size: f32, bold: bool, italic: bool) -> Block {
    Block::Para(Paragraph {
        runs: vec![Run {
            text,
            bold,
            italic,
            underline: false,
        }],
        align: Align::Center,
        size_pt: size,
        first_indent: 0.0,
        left_indent: 0.0,
        space_before_pt: 0.0,
        space_after_pt: 0.0,
        line_pitch_pt: single_pitch(size),
        keep_with_next: true,
    })
}

/// The blocks of one appendix: a section start that restarts the page numbers, `Phụ lục I`
/// (`Phụ lục` alone without a numeral) 14 pt bold, the title 14 pt bold capitals, the
/// `attached` line (`Kèm theo …`, written in parentheses) 14 pt italic, all centred; a rule of
/// the profile's summary-rule fraction of the title's width; then `content_blocks`.
pub fn appendix_blocks(
    numeral: Option<&str>,
    title: &str,
    attached: &str,
    content_blocks: Vec<Block>,
    profile: &Profile,
    fonts: &FontBook,
    text_width: Mm,
) -> Vec<Block> {
    let label = match numeral.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("Phụ lục {n}"),
        None => "Phụ lục".to_owned(),
    };
    let title = title.trim().to_uppercase();
    let attached = attached.trim();
    let attached = if attached.starts_with('(') {
        attached.to_owned()
    } else {
        format!("({attached})")
    };
    let fraction = match profile.summary_mark {
        SummaryMark::Rule(f) => f,
        SummaryMark::Text(_) => profile.measures.appendix_rule_fraction,
    };
    let size = profile.measures.appendix_heading_size;
    let title_width = fonts.width_mm(&title, true, false, size).min(text_width);
    let mut out = vec![
        Block::Section(SectionStart {
            restart_numbering: true,
        }),
        line(label, size, true, false),
        line(title, size, true, false),
        line(attached, size, false, true),
        Block::Rule(Rule {
            length: title_width * fraction,
            thickness_pt: profile.rule_thickness_pt,
            space_before_pt: profile.measures.rule_space_before,
            space_after_pt: 0.0,
        }),
    ];
    out.extend(content_blocks);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::Format;

    #[test]
    fn an_appendix_starts_a_numbered_section_with_its_heading_lines() {
        let fonts = FontBook::builtin();
        let profile = Format::State.profile();
        let blocks = appendix_blocks(
            Some("I"),
            "Danh mục các dự án",
            "Kèm theo Báo cáo số 12/BC-UBND ngày 05 tháng 01 năm 2023",
            vec![],
            profile,
            &fonts,
            165.0,
        );
        assert_eq!(
            blocks[0],
            Block::Section(SectionStart {
                restart_numbering: true
            })
        );
        let text = |b: &Block| match b {
            Block::Para(p) => p.text(),
            _ => String::new(),
        };
        assert_eq!(text(&blocks[1]), "Phụ lục I");
        assert_eq!(text(&blocks[2]), "DANH MỤC CÁC DỰ ÁN");
        assert!(text(&blocks[3]).starts_with("(Kèm theo Báo cáo"));
        assert!(text(&blocks[3]).ends_with(')'));
        let Block::Rule(r) = &blocks[4] else {
            panic!("no rule: {:?}", blocks[4]);
        };
        let w = fonts.width_mm("DANH MỤC CÁC DỰ ÁN", true, false, 14.0);
        assert!(r.length > w / 3.0 - 0.01 && r.length < w / 2.0 + 0.01);
        let none = appendix_blocks(None, "x", "(y)", vec![], profile, &fonts, 165.0);
        assert_eq!(text(&none[1]), "Phụ lục");
        assert_eq!(text(&none[3]), "(y)");
    }
}
