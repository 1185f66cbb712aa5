//! The claimed signing time: read from `--time` (RFC 3339), `SOURCE_DATE_EPOCH` or the clock,
//! and written as a PDF date (`/M`), in ISO 8601 at +07:00 (the text of an electronic copy)
//! and in UTC (messages).

use crate::calendar::{Date, Utc};

/// Vietnam's offset from UTC, in seconds: the times a signature shows are at +07:00.
const VIETNAM_OFFSET: i64 = 7 * 3600;

/// A moment, in seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub unix: i64,
}

impl Moment {
    /// The moment `unix` seconds after the epoch.
    pub fn utc(unix: i64) -> Moment {
        Moment { unix }
    }

    /// Parses RFC 3339: `2022-11-10T09:30:00+07:00` or `2022-11-10T02:30:00Z` (fractions of a
    /// second are dropped).
    pub fn parse_rfc3339(s: &str) -> Result<Moment, String> {
        let bad =
            || format!("`{s}` is not an RFC 3339 time; write it as 2022-11-10T09:30:00+07:00");
        let s = s.trim();
        let (date, rest) = s.split_once(['T', 't', ' ']).ok_or_else(bad)?;
        let date = Date::parse(date).map_err(|e| format!("{e} (in --time)"))?;
        let (clock, offset) = split_offset(rest).ok_or_else(bad)?;
        let clock = clock.split('.').next().unwrap_or("");
        let parts: Vec<i64> = clock
            .split(':')
            .map(|p| p.parse::<i64>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        let [h, m, sec] = parts[..] else {
            return Err(bad());
        };
        if !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..61).contains(&sec) {
            return Err(bad());
        }
        let local = date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + sec.min(59);
        Ok(Moment {
            unix: local - offset,
        })
    }

    /// `2022-11-10T02:30:00Z`.
    pub fn iso_utc(self) -> String {
        let u = Utc::from_epoch(self.unix);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            u.year, u.month, u.day, u.hour, u.minute, u.second
        )
    }

    /// `2022-11-10T09:30:00+07:00`.
    pub fn iso_vietnam(self) -> String {
        let u = Utc::from_epoch(self.unix + VIETNAM_OFFSET);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+07:00",
            u.year, u.month, u.day, u.hour, u.minute, u.second
        )
    }

    /// The PDF date at +07:00: `D:20221110093000+07'00'`.
    pub fn pdf_date(self) -> String {
        let u = Utc::from_epoch(self.unix + VIETNAM_OFFSET);
        format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}+07'00'",
            u.year, u.month, u.day, u.hour, u.minute, u.second
        )
    }
}

/// Splits `09:30:00+07:00` into the clock and the offset in seconds east of UTC.
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let at = rest.rfind(['+', '-'])?;
    let (clock, offset) = rest.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let (h, m) = offset[1..].split_once(':')?;
    let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
    (h < 24 && m < 60).then_some((clock, sign * (h * 3600 + m * 60)))
}

#[cfg(test)]
mod tests {
    use super::Moment;

    #[test]
    fn issue12_reads_rfc3339_and_writes_pdf_and_iso_dates() {
        let m = Moment::parse_rfc3339("2022-11-10T09:30:00+07:00").unwrap();
        assert_eq!(m, Moment::parse_rfc3339("2022-11-10T02:30:00Z").unwrap());
        assert_eq!(m.iso_utc(), "2022-11-10T02:30:00Z");
        assert_eq!(m.iso_vietnam(), "2022-11-10T09:30:00+07:00");
        assert_eq!(m.pdf_date(), "D:20221110093000+07'00'");
        assert!(Moment::parse_rfc3339("2022-11-10 09:30").is_err());
        assert!(Moment::parse_rfc3339("2022-02-30T00:00:00Z").is_err());
    }
}
