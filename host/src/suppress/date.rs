//! Calendar dates for `until=`: parsing `YYYY-MM-DD` and today's date (UTC,
//! from the system clock, or `OPSLINT_TODAY` so tests and reruns can pin it).

/// A civil date; the derived order is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Strict `YYYY-MM-DD` with a day that exists in that month.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
        };
        let (year, month, day) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date { year, month, day })
    }

    /// Today in UTC; `OPSLINT_TODAY=YYYY-MM-DD` overrides the clock.
    pub fn today() -> Date {
        if let Some(d) = std::env::var("OPSLINT_TODAY").ok().as_deref().and_then(Date::parse) {
            return d;
        }
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// Days since 1970-01-01 to a civil date (proleptic Gregorian calendar).
    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn parses_and_orders() {
        assert_eq!(Date::parse("2027-03-31"), Some(Date { year: 2027, month: 3, day: 31 }));
        assert_eq!(Date::parse("2028-02-29").map(|d| d.day), Some(29));
        for bad in ["2027-02-29", "2027-13-01", "2027-3-31", "27-03-31", "2027-03-3x", ""] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2026-12-31") < Date::parse("2027-01-01"));
    }

    #[test]
    fn days_to_civil() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_415).to_string(), "2025-11-23");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
    }
}
