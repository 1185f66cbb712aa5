//! The layout checker: the checks of format-spec §10 that apply to our documents, run on the
//! PDF (text positions, fonts, drawn rules, colours) and on the DOCX XML.
//! Each check records its §10 number, so a report can say which applied and passed.

use std::collections::BTreeMap;
use std::path::Path;

use super::docx;
use super::pdf::{self, Page, TextLine, PT};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Party,
    State,
}

/// The spec's numbers, written out independently of the code under test.
pub struct Expect {
    pub profile: Profile,
    pub title_size: (f32, f32),
    pub summary_size: (f32, f32),
    pub header_body_size: (f32, f32),
    pub number_size: f32,
    pub date_size: (f32, f32),
    pub sign_size: (f32, f32),
    pub label_size: f32,
    pub item_size: f32,
    pub page_number_size: (f32, f32),
    /// The type name line (ô 5a), `THÔNG BÁO` unless set with [`Expect::kind`].
    pub type_name: &'static str,
    /// A công văn (Mẫu 1.5): no type-name line; the body follows the Kính gửi block.
    pub letter: bool,
    /// Minutes (Mẫu 1.9): the two signers' captions, left and right; no State date line.
    pub minutes: Option<(&'static str, &'static str)>,
}

impl Expect {
    /// The same expectations for another kind of document (`KẾ HOẠCH`, `GIẤY MỜI`, …).
    pub fn kind(self, type_name: &'static str) -> Expect {
        Expect { type_name, ..self }
    }

    /// The same expectations for minutes signed by `left` and `right` side by side.
    pub fn minutes(self, left: &'static str, right: &'static str) -> Expect {
        Expect {
            minutes: Some((left, right)),
            ..self
        }
    }

    /// The same expectations for a công văn.
    pub fn letter(self) -> Expect {
        Expect {
            letter: true,
            ..self
        }
    }

    pub fn party() -> Expect {
        Expect {
            profile: Profile::Party,
            title_size: (15.0, 16.0),
            summary_size: (14.0, 15.0),
            header_body_size: (14.0, 14.0),
            number_size: 14.0,
            date_size: (14.0, 14.0),
            sign_size: (14.0, 14.0),
            label_size: 14.0,
            item_size: 12.0,
            page_number_size: (14.0, 14.0),
            type_name: "THÔNG BÁO",
            letter: false,
            minutes: None,
        }
    }
    pub fn state() -> Expect {
        Expect {
            profile: Profile::State,
            title_size: (13.0, 14.0),
            summary_size: (13.0, 14.0),
            header_body_size: (12.0, 13.0),
            number_size: 13.0,
            date_size: (13.0, 14.0),
            sign_size: (13.0, 14.0),
            label_size: 12.0,
            item_size: 11.0,
            page_number_size: (13.0, 14.0),
            type_name: "THÔNG BÁO",
            letter: false,
            minutes: None,
        }
    }
}

/// Results by §10 check number: every check that ran, and the failures' messages.
#[derive(Debug, Default)]
pub struct Report {
    pub results: BTreeMap<u32, Vec<String>>,
}

impl Report {
    pub fn check(&mut self, n: u32, ok: bool, msg: impl FnOnce() -> String) {
        let e = self.results.entry(n).or_default();
        if !ok {
            e.push(msg());
        }
    }
    pub fn failures(&self) -> Vec<String> {
        self.results
            .iter()
            .flat_map(|(n, v)| v.iter().map(move |m| format!("§10.{n}: {m}")))
            .collect()
    }
    pub fn passed(&self) -> Vec<u32> {
        self.results
            .iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(n, _)| *n)
            .collect()
    }
}

fn within(v: f32, lo: f32, hi: f32) -> bool {
    v >= lo - 0.05 && v <= hi + 0.05
}

const LEFT: f32 = 30.0;
const RIGHT: f32 = 195.0;
const CENTRE: f32 = (LEFT + RIGHT) / 2.0;

fn is_upper(s: &str) -> bool {
    s.chars().all(|c| !c.is_lowercase())
}

/// The ô 13 address at the foot of page 1 (NĐ 30 PL I §III.4): lines of 11–12 pt, upright,
/// under a rule across the text width, below the text block. Checked here (with the optional
/// elements, check 52) and taken off the page, so the text-block checks see the text block only.
fn take_address_footer(page: &mut pdf::Page, rep: &mut Report) {
    let Some(rule_y) = page
        .lines
        .iter()
        .filter(|h| h.y > 265.0 && (h.x0 - LEFT).abs() <= 1.0 && (h.x1 - RIGHT).abs() <= 1.0)
        .map(|h| h.y)
        .reduce(f32::min)
    else {
        return;
    };
    let (foot, rest): (Vec<pdf::Span>, Vec<pdf::Span>) =
        page.spans.drain(..).partition(|s| s.y > rule_y);
    page.spans = rest;
    page.lines.retain(|h| h.y < rule_y - 0.01);
    // Recorded with the optional elements' check (52).
    for s in &foot {
        rep.check(
            52,
            (11.0..=12.0).contains(&s.size) && !s.bold() && !s.italic() && s.y <= 297.0 - 5.0,
            || format!("ô 13 address {:?} at {:.1} mm, {} pt", s.text, s.y, s.size),
        );
    }
}

fn find(lines: &[TextLine], pred: impl Fn(&str) -> bool) -> Option<&TextLine> {
    lines.iter().find(|l| pred(l.text().trim()))
}

