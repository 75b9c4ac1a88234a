//! Prometheus durations (`90s`, `5m`, `1h30m`, `1d`, `500ms`), as its config and rule loaders read them.

/// Milliseconds, or `None` when Prometheus would refuse the text.
pub fn millis(text: &str) -> Option<u64> {
    let t = text.trim();
    if t == "0" {
        return Some(0);
    }
    let bytes = t.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let (mut i, mut total, mut last_unit) = (0, 0u64, usize::MAX);
    const UNITS: [(&str, u64); 7] = [
        ("y", 31_536_000_000),
        ("w", 604_800_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("ms", 1),
        ("m", 60_000),
        ("s", 1000),
    ];
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let n: u64 = t[start..i].parse().ok()?;
        let (k, (unit, ms)) = UNITS.iter().enumerate().find(|(_, (u, _))| t[i..].starts_with(u))?;
        // Units must come largest first, each once (Prometheus' own grammar).
        let order = if *unit == "ms" {
            6
        } else if *unit == "s" {
            5
        } else {
            k
        };
        if last_unit != usize::MAX && order <= last_unit {
            return None;
        }
        last_unit = order;
        total = total.checked_add(n.checked_mul(*ms)?)?;
        i += unit.len();
    }
    Some(total)
}

pub fn seconds(text: &str) -> Option<u64> {
    millis(text).map(|ms| ms / 1000)
}

/// `240` → `4m`, `90` → `1m30s`.
pub fn show(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out += &format!("{h}h");
    }
    if m > 0 {
        out += &format!("{m}m");
    }
    if s > 0 || out.is_empty() {
        out += &format!("{s}s");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn durations() {
        assert_eq!(millis("5m"), Some(300_000));
        assert_eq!(millis("1h30m"), Some(5_400_000));
        assert_eq!(millis("500ms"), Some(500));
        assert_eq!(millis("0"), Some(0));
        assert_eq!(millis("0s"), Some(0));
        assert_eq!(millis("5"), None);
        assert_eq!(millis("5 m"), None);
        assert_eq!(millis("30m1h"), None);
        assert_eq!(show(240), "4m");
        assert_eq!(show(90), "1m30s");
    }
}
