//! State administrative documents: Nghị định 30/2020/NĐ-CP, Phụ lục I (format-spec §3),
//! with the "14-set" of sizes.

use super::{style, LineStyle, Profile, SummaryMark};

const B13: LineStyle = style(13.0, true, false, false);
const B14: LineStyle = style(14.0, true, false, false);

pub static STATE: Profile = Profile {
    name: "state",
    // §1: recommended defaults 20/20/30/15, inside every NĐ 30 range.
    margin_top: 20.0,
    margin_bottom: 20.0,
    margin_left: 30.0,
    margin_right: 15.0,
    page_number_size: 14.0,
    page_number_from_top: 10.0,
    header_left_width: 66.0,
    national_title: &[
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", B13),
        ("Độc lập - Tự do - Hạnh phúc", B14),
    ],
    superior: style(13.0, false, false, false),
    issuer: B13,
    issuer_mark: None,
    issuer_rule_fraction: Some(0.4),
    number: style(13.0, false, false, false),
    date: style(14.0, false, true, false),
    number_and_date_same_row: true,
    rule_thickness_pt: 0.75,
    type_name: B14,
    summary: B14,
    summary_sentence_case: true,
    summary_mark: SummaryMark::Rule(0.4),
    body_size: 14.0,
    body_indent: 10.0,
    body_space_before: 6.0,
    body_line_pitch: 18.0,
    table_size: 13.0,
    body_end_mark: Some("./."),
    closing_left_width: 70.0,
    recipients_label: style(12.0, true, true, false),
    recipients_item: style(11.0, false, false, false),
    authority: B14,
    position: B14,
    signer_name: B14,
    signature_space: 25.0,
    authority_prefixes: &["TM. ", "KT. ", "TL. ", "TUQ. ", "Q. "],
    other_title: B14,
    nested_recipient_indent: 5.0,
    drafter: style(11.0, false, false, false),
    to: style(14.0, false, false, false),
    letter_summary_prefix: "V/v ",
    letter_summary: style(12.0, false, false, false),
    letter_number_has_abbr: false,
    minutes_date_line: false,
    mark: B14,
    address: style(11.0, false, false, false),
};