/// Runs the PDF checks of an official document (notice of conclusions).
pub fn check_pdf(path: &Path, ex: &Expect, rep: &mut Report) {
    let mut pages = pdf::read(path);
    assert!(!pages.is_empty());
    if let Some(p1) = pages.first_mut() {
        take_address_footer(p1, rep);
    }
    let p1 = &pages[0];
    let l1 = p1.text_lines();
    let party = ex.profile == Profile::Party;

    // 1. Page size.
    for (i, p) in pages.iter().enumerate() {
        rep.check(
            1,
            (p.width - 210.0).abs() <= 0.5 && (p.height - 297.0).abs() <= 0.5,
            || format!("page {} is {:.1}×{:.1} mm", i + 1, p.width, p.height),
        );
    }
    // 2/3. Text block edges; 4. nothing outside it but page numbers.
    let margin_check = if party { 2 } else { 3 };
    for (i, p) in pages.iter().enumerate() {
        for l in p.text_lines() {
            let is_page_number = i > 0 && l.y() < 20.0 && l.text().trim() == (i + 1).to_string();
            if is_page_number {
                continue;
            }
            let top = l.y() - 0.891 * l.size() * PT;
            let bottom = l.y() + 0.216 * l.size() * PT;
            let inside = l.x0() >= LEFT - 1.0
                && l.x1() <= RIGHT + 1.0
                && top >= 19.0
                && bottom <= 277.0 + 1.0;
            rep.check(4, inside, || {
                format!(
                    "page {}: {:?} at x {:.1}–{:.1}, y {:.1}",
                    i + 1,
                    l.text(),
                    l.x0(),
                    l.x1(),
                    l.y()
                )
            });
        }
        let body: Vec<TextLine> = p
            .text_lines()
            .into_iter()
            .filter(|l| l.size() == 14.0 && l.y() > 20.0)
            .collect();
        if let (Some(min_x), Some(max_x)) = (
            body.iter().map(|l| l.x0()).reduce(f32::min),
            body.iter().map(|l| l.x1()).reduce(f32::max),
        ) {
            rep.check(
                margin_check,
                (min_x - LEFT).abs() <= 1.0 && (max_x - RIGHT).abs() <= 1.0,
                || {
                    format!(
                        "page {}: text block spans {min_x:.1}–{max_x:.1} mm, expected 30–195",
                        i + 1
                    )
                },
            );
        }
        if let Some(first) = body.first() {
            let top = first.y() - 0.891 * first.size() * PT;
            rep.check(margin_check, within(top, 19.0, 26.0), || {
                format!("page {}: first line top at {top:.1} mm", i + 1)
            });
        }
    }
    // 5, 39. One font family; 6. black; 7. NFC.
    let families: std::collections::BTreeSet<String> = pages
        .iter()
        .flat_map(|p| {
            p.spans.iter().map(|s| {
                s.font
                    .split_once('+')
                    .map_or(s.font.clone(), |x| x.1.to_string())
            })
        })
        .map(|f| f.split('-').next().unwrap_or("").to_string())
        .collect();
    rep.check(
        5,
        families.len() == 1
            && families
                .iter()
                .all(|f| f == "LiberationSerif" || f.starts_with("TimesNewRoman")),
        || format!("font families {families:?}"),
    );
    rep.check(39, families.len() == 1, || {
        format!("font families {families:?}")
    });
    let colours_ok = pages
        .iter()
        .all(|p| p.fill_colours.iter().all(|c| c.iter().all(|v| *v == 0.0)));
    rep.check(6, colours_ok, || "a fill colour other than black".into());
    let all_text: String = pages
        .iter()
        .flat_map(|p| p.spans.iter().map(|s| s.text.clone()))
        .collect();
    use unicode_normalization::UnicodeNormalization;
    rep.check(7, all_text.nfc().collect::<String>() == all_text, || {
        "text is not NFC".into()
    });
    // 8, 9. Page numbers.
    rep.check(
        8,
        l1.iter().all(|l| !(l.y() < 20.0 && l.text().trim() == "1")),
        || "page 1 shows a number".into(),
    );
    for (i, p) in pages.iter().enumerate().skip(1) {
        let lines = p.text_lines();
        let num = find(&lines, |t| t == (i + 1).to_string());
        rep.check(
            9,
            num.is_some_and(|n| {
                (n.centre() - CENTRE).abs() <= 2.0
                    && n.y() < 20.0
                    && within(n.size(), ex.page_number_size.0, ex.page_number_size.1)
                    && !n.all_bold()
                    && !n.all_italic()
            }),
            || {
                format!(
                    "page {}: number {:?}",
                    i + 1,
                    num.map(|n| (n.text(), n.centre(), n.y(), n.size()))
                )
            },
        );
    }
    // 11. National title lines.
    let right: Vec<&TextLine> = l1
        .iter()
        .filter(|l| l.centre() > LEFT + 66.0 && l.y() < 60.0)
        .collect();
    let left: Vec<&TextLine> = l1
        .iter()
        .filter(|l| l.centre() < LEFT + 66.0 && l.y() < 60.0)
        .collect();
    let text = pdf::body_lines(&pages).join("\n");
    let (first_title, qh_rule_of) = if party {
        let t = right.first();
        rep.check(
            11,
            t.is_some_and(|t| {
                t.text() == "ĐẢNG CỘNG SẢN VIỆT NAM" && t.size() == 15.0 && t.all_bold()
            }),
            || format!("{:?}", t.map(|t| t.text())),
        );
        rep.check(
            11,
            !text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            || "Quốc hiệu in a Party document".into(),
        );
        (t.copied(), t.copied())
    } else {
        let qh = right.first();
        let tn = right.get(1);
        rep.check(
            11,
            qh.is_some_and(|t| {
                t.text() == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
                    && within(t.size(), 12.0, 13.0)
                    && t.all_bold()
            }),
            || format!("{:?}", qh.map(|t| t.text())),
        );
        rep.check(
            11,
            tn.is_some_and(|t| {
                t.text() == "Độc lập - Tự do - Hạnh phúc"
                    && within(t.size(), 13.0, 14.0)
                    && t.all_bold()
            }),
            || format!("{:?}", tn.map(|t| t.text())),
        );
        rep.check(
            11,
            !text.contains("ĐẢNG CỘNG SẢN VIỆT NAM"),
            || "Party title in a State document".into(),
        );
        (qh.copied(), tn.copied())
    };
    // 12. Rule under the Party title / Tiêu ngữ: its own length, centred.
    let rule_under = |line: &TextLine, page: &Page| -> Option<pdf::HLine> {
        page.lines
            .iter()
            .filter(|r| r.y > line.y() && r.y < line.y() + 6.0)
            .min_by(|a, b| a.y.total_cmp(&b.y))
            .cloned()
    };
    if let Some(t) = qh_rule_of {
        let r = rule_under(t, p1);
        rep.check(
            12,
            r.as_ref().is_some_and(|r| {
                let len = r.x1 - r.x0;
                let w = t.x1() - t.x0();
                (len - w).abs() <= 0.05 * w && ((r.x0 + r.x1) / 2.0 - t.centre()).abs() <= 1.0
            }),
            || {
                format!(
                    "rule {r:?} under {:?} ({:.1}–{:.1})",
                    t.text(),
                    t.x0(),
                    t.x1()
                )
            },
        );
    }
    // Issuer lines.
    let issuer_lines: Vec<&&TextLine> = left.iter().filter(|l| l.all_bold()).collect();
    let superior = left.first();
    let issuer_first = issuer_lines.first();
    // 13 (State) / 14 (Party).
    if let Some(iss) = issuer_first {
        if party {
            let star = left.iter().find(|l| l.text() == "*");
            rep.check(
                14,
                star.is_some_and(|s| (s.centre() - iss.centre()).abs() <= 2.0),
                || "no centred * under the issuing body".into(),
            );
            let rule_below_issuer = p1
                .lines
                .iter()
                .any(|r| r.x1 < LEFT + 70.0 && r.y > iss.y() && r.y < iss.y() + 12.0);
            rep.check(14, !rule_below_issuer, || {
                "a rule under the Party issuing body".into()
            });
        } else {
            let last_issuer = issuer_lines.last().copied().unwrap_or(iss);
            let widest = issuer_lines
                .iter()
                .map(|l| l.x1() - l.x0())
                .fold(0.0, f32::max);
            let r = rule_under(last_issuer, p1);
            rep.check(
                13,
                r.as_ref().is_some_and(|r| {
                    let len = r.x1 - r.x0;
                    len >= widest / 3.0 - 0.5
                        && len <= widest / 2.0 + 0.5
                        && ((r.x0 + r.x1) / 2.0 - last_issuer.centre()).abs() <= 1.0
                }),
                || format!("issuer rule {r:?}, name width {widest:.1}"),
            );
        }
        // 15.
        rep.check(
            15,
            superior.is_some_and(|s| {
                !s.all_bold()
                    && is_upper(&s.text())
                    && within(s.size(), ex.header_body_size.0, ex.header_body_size.1)
            }) && iss.all_bold()
                && is_upper(&iss.text())
                && superior.is_some_and(|s| s.size() == iss.size()),
            || {
                format!(
                    "superior {:?} / issuer {:?}",
                    superior.map(|s| (s.text(), s.size(), s.all_bold())),
                    (iss.text(), iss.size())
                )
            },
        );
    }
    // 16. Number line.
    let number = left.iter().find(|l| l.text().starts_with("Số"));
    let number_ok = number.is_some_and(|n| {
        let t = n.text();
        let shape = if party {
            party_number(&t)
        } else {
            state_number(&t)
        };
        shape && n.size() == ex.number_size && !n.all_bold() && !n.all_italic()
    });
    rep.check(16, number_ok, || {
        format!("number line {:?}", number.map(|n| (n.text(), n.size())))
    });
    // 17. Date line (none in State minutes: check 48).
    let date = right.iter().find(|l| l.text().contains(", ngày "));
    let minutes_state = ex.minutes.is_some() && !party;
    if minutes_state {
        rep.check(48, date.is_none(), || {
            "State minutes have a date line".into()
        });
    }
    rep.check(
        if minutes_state { 48 } else { 17 },
        date.is_some_and(|d| {
            date_line(&d.text())
                && d.all_italic()
                && within(d.size(), ex.date_size.0, ex.date_size.1)
        }) || minutes_state,
        || format!("date line {:?}", date.map(|d| (d.text(), d.size()))),
    );
    // 18.
    if let (Some(n), Some(d)) = (number, date) {
        if party {
            let rule_y = first_title
                .and_then(|t| rule_under(t, p1))
                .map(|r| r.y)
                .unwrap_or(f32::MAX);
            rep.check(18, d.y() > rule_y, || {
                "the date is not below the title rule".into()
            });
        } else {
            rep.check(18, (n.y() - d.y()).abs() <= 2.0 * PT, || {
                format!("Số at y {:.2}, date at {:.2}", n.y(), d.y())
            });
        }
    }
    // 19. Column centres.
    let left_centre = superior.map(|s| s.centre()).unwrap_or(0.0);
    let right_centre = right.first().map(|s| s.centre()).unwrap_or(0.0);
    rep.check(
        19,
        (left_centre - (LEFT + 33.0)).abs() <= 5.0
            && (right_centre - (LEFT + 66.0 + 49.5)).abs() <= 5.0,
        || format!("column centres {left_centre:.1} / {right_centre:.1}"),
    );
    // 20–22. Title block.
    let type_line = find(&l1, |t| t == ex.type_name);
    if ex.letter {
        // 23: a công văn has no type-name line and no summary under a title; its summary is
        // the `V/v` line in the header's left column.
        let vv = find(&l1, |t| t.starts_with("V/v "));
        rep.check(
            23,
            type_line.is_none() && vv.is_some_and(|v| v.centre() < LEFT + 66.0 + 1.0),
            || format!("V/v line {:?}", vv.map(|v| v.centre())),
        );
    }
    let summary: Vec<&TextLine> = if ex.letter {
        Vec::new()
    } else {
        type_line
            .map(|t| {
                l1.iter()
                    .filter(|l| {
                        l.y() > t.y() && l.y() < t.y() + 25.0 && l.all_bold() && l.text() != "-----"
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if !ex.letter {
        rep.check(
            20,
            type_line.is_some_and(|t| {
                t.all_bold()
                    && within(t.size(), ex.title_size.0, ex.title_size.1)
                    && (t.centre() - CENTRE).abs() <= 1.0
            }),
            || format!("{:?}", type_line.map(|t| (t.size(), t.centre()))),
        );

        let summary_text = summary
            .iter()
            .map(|l| l.text())
            .collect::<Vec<_>>()
            .join(" ");
        rep.check(
            21,
            !summary.is_empty()
                && summary.iter().all(|l| {
                    within(l.size(), ex.summary_size.0, ex.summary_size.1)
                        && (l.centre() - CENTRE).abs() <= 1.0
                })
                && !is_upper(&summary_text),
            || format!("summary {summary_text:?}"),
        );
        if party {
            rep.check(
                21,
                summary_text.chars().next().is_some_and(char::is_lowercase),
                || "Party summary starts upper-case".into(),
            );
            let mark = summary
                .last()
                .and_then(|s| l1.iter().find(|l| l.y() > s.y() && l.text() == "-----"));
            rep.check(
                22,
                mark.is_some_and(|m| (m.centre() - CENTRE).abs() <= 1.0),
                || "no centred ----- under the summary".into(),
            );
        } else if let Some(last) = summary.last() {
            let longest = summary.iter().map(|l| l.x1() - l.x0()).fold(0.0, f32::max);
            let r = rule_under(last, p1);
            rep.check(
                22,
                r.as_ref().is_some_and(|r| {
                    let len = r.x1 - r.x0;
                    len >= longest / 3.0 - 0.5
                        && len <= longest / 2.0 + 0.5
                        && ((r.x0 + r.x1) / 2.0 - CENTRE).abs() <= 1.0
                }),
                || format!("summary rule {r:?}, longest line {longest:.1}"),
            );
        }
    }
    // 24–27. Body.
    // The body starts below the summary and its mark (`-----` or a rule).
    let mut body_top = summary.last().map(|s| s.y()).unwrap_or(0.0);
    if ex.letter {
        // The body follows the Kính gửi block: its line, then its items aligned under the
        // colon (well right of the body's indent).
        if let Some(k) = find(&l1, |t| t.starts_with("Kính gửi:")) {
            body_top = k.y();
            for l in l1.iter().filter(|l| l.y() > k.y()) {
                if l.text().starts_with("- ") && l.x0() > LEFT + 20.0 {
                    body_top = l.y();
                } else {
                    break;
                }
            }
        }
    }
    if let Some(m) = l1.iter().find(|l| l.text() == "-----" && l.y() > body_top) {
        body_top = m.y();
    }
    if let Some(r) = p1
        .lines
        .iter()
        .filter(|r| r.y > body_top && r.y < body_top + 6.0)
        .map(|r| r.y)
        .reduce(f32::max)
    {
        body_top = r;
    }
    let body_top = body_top + 0.5;
    let mut body: Vec<(usize, TextLine)> = Vec::new();
    let last_page = pages.len() - 1;
    // The closing block starts at `Nơi nhận:` and the authority; in the minutes at the
    // signers' captions (Nơi nhận comes below them).
    let closing_anchor = ex.minutes.map_or("Nơi nhận:", |(left, _)| left);
    let closing_y = find(&pages[last_page].text_lines(), |t| t == closing_anchor)
        .map(|l| l.y())
        .unwrap_or(f32::MAX);
    for (i, p) in pages.iter().enumerate() {
        for l in p.text_lines() {
            if l.y() < 20.0
                || (i == 0 && l.y() <= body_top)
                || (i == last_page && l.y() >= closing_y - 1.0)
            {
                continue;
            }
            body.push((i, l));
        }
    }
    rep.check(
        24,
        !body.is_empty()
            && body
                .iter()
                .all(|(_, l)| l.size() == 14.0 && !l.spans.iter().any(|s| s.italic())),
        || "body size/slant".into(),
    );
    for (k, (page, l)) in body.iter().enumerate() {
        let indented = (l.x0() - (LEFT + 10.0)).abs() <= 0.3;
        rep.check(26, indented || (l.x0() - LEFT).abs() <= 0.3, || {
            format!("line starts at {:.2}: {:?}", l.x0(), l.text())
        });
        let next_starts_paragraph = body
            .get(k + 1)
            .is_none_or(|(_, n)| (n.x0() - (LEFT + 10.0)).abs() <= 0.3);
        if !next_starts_paragraph {
            rep.check(25, (l.x1() - RIGHT).abs() <= 0.5, || {
                format!(
                    "page {}: justified line ends at {:.2}: {:?}",
                    page + 1,
                    l.x1(),
                    l.text()
                )
            });
        }
        if let Some((np, n)) = body.get(k + 1) {
            if np == page {
                let gap_pt = (n.y() - l.y()) / PT;
                if (n.x0() - (LEFT + 10.0)).abs() <= 0.3 {
                    rep.check(27, gap_pt >= 18.0 + 6.0 - 0.1, || {
                        format!("paragraph gap {gap_pt:.1} pt")
                    });
                } else {
                    rep.check(27, within(gap_pt, 16.1, 24.2), || {
                        format!("line pitch {gap_pt:.1} pt")
                    });
                }
            }
        }
    }
    let body_text = body
        .iter()
        .map(|(_, l)| l.text())
        .collect::<Vec<_>>()
        .join(" ");
    if party {
        rep.check(
            40,
            body_text.trim_end().ends_with('.') && !body_text.trim_end().ends_with("./."),
            || "Party body end".into(),
        );
    } else {
        rep.check(40, body_text.trim_end().ends_with("./."), || {
            "State body must end with ./.".into()
        });
    }
    // 31–37. Closing block.
    let lp = pages[last_page].text_lines();
    if let Some((left_caption, right_caption)) = ex.minutes {
        minutes_closing(&lp, left_caption, right_caption, ex, rep);
    }
    let label = find(&lp, |t| t == "Nơi nhận:");
    let closing_right: Vec<&TextLine> = lp
        .iter()
        .filter(|l| l.y() >= closing_y - 1.0 && l.centre() > LEFT + 0.4 * 165.0)
        .collect();
    // The authority may take several lines (`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH`): the
    // position is the last line above the signature space, the name the last line.
    let authority = closing_right
        .first()
        .copied()
        .filter(|_| ex.minutes.is_none());
    let name = closing_right
        .last()
        .copied()
        .filter(|_| closing_right.len() >= 3);
    let position = closing_right
        .windows(2)
        .find(|w| w[1].y() - w[0].y() >= 20.0)
        .map(|w| w[0]);
    let prefix_ok = |t: &str| {
        if party {
            ["T/M ", "K/T ", "T/L "].iter().any(|p| t.starts_with(p))
        } else {
            ["TM. ", "KT. ", "TL. ", "TUQ. ", "Q. "]
                .iter()
                .any(|p| t.starts_with(p))
        }
    };
    rep.check(
        31,
        ex.minutes.is_some()
            || authority.is_some_and(|a| {
                a.all_bold()
                    && is_upper(&a.text())
                    && prefix_ok(&a.text())
                    && a.centre() > LEFT + 0.4 * 165.0
            }),
        || format!("authority {:?}", authority.map(|a| a.text())),
    );
    rep.check(
        32,
        position.is_some_and(|p| is_upper(&p.text()) && p.all_bold() != party),
        || format!("position {:?}", position.map(|p| (p.text(), p.all_bold()))),
    );
    if let (Some(a), Some(p), Some(n)) = (authority, position, name) {
        rep.check(
            33,
            n.all_bold()
                && !is_upper(&n.text())
                && (n.centre() - a.centre()).abs() <= 1.0
                && (n.y() - p.y()) >= 20.0,
            || {
                format!(
                    "name {:?} centre {:.1} vs {:.1}, {:.1} mm below",
                    n.text(),
                    n.centre(),
                    a.centre(),
                    n.y() - p.y()
                )
            },
        );
        rep.check(
            34,
            [a, p, n]
                .iter()
                .all(|l| within(l.size(), ex.sign_size.0, ex.sign_size.1))
                && a.size() == p.size()
                && p.size() == n.size(),
            || "signature sizes".into(),
        );
    }
    rep.check(
        if ex.minutes.is_some() { 48 } else { 35 },
        ex.minutes.is_some()
            || label.is_some_and(|l| {
                (l.x0() - LEFT).abs() <= 1.0
                    && authority.is_some_and(|a| (a.y() - l.y()).abs() <= 2.0 * PT)
            }),
        || {
            format!(
                "label {:?} / authority {:?}",
                label.map(|l| (l.x0(), l.y())),
                authority.map(|a| a.y())
            )
        },
    );
    let items: Vec<&TextLine> = lp
        .iter()
        .filter(|l| {
            l.y() > closing_y && l.centre() < LEFT + 0.4 * 165.0 && l.size() == ex.item_size
        })
        .collect();
    // Items may wrap: an item starts with "- ". The drafter's initials and copies (ô 12,
    // `PL.(30)`) are the line under the items, not an item.
    let is_drafter = |t: &str| {
        let t = t.trim_end_matches('.');
        t.split_once('(').is_some_and(|(code, rest)| {
            !code.is_empty()
                && code.trim_end_matches('.').chars().all(|c| c.is_uppercase())
                && rest
                    .strip_suffix(')')
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
    };
    let drafter = items.iter().find(|l| is_drafter(&l.text()));
    if let Some(d) = drafter {
        let above = items
            .iter()
            .filter(|l| l.y() < d.y())
            .map(|l| l.y())
            .fold(f32::MIN, f32::max);
        rep.check(
            53,
            !d.all_bold()
                && !d.all_italic()
                && (d.y() - above) <= 7.0
                && (d.x0() - LEFT).abs() <= 1.0,
            || {
                format!(
                    "drafter line {:?} at {:.1}/{:.1} mm",
                    d.text(),
                    d.x0(),
                    d.y() - above
                )
            },
        );
    }
    let items: Vec<&TextLine> = items
        .into_iter()
        .filter(|l| !is_drafter(&l.text()))
        .collect();
    let mut joined: Vec<String> = Vec::new();
    for it in &items {
        let t = it.text();
        if t.starts_with("- ") || joined.is_empty() {
            joined.push(t);
        } else if let Some(last) = joined.last_mut() {
            last.push(' ');
            last.push_str(&t);
        }
    }
    let n_items = joined.len();
    if party {
        let underlined = label.is_some_and(|l| {
            pages[last_page].lines.iter().any(|r| {
                r.y > l.y()
                    && r.y < l.y() + 1.5
                    && (r.x0 - l.x0()).abs() < 0.5
                    && (r.x1 - l.x1()).abs() < 0.5
            })
        });
        rep.check(
            37,
            label.is_some_and(|l| l.size() == ex.label_size && !l.all_bold() && !l.all_italic())
                && underlined,
            || "Nơi nhận: 14 upright underlined".into(),
        );
        rep.check(
            37,
            n_items >= 1
                && joined.iter().all(|t| t.starts_with("- "))
                && joined[..n_items - 1].iter().all(|t| t.ends_with(','))
                && joined
                    .last()
                    .is_some_and(|t| t.starts_with("- Lưu ") && t.ends_with('.')),
            || format!("recipients {joined:?}"),
        );
    } else {
        rep.check(
            36,
            label.is_some_and(|l| l.size() == ex.label_size && l.all_bold() && l.all_italic()),
            || "Nơi nhận: 12 bold italic".into(),
        );
        rep.check(
            36,
            n_items >= 1
                && items.iter().all(|i| i.size() == 11.0 && !i.all_bold())
                && joined[..n_items - 1]
                    .iter()
                    .all(|t| t.starts_with("- ") && t.ends_with(';'))
                && joined
                    .last()
                    .is_some_and(|t| t.starts_with("- Lưu: VT") && t.ends_with('.')),
            || format!("recipients {joined:?}"),
        );
    }
}

/// Minutes (checks 48, 49): two signature columns, each caption in bold capitals with the
/// name at least 20 mm below it on the same centre line (±1 mm), the left signer left of the
/// page centre and the right one right of it; `Nơi nhận:` below both, at the left margin.
fn minutes_closing(lp: &[TextLine], left: &str, right: &str, ex: &Expect, rep: &mut Report) {
    let column = |caption: &str| -> Option<(&TextLine, &TextLine)> {
        let c = lp.iter().find(|l| l.text() == caption)?;
        let name = lp
            .iter()
            .filter(|l| l.y() >= c.y() + 20.0 && (l.centre() - c.centre()).abs() <= 1.0)
            .min_by(|a, b| a.y().total_cmp(&b.y()))?;
        Some((c, name))
    };
    let (l, r) = (column(left), column(right));
    rep.check(49, l.is_some() && r.is_some(), || {
        format!("no signature column under {left:?} or {right:?}")
    });
    if let (Some((lc, ln)), Some((rc, rn))) = (l, r) {
        rep.check(
            49,
            [lc, ln, rc, rn]
                .iter()
                .all(|x| within(x.size(), ex.sign_size.0, ex.sign_size.1))
                && ln.all_bold()
                && rn.all_bold()
                // State captions are bold (ô 7a); the Party captions' weight is not verified.
                && (ex.profile == Profile::Party || (lc.all_bold() && rc.all_bold()))
                && is_upper(&lc.text())
                && is_upper(&rc.text())
                && lc.centre() < CENTRE
                && rc.centre() > CENTRE
                && (lc.y() - rc.y()).abs() <= 1.0
                && (ln.y() - rn.y()).abs() <= 1.0,
            || {
                format!(
                    "signature columns {:?} / {:?}: sizes {:?}, bold {:?}, centres {:.1} {:.1}, y {:.1} {:.1} / {:.1} {:.1}",
                    lc.text(),
                    rc.text(),
                    [lc.size(), ln.size(), rc.size(), rn.size()],
                    [lc.all_bold(), ln.all_bold(), rc.all_bold(), rn.all_bold()],
                    lc.centre(),
                    rc.centre(),
                    lc.y(),
                    rc.y(),
                    ln.y(),
                    rn.y()
                )
            },
        );
        let label = lp.iter().find(|x| x.text() == "Nơi nhận:");
        rep.check(
            48,
            label.is_some_and(|x| x.y() > ln.y() && (x.x0() - LEFT).abs() <= 1.0),
            || "Nơi nhận is not below the signatures at the left margin".into(),
        );
    }
}

fn party_number(t: &str) -> bool {
    // ^Số \d{2,}-[A-Za-zĐđ]+/[A-Za-zĐđ0-9-]+$
    let Some(rest) = t.strip_prefix("Số ") else {
        return false;
    };
    let Some((num, sym)) = rest.split_once('-') else {
        return false;
    };
    let Some((ty, body)) = sym.split_once('/') else {
        return false;
    };
    num.len() >= 2
        && num.chars().all(|c| c.is_ascii_digit())
        && !ty.is_empty()
        && ty.chars().all(|c| c.is_alphabetic())
        && !body.is_empty()
        && body.chars().all(|c| c.is_alphanumeric() || c == '-')
}

fn state_number(t: &str) -> bool {
    // ^Số: \d{2,}/[A-ZĐa-z]+(-[A-ZĐ0-9&]+)+$
    let Some(rest) = t.strip_prefix("Số: ") else {
        return false;
    };
    let Some((num, sym)) = rest.split_once('/') else {
        return false;
    };
    let mut parts = sym.split('-');
    let first = parts.next().unwrap_or("");
    let others: Vec<&str> = parts.collect();
    num.len() >= 2
        && num.chars().all(|c| c.is_ascii_digit())
        && !first.is_empty()
        && first.chars().all(char::is_alphabetic)
        && !others.is_empty()
        && others.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&')
        })
}

/// `^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$`
pub fn date_line(t: &str) -> bool {
    let Some((place, rest)) = t.split_once(", ngày ") else {
        return false;
    };
    let Some((day, rest)) = rest.split_once(" tháng ") else {
        return false;
    };
    let Some((month, year)) = rest.split_once(" năm ") else {
        return false;
    };
    let day_ok = day.len() == 2 && day.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    let month_ok = matches!(
        month,
        "01" | "02" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12"
    );
    !place.is_empty()
        && !place.contains(',')
        && day_ok
        && month_ok
        && year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
}

/// Runs the DOCX checks of an official document.
pub fn check_docx(path: &Path, ex: &Expect, rep: &mut Report) {
    let xml = docx::part(path, "word/document.xml");
    let party = ex.profile == Profile::Party;
    let attr = |s: &str, tag: &str, name: &str| -> Option<String> {
        let i = s.find(&format!("<{tag} "))?;
        let rest = &s[i..];
        let end = rest.find('>')?;
        let el = &rest[..end];
        let key = format!("{name}=\"");
        let j = el.find(&key)? + key.len();
        Some(el[j..].split('"').next()?.to_string())
    };
    rep.check(
        1,
        attr(&xml, "w:pgSz", "w:w").as_deref() == Some("11906")
            && attr(&xml, "w:pgSz", "w:h").as_deref() == Some("16838"),
        || "w:pgSz".into(),
    );
    let m = |n: &str| {
        attr(&xml, "w:pgMar", n)
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(-1)
    };
    let (t, b, l, r) = (m("w:top"), m("w:bottom"), m("w:left"), m("w:right"));
    if party {
        rep.check(
            2,
            l == 1701 && (r == 850 || r == 851) && t == 1134 && b == 1134,
            || format!("pgMar {t} {b} {l} {r}"),
        );
    } else {
        rep.check(
            3,
            (1701..=1985).contains(&l)
                && (850..=1134).contains(&r)
                && (1134..=1418).contains(&t)
                && (1134..=1418).contains(&b),
            || format!("pgMar {t} {b} {l} {r}"),
        );
    }
    // 5. Times New Roman in every rFonts; 6. no colour but black; 39. no numbering.
    let rfonts: Vec<&str> = xml
        .match_indices("<w:rFonts")
        .map(|(i, _)| &xml[i..i + xml[i..].find('>').unwrap_or(0)])
        .collect();
    rep.check(
        5,
        !rfonts.is_empty()
            && rfonts.iter().all(|f| {
                f.contains("w:ascii=\"Times New Roman\"")
                    && f.contains("w:hAnsi=\"Times New Roman\"")
                    && f.contains("w:cs=\"Times New Roman\"")
            }),
        || "a run without Times New Roman".into(),
    );
    let styles = docx::part(path, "word/styles.xml");
    rep.check(
        5,
        styles.contains("Times New Roman")
            && !styles.contains("Calibri")
            && !styles.contains("Arial"),
        || "styles name another font".into(),
    );
    let colours_ok = xml.match_indices("<w:color ").all(|(i, _)| {
        let el = &xml[i..i + xml[i..].find('>').unwrap_or(0)];
        el.contains("w:val=\"000000\"") || el.contains("w:val=\"auto\"")
    });
    rep.check(6, colours_ok, || "a w:color other than black".into());
    rep.check(39, !xml.contains("<w:numPr"), || {
        "Word numbering used".into()
    });
    // 8, 9. Page numbers: titlePg, an empty first header, a centred PAGE field.
    rep.check(8, xml.contains("<w:titlePg"), || "no w:titlePg".into());
    let rels = docx::part(path, "word/_rels/document.xml.rels");
    let header_target = |kind: &str| -> Option<String> {
        let i = xml.find(&format!("w:type=\"{kind}\""))?;
        let start = xml[..i].rfind("<w:headerReference")?;
        let el = &xml[start..start + xml[start..].find('>')?];
        let id = el.split("r:id=\"").nth(1)?.split('"').next()?;
        let j = rels.find(&format!("Id=\"{id}\""))?;
        let rel_start = rels[..j].rfind('<')?;
        let rel = &rels[rel_start..rel_start + rels[rel_start..].find('>')?];
        Some(
            rel.split("Target=\"")
                .nth(1)?
                .split('"')
                .next()?
                .to_string(),
        )
    };
    let first = header_target("first").map(|t| docx::part(path, &format!("word/{t}")));
    rep.check(
        8,
        first.as_ref().is_some_and(|h| {
            docx::paragraphs(h).iter().all(|p| p.text.trim().is_empty()) && !h.contains("PAGE")
        }),
        || "first-page header is not empty".into(),
    );
    let default = header_target("default").map(|t| docx::part(path, &format!("word/{t}")));
    let size_half = |pt: f32| format!("w:val=\"{}\"", (pt * 2.0) as u32);
    rep.check(
        9,
        default.as_ref().is_some_and(|h| {
            h.contains("PAGE")
                && h.contains("w:val=\"center\"")
                && (h.contains(&size_half(ex.page_number_size.0))
                    || h.contains(&size_half(ex.page_number_size.1)))
        }),
        || "default header has no centred PAGE field".into(),
    );
    // Paragraph-level checks.
    let paras = docx::paragraphs(&xml);
    let size_of = |p: &docx::DocxPara| -> Option<f32> {
        p.xml
            .split("<w:sz w:val=\"")
            .nth(1)?
            .split('"')
            .next()?
            .parse::<f32>()
            .ok()
            .map(|v| v / 2.0)
    };
    let bold = |p: &docx::DocxPara| {
        p.xml.contains("<w:b/>")
            || p.xml.contains("<w:b />")
            || p.xml.contains("<w:b w:val=\"true\"")
            || p.xml.contains("<w:b w:val=\"1\"")
    };
    let italic = |p: &docx::DocxPara| {
        p.xml.contains("<w:i/>")
            || p.xml.contains("<w:i />")
            || p.xml.contains("<w:i w:val=\"true\"")
            || p.xml.contains("<w:i w:val=\"1\"")
    };
    let by_text = |t: &str| paras.iter().find(|p| p.text == t);
    if party {
        let t = by_text("ĐẢNG CỘNG SẢN VIỆT NAM");
        rep.check(
            11,
            t.is_some_and(|t| t.in_table && size_of(t) == Some(15.0) && bold(t)),
            || "Party title".into(),
        );
        rep.check(
            11,
            by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").is_none(),
            || "Quốc hiệu in a Party DOCX".into(),
        );
    } else {
        let qh = by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        let tn = by_text("Độc lập - Tự do - Hạnh phúc");
        rep.check(
            11,
            qh.is_some_and(|t| size_of(t).is_some_and(|s| within(s, 12.0, 13.0)) && bold(t))
                && tn.is_some_and(|t| size_of(t).is_some_and(|s| within(s, 13.0, 14.0)) && bold(t)),
            || "Quốc hiệu / Tiêu ngữ".into(),
        );
    }
    let number = paras.iter().find(|p| p.text.starts_with("Số"));
    rep.check(
        16,
        number.is_some_and(|n| {
            (if party {
                party_number(&n.text)
            } else {
                state_number(&n.text)
            }) && size_of(n) == Some(ex.number_size)
                && n.in_table
        }),
        || format!("number {:?}", number.map(|n| &n.text)),
    );
    let date = paras
        .iter()
        .find(|p| p.text.contains(", ngày ") && p.in_table);
    let minutes_state = ex.minutes.is_some() && ex.profile == Profile::State;
    rep.check(
        if minutes_state { 48 } else { 17 },
        (minutes_state && date.is_none())
            || date.is_some_and(|d| {
                date_line(&d.text)
                    && italic(d)
                    && size_of(d).is_some_and(|s| within(s, ex.date_size.0, ex.date_size.1))
            }),
        || format!("date {:?}", date.map(|d| &d.text)),
    );
    let ty = by_text(ex.type_name);
    rep.check(
        20,
        ex.letter
            || ty.is_some_and(|t| {
                bold(t)
                    && t.xml.contains("w:val=\"center\"")
                    && size_of(t).is_some_and(|s| within(s, ex.title_size.0, ex.title_size.1))
            }),
        || "type name".into(),
    );
    let body: Vec<&docx::DocxPara> = paras
        .iter()
        .filter(|p| !p.in_table && p.xml.contains("w:val=\"both\""))
        .collect();
    rep.check(25, body.len() >= 5, || {
        format!("only {} justified paragraphs", body.len())
    });
    for p in &body {
        rep.check(
            26,
            p.xml.contains("w:firstLine=\"567\"") || p.xml.contains("w:firstLine=\"720\""),
            || format!("indent of {:?}", &p.text[..p.text.len().min(40)]),
        );
        let before = p
            .xml
            .split("w:before=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0);
        let line = p
            .xml
            .split("w:line=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0);
        rep.check(
            27,
            before >= 120 && p.xml.contains("w:lineRule=\"exact\"") && (300..=480).contains(&line),
            || format!("spacing before {before}, line {line}"),
        );
        rep.check(24, size_of(p) == Some(14.0) && !italic(p), || {
            "body run size".into()
        });
    }
    let label = by_text("Nơi nhận:");
    if party {
        rep.check(
            37,
            label.is_some_and(|l| {
                l.in_table
                    && size_of(l) == Some(14.0)
                    && l.xml.contains("<w:u ")
                    && !bold(l)
                    && !italic(l)
            }),
            || "Nơi nhận: label".into(),
        );
    } else {
        rep.check(
            36,
            label.is_some_and(|l| l.in_table && size_of(l) == Some(12.0) && bold(l) && italic(l)),
            || "Nơi nhận: label".into(),
        );
    }
}

/// §10.42: the DOCX and the PDF hold the same words, and the same page count (via LibreOffice
/// when available: `lo_pages`).
pub fn check_same_text(pdf_path: &Path, docx_path: &Path, rep: &mut Report) {
    let pages = pdf::read(pdf_path);
    let pdf_words = words(&pdf::body_lines(&pages).join(" "));
    let xml = docx::part(docx_path, "word/document.xml");
    // The ô 13 address is the first page's footer in the DOCX.
    let docx_words = words(
        &std::iter::once(xml)
            .chain(docx::footers(docx_path))
            .flat_map(|x| docx::paragraphs(&x))
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join(" "),
    );
    rep.check(42, pdf_words == docx_words, || {
        let a: Vec<_> = pdf_words
            .iter()
            .filter(|w| !docx_words.contains(w))
            .take(5)
            .collect();
        let b: Vec<_> = docx_words
            .iter()
            .filter(|w| !pdf_words.contains(w))
            .take(5)
            .collect();
        format!("word multisets differ: only in PDF {a:?}, only in DOCX {b:?}")
    });
}

fn words(s: &str) -> Vec<String> {
    let mut w: Vec<String> = s.split_whitespace().map(str::to_string).collect();
    w.sort();
    w
}
