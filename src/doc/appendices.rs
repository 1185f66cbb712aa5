//! The appendices of a document (Phụ lục, NĐ 30 Mẫu 2.1) from its record entry: numbered
//! `Phụ lục I`, `Phụ lục II` when there are several (`Phụ lục` alone for one), each with its
//! "(Kèm theo …)" line, built from the document's number, date and issuer unless typed, and
//! its content. The drawing (a new section whose pages are numbered on their own) is
//! [`crate::doc::appendix::appendix_blocks`].

use crate::doc::assemble::{body_blocks, AssemblyInput, LastBodyBlock};
use crate::doc::model::{Block, Mm};
use crate::template::structured::escape_markup;

/// `1` → `I`, `4` → `IV`, …
pub(crate) fn roman(mut n: usize) -> String {
    const TABLE: &[(usize, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= *value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// `(Kèm theo Báo cáo số 05/BC-UBND ngày 20 tháng 5 năm 2024 của Ủy ban nhân dân huyện …)`.
pub(crate) fn attached_line(input: &AssemblyInput) -> String {
    let p = input.format.profile();
    let front = &input.rendered.front;
    let kind = front.type_name.as_deref().unwrap_or("Văn bản");
    let mut chars = kind.chars();
    let kind: String = match chars.next() {
        Some(f) => f
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    };
    let abbr = front.abbr.as_deref().unwrap_or("");
    let number = p.number_line(input.number, abbr, &input.issuer.code);
    let number = number
        .trim_start_matches("Số:")
        .trim_start_matches("Số")
        .trim();
    let mut line = format!("(Kèm theo {kind} số {number}");
    if let Some(d) = input.date {
        line.push(' ');
        line.push_str(&d.written_out());
    }
    if let Some(title) = &input.issuer.title {
        line.push_str(" của ");
        line.push_str(title);
    }
    line.push(')');
    line
}

/// Every appendix of the entry, as blocks to follow the closing block.
pub(crate) fn appendices(input: &AssemblyInput, text_width: Mm) -> Vec<Block> {
    let Some(entry) = input.entry else {
        return Vec::new();
    };
    let p = input.format.profile();
    let many = entry.appendices.len() > 1;
    let mut out = Vec::new();
    for (i, a) in entry.appendices.iter().enumerate() {
        let numeral = many.then(|| roman(i + 1));
        let attached = a.attached.clone().unwrap_or_else(|| attached_line(input));
        let markup = match serde_json::to_value(&a.content) {
            Ok(serde_json::Value::String(s)) => escape_markup(&s),
            _ => String::new(),
        };
        // The appendix's text ends like a document's body (`./.` in State documents).
        let content: Vec<Block> = LastBodyBlock::new(
            body_blocks(&markup, p, input.fonts, text_width)
                .into_iter()
                .map(Ok::<_, std::convert::Infallible>),
            input.rendered.front.layout,
            p,
        )
        .flatten()
        .collect();
        out.extend(crate::doc::appendix::appendix_blocks(
            numeral.as_deref(),
            &a.title,
            &attached,
            content,
            p,
            input.fonts,
            text_width,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 2, 4, 9, 14, 40]
            .iter()
            .map(|n| super::roman(*n))
            .collect();
        assert_eq!(got, ["I", "II", "IV", "IX", "XIV", "XL"]);
    }
}
