//! Party documents: Hướng dẫn 36-HD/VPTW (format-spec §2).

use super::{style, LineStyle, Profile, SummaryMark, MEASURES};

const B14: LineStyle = style(14.0, true, false, false);
const R14: LineStyle = style(14.0, false, false, false);

pub(crate) static PARTY: Profile = Profile {
    name: "party",
    // §1: 20/20/30/15, fixed values [C].
    margin_top: 20.0,
    margin_bottom: 20.0,
    margin_left: 30.0,
    margin_right: 15.0,
    // UNVERIFIED: centred at the top, 14 pt, none on page 1.
    page_number_size: 14.0,
    page_number_from_top: 10.0,
    // §2.1 UNVERIFIED: 66 | 99 mm.
    header_left_width: 66.0,
    national_title: &[("ĐẢNG CỘNG SẢN VIỆT NAM", style(15.0, true, false, false))],
    superior: R14,
    issuer: B14,
    // The `*` size is UNVERIFIED: 14 regular.
    issuer_mark: Some("*"),
    issuer_rule_fraction: None,
    number: R14,
    number_form: "Số {n}-{type}/{issuer}",
    date: style(14.0, false, true, false),
    number_and_date_same_row: false,
    rule_thickness_pt: 0.75,
    type_name: style(16.0, true, false, false),
    summary: B14,
    summary_sentence_case: false,
    // UNVERIFIED in HD 36: `-----` under the summary.
    summary_mark: SummaryMark::Text("-----"),
    // §2.2 (UNVERIFIED defaults): 14 pt, indent 10 mm, 6 pt before, exactly 18 pt.
    body_size: 14.0,
    body_indent: 10.0,
    body_space_before: 6.0,
    body_line_pitch: 18.0,
    table_size: 13.0,
    body_end_mark: None,
    closing_left_width: 70.0,
    // UNVERIFIED: `Nơi nhận:` 14 underlined, items 12.
    recipients_label: style(14.0, false, false, true),
    recipients_item: style(12.0, false, false, false),
    authority: B14,
    // UNVERIFIED: position regular in Party documents.
    position: R14,
    signer_name: B14,
    signature_space: 25.0,
    authority_prefixes: &["T/M ", "K/T ", "T/L "],
    other_title: style(14.0, true, false, false),
    nested_recipient_indent: 5.0,
    drafter: style(11.0, false, false, false),
    to: style(14.0, false, false, false),
    // UNVERIFIED: the prefix and the italic are [S] only.
    letter_summary_prefix: "V/v ",
    letter_summary: style(12.0, false, true, false),
    letter_number_has_abbr: true,
    copy_number_abbr: Some("BS"),
    minutes_date_line: true,
    mark: style(14.0, true, false, false),
    address: style(11.0, false, false, false),
    measures: MEASURES,
};
