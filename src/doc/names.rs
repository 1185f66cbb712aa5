//! Balanced wrapping of names: the issuing body, co-issuers, authority and position lines
//! (design issue 10, §4.10 "Balanced name wrapping").
//!
//! A name that fits its column is never touched, and a line break the clerk typed always
//! wins. A name too wide for its column is broken at natural points into lines of about the
//! same width: never inside a word group such as `TRUNG ƯƠNG`, `NHÂN DÂN`, `ỦY BAN`, never
//! between `TỈNH`/`HUYỆN`/`XÃ`… and the place name after it, never right after a prefix
//! (`TM.`, `K/T`, …). The chosen breaks are written as `\n` into the text, so the PDF and the
//! DOCX break at the same places by construction.

use crate::doc::model::Mm;

/// Word groups that are never split across lines (compared in capitals, `UỶ` read as `ỦY`).
const PROTECTED: &[&str] = &[
    "TRUNG ƯƠNG",
    "NHÂN DÂN",
    "ỦY BAN",
    "HỘI ĐỒNG",
    "CHẤP HÀNH",
    "THƯỜNG VỤ",
    "THƯỜNG TRỰC",
    "MẶT TRẬN",
    "TỔ QUỐC",
    "VIỆT NAM",
    "CHÍNH TRỊ",
    "XÃ HỘI",
    "VĂN PHÒNG",
    "KIỂM TRA",
    "DÂN VẬN",
    "TUYÊN GIÁO",
    "TỔ CHỨC",
    "CHỦ TỊCH",
    "BÍ THƯ",
    "THỊ XÃ",
    "THỊ TRẤN",
    "THÀNH PHỐ",
    "THÀNH ỦY",
    "TỈNH ỦY",
    "HUYỆN ỦY",
    "QUẬN ỦY",
    "ĐẢNG ỦY",
    "ĐẢNG BỘ",
    "CỘNG SẢN",
    "NÔNG NGHIỆP",
    "PHÁT TRIỂN",
    "NÔNG THÔN",
    "CHÁNH VĂN PHÒNG",
    "BAN CHỈ ĐẠO",
    "THỰC HIỆN",
    "CHƯƠNG TRÌNH",
    "MỤC TIÊU",
    "QUỐC GIA",
    "QUỐC PHÒNG",
    "AN NINH",
    "KINH TẾ",
    "KẾ HOẠCH",
    "ĐẦU TƯ",
    "TÀI CHÍNH",
    "NỘI VỤ",
    "TƯ PHÁP",
    "GIÁO DỤC",
    "ĐÀO TẠO",
    "Y TẾ",
    "VĂN HÓA",
    "THÔNG TIN",
    "TRUYỀN THÔNG",
    "LAO ĐỘNG",
    "THƯƠNG BINH",
    "TÀI NGUYÊN",
    "MÔI TRƯỜNG",
    "GIAO THÔNG",
    "VẬN TẢI",
    "XÂY DỰNG",
    "CÔNG THƯƠNG",
    "KHOA HỌC",
    "CÔNG NGHỆ",
    "THANH TRA",
    "HÀNH CHÍNH",
    "THANH NIÊN",
    "PHỤ NỮ",
    "NÔNG DÂN",
    "CỰU CHIẾN BINH",
    "LIÊN ĐOÀN",
    "HỒ CHÍ MINH",
    "QUÂN SỰ",
    "CÔNG AN",
];

/// Administrative levels: the place name after one never splits, and a line may start there.
const LEVELS: &[&str] = &[
    "TỈNH",
    "THÀNH PHỐ",
    "HUYỆN",
    "QUẬN",
    "THỊ XÃ",
    "XÃ",
    "PHƯỜNG",
    "THỊ TRẤN",
];

/// Body phrases after which a line preferably ends.
const BODY_PHRASES: &[&str] = &[
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "BAN CHẤP HÀNH",
    "ĐẢNG BỘ",
    "BAN THƯỜNG VỤ",
    "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
];

