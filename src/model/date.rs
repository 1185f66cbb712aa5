//! Calendar dates as written in records (`2022-11-10`), checked to be real days.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
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
        let month = if self.month <= 2 {
            format!("{:02}", self.month)
        } else {
            self.month.to_string()
        };
        format!("ngày {:02} tháng {} năm {}", self.day, month, self.year)
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
    fn epoch_days() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2022-11-10").unwrap().days_since_epoch(), 19306);
    }
}
