//! Aligned plain-text tables and number formatting for the terminal.

/// How a column is aligned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Render `rows` under `headers`, columns separated by two spaces, trailing spaces trimmed.
pub fn render(headers: &[&str], align: &[Align], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            match align.get(i).copied().unwrap_or(Align::Left) {
                Align::Left => {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                }
                Align::Right => {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                }
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// An integer with thousands separators: 1,234,567.
pub fn int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A fixed-point number with thousands separators in its integer part.
pub fn num(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let sign = if x < 0.0 && s.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    let whole = int(whole.parse().unwrap_or(0));
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// Euros, scaled: €27.04 bn, €208.4 M, €2.34.
pub fn eur(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("€{} bn", num(x / 1e9, 2))
    } else if a >= 1e6 {
        format!("€{} M", num(x / 1e6, 1))
    } else if a >= 1e3 {
        format!("€{}", num(x, 0))
    } else {
        format!("€{}", num(x, 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(int(0), "0");
        assert_eq!(int(1_234_567), "1,234,567");
        assert_eq!(num(1234.567, 1), "1,234.6");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(eur(27.04e9), "€27.04 bn");
        assert_eq!(eur(208.44e6), "€208.4 M");
        assert_eq!(eur(2.345), "€2.35");
    }

    #[test]
    fn aligns_columns() {
        let t = render(
            &["a", "n"],
            &[Align::Left, Align::Right],
            &[
                vec!["xx".into(), "1".into()],
                vec!["y".into(), "100".into()],
            ],
        );
        assert_eq!(t, "a     n\nxx    1\ny   100\n");
    }
}