/// Authority prefixes: never a line of their own.
const PREFIXES: &[&str] = &["TM.", "KT.", "TL.", "TUQ.", "Q.", "T/M", "K/T", "T/L"];

/// Room a line needs beyond its measured width, as for table cells: the renderers fill a
/// line only to within a hair and round widths, so a line exactly as wide as the column
/// would wrap its last word.
const FIT_SLACK: Mm = 1.0;

/// `text` with line breaks (`\n`) put in where it must wrap to fit `width`, measured by
/// `measure`. Unchanged when it fits or already holds a typed line break.
pub(crate) fn balance(text: &str, width: Mm, measure: impl Fn(&str) -> Mm) -> String {
    if text.contains('\n') || measure(text) <= width {
        return text.to_string();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 2 {
        return text.to_string();
    }
    let fits = |a: usize, b: usize| measure(&words[a..b].join(" ")) + FIT_SLACK <= width;
    // A "name" of more than a few lines is text typed into a name field: balancing it would
    // cost more than it gives, so it wraps as any text does.
    let plain = greedy(words.len(), &fits);
    if plain.len() + 1 > MAX_BALANCED_LINES {
        return join_at(&words, &plain);
    }
    let keys: Vec<String> = words.iter().map(|w| key(w)).collect();
    let (allowed, preferred) = break_points(&keys);
    let line_w = |a: usize, b: usize| measure(&words[a..b].join(" "));
    let breaks = best_breaks(words.len(), &allowed, &preferred, &fits, &line_w)
        .or_else(|| {
            let any = vec![true; words.len() + 1];
            best_breaks(words.len(), &any, &preferred, &fits, &line_w)
        })
        .unwrap_or(plain);
    join_at(&words, &breaks)
}

/// Names longer than this many lines are wrapped greedily.
const MAX_BALANCED_LINES: usize = 8;

/// The words joined by spaces, with a line break before each word listed in `breaks`.
fn join_at(words: &[&str], breaks: &[usize]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(if breaks.contains(&i) { '\n' } else { ' ' });
        }
        out.push_str(w);
    }
    out
}

/// The widest line of a text holding line breaks.
pub(crate) fn widest(text: &str, measure: impl Fn(&str) -> Mm) -> Mm {
    text.split('\n').map(measure).fold(0.0, f32::max)
}

/// A word as compared: capitals, with the old-style tone placement `UỶ` read as `ỦY`.
fn key(word: &str) -> String {
    word.to_uppercase().replace("UỶ", "ỦY").replace("OÀ", "ÒA")
}

/// Where the `i`-th word starts a match of `phrase` (in words).
fn matches_at(keys: &[String], i: usize, phrase: &str) -> usize {
    let parts: Vec<&str> = phrase.split(' ').collect();
    if i + parts.len() <= keys.len() && parts.iter().zip(&keys[i..]).all(|(p, k)| p == k) {
        parts.len()
    } else {
        0
    }
}

