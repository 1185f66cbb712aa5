//! The calendar, in one place: dates as records write them (`2022-11-10`, checked to be real
//! days) and as documents print them (`ngày 10 tháng 11 năm 2022`, `thứ Năm`), months
//! (`--month 2022-11`, `tháng 11 năm 2022`), and moments in UTC from seconds since 1970 for the
//! dates the output files carry (PDF and DOCX metadata, ZIP entries).

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`; the message says why a date is impossible.
    pub fn parse(s: &str) -> Result<Date, String> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let shape_ok = parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shape_ok {
            return Err(format!(
                "`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2022-11-10"
            ));
        }
        let num = |p: &str| p.parse::<u32>().unwrap_or(0);
        let (year, month, day) = (num(parts[0]) as i32, num(parts[1]), num(parts[2]));
        if !(1..=12).contains(&month) {
            return Err(format!("impossible date `{s}`: there is no month {month}"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(format!(
                "impossible date `{s}`: month {month} of {year} has {last} days"
            ));
        }
        Ok(Date { year, month, day })
    }

    /// `ngày 05 tháng 01 năm 2020`: days under 10 padded, only months 1 and 2 padded.
    pub fn written_out(&self) -> String {
        format!(
            "ngày {:02} {}",
            self.day,
            written_month(self.year, self.month)
        )
    }

    /// `05/01/2020`.
    pub fn slashed(&self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    /// `thứ Hai` … `Chủ nhật`.
    pub fn weekday(&self) -> &'static str {
        // 1970-01-01 was a Thursday.
        match self.days_since_epoch().rem_euclid(7) {
            0 => "thứ Năm",
            1 => "thứ Sáu",
            2 => "thứ Bảy",
            3 => "Chủ nhật",
            4 => "thứ Hai",
            5 => "thứ Ba",
            _ => "thứ Tư",
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days_since_epoch(&self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// In the JSON Schema a date is a string `YYYY-MM-DD` (the pattern cannot know month
/// lengths: `vanthu check` refuses `2022-02-30`).
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "description": "A calendar date written YYYY-MM-DD, e.g. 2022-11-10.",
            "examples": ["2022-11-10"]
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(de::Error::custom)
    }
}

/// `tháng 01 năm 2020`: only months 1 and 2 padded (NĐ 30's date line).
fn written_month(year: i32, month: u32) -> String {
    if month <= 2 {
        format!("tháng {month:02} năm {year}")
    } else {
        format!("tháng {month} năm {year}")
    }
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Parses `YYYY-MM`; the message says what is wrong.
    pub fn parse(s: &str) -> Result<Month, String> {
        let bad = || "write the month as YYYY-MM, e.g. 2022-11".to_string();
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month}"));
        }
        Ok(Month { year, month })
    }

    /// `YYYY-MM`, the bundle's folder and zip name.
    pub fn key(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `tháng 11 năm 2022` (months 1 and 2 padded, as on date lines).
    pub fn written_out(&self) -> String {
        written_month(self.year, self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// A moment in UTC, from seconds since 1970: the one calendar conversion behind every date
/// the outputs carry (PDF metadata, DOCX core properties, ZIP entry times).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Utc {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Utc {
    /// `epoch` seconds since 1970-01-01T00:00:00Z, clamped to years 0–9999.
    pub(crate) fn from_epoch(epoch: i64) -> Utc {
        let epoch = epoch.clamp(-62_167_219_200, 253_402_300_799);
        let (days, secs) = (epoch.div_euclid(86_400), epoch.rem_euclid(86_400));
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let small = |v: i64| u32::try_from(v).unwrap_or(0);
        Utc {
            year: yoe + era * 400 + i64::from(month <= 2),
            month: small(month),
            day: small(day),
            hour: small(secs / 3600),
            minute: small(secs / 60 % 60),
            second: small(secs % 60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_days_and_only_months_one_and_two() {
        let d = |s| Date::parse(s).map(|d| d.written_out());
        assert_eq!(d("2020-01-05").as_deref(), Ok("ngày 05 tháng 01 năm 2020"));
        assert_eq!(d("2023-03-07").as_deref(), Ok("ngày 07 tháng 3 năm 2023"));
        assert_eq!(d("2022-02-28").as_deref(), Ok("ngày 28 tháng 02 năm 2022"));
        assert_eq!(d("2022-11-10").as_deref(), Ok("ngày 10 tháng 11 năm 2022"));
    }

    #[test]
    fn refuses_impossible_dates() {
        let e = Date::parse("2022-02-30").unwrap_err();
        assert!(
            e.contains("impossible date") && e.contains("28 days"),
            "{e}"
        );
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2022-13-01")
            .unwrap_err()
            .contains("no month 13"));
        assert!(Date::parse("10/11/2022")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }

    #[test]
    fn weekdays_months_and_slashed_dates() {
        let d = Date::parse("2022-11-10").unwrap();
        assert_eq!(
            (d.weekday(), d.slashed().as_str()),
            ("thứ Năm", "10/11/2022")
        );
        assert_eq!(Date::parse("2023-01-01").unwrap().weekday(), "Chủ nhật");
        let m = |s| Month::parse(s).map(|m| m.written_out());
        assert_eq!(m("2022-02").as_deref(), Ok("tháng 02 năm 2022"));
        assert_eq!(m("2022-11").as_deref(), Ok("tháng 11 năm 2022"));
        assert_eq!(m("2022-13"), Err("there is no month 13".to_string()));
        assert!(m("2022-1").unwrap_err().contains("YYYY-MM"));
    }

    #[test]
    fn epoch_days() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2022-11-10").unwrap().days_since_epoch(), 19306);
    }

    #[test]
    fn civil_dates() {
        let t = Utc::from_epoch(1_668_384_000 + 3_723);
        assert_eq!((t.year, t.month, t.day), (2022, 11, 14));
        assert_eq!((t.hour, t.minute, t.second), (1, 2, 3));
        assert_eq!(Utc::from_epoch(0).year, 1970);
        assert_eq!(Utc::from_epoch(951_782_400).day, 29); // 2000-02-29
        assert_eq!(Utc::from_epoch(i64::MAX).year, 9999);
    }
}
