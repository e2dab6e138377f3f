//! Aligned plain-text tables and number formatting for the terminal.

use std::cell::Cell;

thread_local! {
    // Set once in main; per thread, so that tests in parallel do not see each other's.
    static COLOUR: Cell<bool> = const { Cell::new(false) };
}

/// Whether to colour: only on a terminal, and never when `NO_COLOR` is set to anything
/// but the empty string (no-color.org).
pub(crate) fn wants_colour(on_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    on_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Turn colour on or off for everything this thread renders after.
pub(crate) fn set_colour(on: bool) {
    COLOUR.with(|c| c.set(on));
}

fn paint(code: &str, s: &str) -> String {
    if COLOUR.with(Cell::get) {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Bold, when colouring.
pub(crate) fn bold(s: &str) -> String {
    paint("1", s)
}

/// Red (a figure that is worse than its yardstick), when colouring.
pub(crate) fn red(s: &str) -> String {
    paint("31", s)
}

/// Green (a figure that beats its yardstick), when colouring.
pub(crate) fn green(s: &str) -> String {
    paint("32", s)
}

/// Characters a terminal shows: escape sequences (`ESC [ ... m`) take no room.
fn width(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

/// How a column is aligned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// Render `rows` under `headers`, columns separated by two spaces, trailing spaces trimmed.
pub(crate) fn render(headers: &[&str], align: &[Align], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(width(c));
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
    let head = line(headers.to_vec());
    let head = head.trim_end_matches('\n');
    let mut out = if head.is_empty() {
        String::new()
    } else {
        bold(head)
    } + "\n";
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// An integer with thousands separators: 1,234,567.
pub(crate) fn int(n: u64) -> String {
    gigafactory::units::thousands(n)
}

/// A fixed-point number with thousands separators in its integer part.
pub(crate) fn num(x: f64, decimals: usize) -> String {
    if x.abs() >= 1e18 {
        // Past what a whole number of digits shows usefully: scientific notation.
        return format!("{x:.2e}");
    }
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

/// `n` and the word, plural unless `n` is 1: "1 site", "1,234 jobs".
pub(crate) fn plural(n: u64, word: &str) -> String {
    format!("{} {word}{}", int(n), if n == 1 { "" } else { "s" })
}

/// Euros, scaled: €27.04 bn, €208.4 M, €2.34.
/// What a per-hour figure says when no hour was delivered (its division has no answer).
pub(crate) const NOTHING_SERVED: &str = "undefined: nothing served";

pub(crate) fn eur(x: f64) -> String {
    if !x.is_finite() {
        // Only a per-hour figure divides: by zero hours when nothing was served.
        return NOTHING_SERVED.into();
    }
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
        assert_eq!(eur(f64::INFINITY), NOTHING_SERVED);
        // Issue 12, defect 15: a budget of 1e308 printed as EUR 0.00 bn.
        assert_eq!(eur(1e308), "€1.00e299 bn");
        assert_eq!(plural(1, "site"), "1 site");
        assert_eq!(plural(1234, "job"), "1,234 jobs");
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

    #[test]
    fn colour_only_on_a_terminal_without_no_color_and_alignment_ignores_it() {
        use std::ffi::OsStr;
        assert!(wants_colour(true, None));
        assert!(wants_colour(true, Some(OsStr::new(""))));
        assert!(!wants_colour(true, Some(OsStr::new("1"))));
        assert!(!wants_colour(false, None));
        set_colour(true);
        let t = render(
            &["a", "n"],
            &[Align::Left, Align::Right],
            &[vec![red("xx"), "1".into()], vec!["y".into(), green("100")]],
        );
        set_colour(false);
        assert_eq!(
            t,
            "\x1b[1ma     n\x1b[0m\n\x1b[31mxx\x1b[0m    1\ny   \x1b[32m100\x1b[0m\n"
        );
        assert_eq!(bold("x"), "x", "off again");
    }
}