/// For each gap `i` (before word `i`, 1 ≤ i < n): may a line break there, and is it a
/// preferred place.
fn break_points(keys: &[String]) -> (Vec<bool>, Vec<bool>) {
    let n = keys.len();
    let mut allowed = vec![true; n + 1];
    let mut preferred = vec![false; n + 1];
    allowed[0] = false;
    allowed[n] = false;
    for i in 0..n {
        for g in PROTECTED {
            let len = matches_at(keys, i, g);
            for gap in allowed.iter_mut().take(i + len).skip(i + 1) {
                *gap = false;
            }
        }
        for b in BODY_PHRASES {
            let len = matches_at(keys, i, b);
            if len > 0 && i + len < n {
                preferred[i + len] = true;
            }
        }
        if PREFIXES.contains(&keys[i].as_str()) && i + 1 < n {
            allowed[i + 1] = false;
        }
        if keys[i] == "-" {
            // A joining dash ends a line, never starts one.
            allowed[i] = false;
            if i + 1 < n {
                preferred[i + 1] = true;
            }
        }
    }
    // A level word and the place name after it stay together: no break from the level word
    // up to the next level word, body phrase, dash or the end.
    let mut i = 0;
    while i < n {
        let level = LEVELS
            .iter()
            .map(|l| matches_at(keys, i, l))
            .max()
            .unwrap_or(0);
        if level == 0 {
            i += 1;
            continue;
        }
        preferred[i] = i > 0;
        let mut j = i + level;
        while j < n
            && keys[j] != "-"
            && !LEVELS.iter().any(|l| matches_at(keys, j, l) > 0)
            && !BODY_PHRASES.iter().any(|b| matches_at(keys, j, b) > 0)
        {
            j += 1;
        }
        for gap in allowed.iter_mut().take(j).skip(i + 1) {
            *gap = false;
        }
        i = j.max(i + 1);
    }
    (allowed, preferred)
}

/// The set of breaks with the fewest lines that all fit, the longest line shortest, ties
/// broken by the number of preferred breaks; `None` when no set of allowed breaks fits.
fn best_breaks(
    n: usize,
    allowed: &[bool],
    preferred: &[bool],
    fits: &dyn Fn(usize, usize) -> bool,
    line_w: &dyn Fn(usize, usize) -> Mm,
) -> Option<Vec<usize>> {
    // Candidate line starts: 0 and every allowed gap.
    let starts: Vec<usize> = (0..n).filter(|&i| i == 0 || allowed[i]).collect();
    // best[end] = (longest line, -preferred count, breaks) covering words[0..end] in exactly
    // the number of lines of the step; the first step that reaches `n` has the fewest lines.
    type Best = Option<(Mm, i32, Vec<usize>)>;
    let mut best: Vec<Best> = vec![None; n + 1];
    best[0] = Some((0.0, 0, Vec::new()));
    for _ in 0..n {
        let mut next: Vec<Best> = vec![None; n + 1];
        for &a in &starts {
            let Some((w0, p0, br)) = &best[a] else {
                continue;
            };
            for b in a + 1..=n {
                if b < n && !allowed[b] {
                    continue;
                }
                if !fits(a, b) {
                    break;
                }
                let w = w0.max(line_w(a, b));
                let p = p0 - i32::from(b < n && preferred[b]);
                let better = match &next[b] {
                    None => true,
                    Some((bw, bp, _)) => {
                        (w, p) < (*bw - 0.01, *bp) || (w - *bw).abs() <= 0.01 && p < *bp
                    }
                };
                if better {
                    let mut brs = br.clone();
                    if b < n {
                        brs.push(b);
                    }
                    next[b] = Some((w, p, brs));
                }
            }
        }
        if let Some((_, _, brs)) = &next[n] {
            return Some(brs.clone());
        }
        if next.iter().all(Option::is_none) {
            return None;
        }
        best = next;
    }
    None
}

/// Greedy breaking at any word gap: the last resort for a name no allowed set fits.
fn greedy(n: usize, fits: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut a = 0;
    for b in 1..n {
        if !fits(a, b + 1) {
            breaks.push(b);
            a = b;
        }
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crude measure: 2.5 mm a character.
    fn m(s: &str) -> Mm {
        s.chars().count() as f32 * 2.5
    }

    #[test]
    fn a_name_that_fits_is_untouched() {
        assert_eq!(balance("ỦY BAN NHÂN DÂN", 66.0, m), "ỦY BAN NHÂN DÂN");
    }

    #[test]
    fn a_typed_break_wins() {
        let t = "ỦY BAN NHÂN DÂN\nTỈNH SƠN LA ĐƯỢC GÕ RẤT DÀI MÀ KHÔNG VỪA CỘT";
        assert_eq!(balance(t, 40.0, m), t);
    }

    #[test]
    fn provincial_people_s_committee_breaks_before_the_level() {
        assert_eq!(
            balance("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", 45.0, m),
            "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN"
        );
        assert_eq!(
            balance("UỶ BAN NHÂN DÂN TỈNH LẠNG SƠN", 45.0, m),
            "UỶ BAN NHÂN DÂN\nTỈNH LẠNG SƠN"
        );
    }

    #[test]
    fn central_committee_keeps_trung_uong_together() {
        assert_eq!(
            balance("BAN CHẤP HÀNH TRUNG ƯƠNG", 40.0, m),
            "BAN CHẤP HÀNH\nTRUNG ƯƠNG"
        );
    }

    #[test]
    fn a_long_party_body_breaks_in_balanced_lines_never_inside_a_group() {
        let name = "BAN THƯỜNG VỤ HUYỆN ỦY THUẬN BẮC TỈNH NINH THUẬN";
        let out = balance(name, 85.0, m);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), 2, "{out}");
        for l in &lines {
            assert!(m(l) + FIT_SLACK <= 85.0, "{l}");
        }
        for g in ["THƯỜNG VỤ", "HUYỆN ỦY", "NINH THUẬN"] {
            assert!(out.contains(g), "{g} split in {out:?}");
        }
        assert_eq!(out, "BAN THƯỜNG VỤ HUYỆN ỦY THUẬN BẮC\nTỈNH NINH THUẬN");
    }

    #[test]
    fn a_seventy_character_name_gives_balanced_lines() {
        let name = "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM HUYỆN THUẬN BẮC TỈNH NINH THUẬN KHÓA X";
        let out = balance(name, 66.0, m);
        let lines: Vec<&str> = out.split('\n').collect();
        assert!(lines.len() >= 3, "{out}");
        for g in ["MẶT TRẬN", "TỔ QUỐC", "VIỆT NAM", "THUẬN BẮC", "NINH THUẬN"] {
            assert!(out.contains(g), "{g} split in {out:?}");
        }
        assert!(!out.contains("TỈNH\n") && !out.contains("HUYỆN\n"), "{out}");
    }

    #[test]
    fn a_prefix_stays_with_its_word_and_a_dash_ends_a_line() {
        let out = balance("TM. ỦY BAN NHÂN DÂN HUYỆN", 30.0, m);
        assert!(out.starts_with("TM. ỦY BAN"), "{out}");
        let out = balance(
            "ỦY BAN NHÂN DÂN XÃ AN PHÚ - HỘI NÔNG DÂN XÃ AN PHÚ",
            70.0,
            m,
        );
        assert_eq!(out, "ỦY BAN NHÂN DÂN XÃ AN PHÚ -\nHỘI NÔNG DÂN XÃ AN PHÚ");
    }

    #[test]
    fn a_steering_committee_keeps_its_word_groups() {
        let f = crate::fonts::FontBook::builtin();
        let m = |t: &str| f.width_mm(t, true, false, 13.0);
        let name = "BAN CHỈ ĐẠO THỰC HIỆN CÁC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA HUYỆN THUẬN BẮC";
        assert_eq!(
            balance(name, 66.0, m),
            "BAN CHỈ ĐẠO THỰC HIỆN\nCÁC CHƯƠNG TRÌNH\nMỤC TIÊU QUỐC GIA\nHUYỆN THUẬN BẮC"
        );
        // The reference State issuer breaks before its level.
        assert_eq!(
            balance("ỦY BAN NHÂN DÂN XÃ AN PHÚ", 66.0, m),
            "ỦY BAN NHÂN DÂN\nXÃ AN PHÚ"
        );
    }

    #[test]
    fn no_allowed_set_falls_back_to_greedy() {
        let out = balance("AAAA BBBB CCCC DDDD", 12.0, m);
        assert_eq!(out.split('\n').count(), 4, "{out}");
        assert_eq!(widest("AB\nABCD", m), 10.0);
    }
}
