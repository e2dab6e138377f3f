//! Column look-up by header name, and field parsing with messages that say what was found.

use std::borrow::Cow;

use super::input::split_csv;

/// Indices of named columns in a header.
pub(super) struct Columns {
    idx: Vec<Option<usize>>,
    pub width: usize,
}

impl Columns {
    /// Map `wanted` (required) and `optional` column names to their indices in `header`.
    ///
    /// # Errors
    /// The first required column that is missing, with the columns found.
    pub(super) fn new(
        header: &[Cow<'_, str>],
        wanted: &[&str],
        optional: &[&str],
    ) -> Result<Columns, String> {
        let find = |n: &str| header.iter().position(|h| h.trim() == n);
        let mut idx = Vec::new();
        for w in wanted {
            match find(w) {
                Some(i) => idx.push(Some(i)),
                None => {
                    return Err(format!(
                        "missing column `{w}` (the header has: {})",
                        header
                            .iter()
                            .map(|h| h.trim())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        idx.extend(optional.iter().map(|o| find(o)));
        Ok(Columns {
            idx,
            width: header.len(),
        })
    }

    /// Fixed positions, for files without a header.
    pub(super) fn fixed(n: usize) -> Columns {
        Columns {
            idx: (0..n).map(Some).collect(),
            width: n,
        }
    }

    /// The field of column number `k` (in the order given to `new`), trimmed; "" when an
    /// optional column is absent.
    pub(super) fn get<'a>(&self, fields: &'a [Cow<'a, str>], k: usize) -> &'a str {
        match self.idx[k] {
            Some(i) => fields.get(i).map_or("", |f| f.trim()),
            None => "",
        }
    }
}

/// Check a record has as many fields as the header.
pub(super) fn check_width(fields: &[Cow<'_, str>], width: usize) -> Result<(), String> {
    if fields.len() == width {
        Ok(())
    } else {
        Err(format!("expected {width} fields, found {}", fields.len()))
    }
}

fn found(v: &str) -> String {
    if v.is_empty() {
        "nothing".into()
    } else {
        format!("\"{v}\"")
    }
}

/// A non-negative number.
pub(super) fn number(col: &str, v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!(
            "column `{col}`: expected a number of at least 0, found {}",
            found(v)
        )),
    }
}

/// A whole number of at least 0 (a float with no fraction is accepted: pandas writes
/// `8.0`).
pub(super) fn whole(col: &str, v: &str) -> Result<u64, String> {
    if let Ok(n) = v.parse::<u64>() {
        return Ok(n);
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && x.fract() == 0.0 => Ok(x as u64),
        _ => Err(format!(
            "column `{col}`: expected a whole number of at least 0, found {}",
            found(v)
        )),
    }
}

/// A signed whole number.
pub(super) fn signed(col: &str, v: &str) -> Result<i64, String> {
    if let Ok(n) = v.parse::<i64>() {
        return Ok(n);
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && x.fract() == 0.0 => Ok(x as i64),
        _ => Err(format!(
            "column `{col}`: expected a whole number, found {}",
            found(v)
        )),
    }
}

/// A timestamp parsed by `parse`, described as `what` in the message.
pub(super) fn time(
    col: &str,
    v: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<i64>,
) -> Result<i64, String> {
    parse(v).ok_or_else(|| format!("column `{col}`: expected {what}, found {}", found(v)))
}

/// A Slurm-style record's run time: its `duration` field where given, else end − start;
/// 0 for a job cancelled before it started (no start time). Times parsed by `parse`,
/// described as `what` in messages.
///
/// # Errors
/// A malformed number or time, or an end before the start.
pub(super) fn run_time(
    duration: &str,
    start: &str,
    end: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<i64>,
) -> Result<u64, String> {
    if !duration.is_empty() {
        return whole("duration", duration);
    }
    if start.is_empty() {
        return Ok(0);
    }
    let s = time("start_time", start, what, &parse)?;
    let e = time("end_time", end, what, &parse)?;
    if e < s {
        return Err(format!(
            "column `end_time`: {end} is before the start {start}"
        ));
    }
    Ok((e - s) as u64)
}

/// A data line: the file's columns and the line's fields.
pub(super) type Record<'c, 'r> = (&'c Columns, Vec<Cow<'r, str>>);

/// A CSV file's columns, known once its header is read: the prologue every header-based
/// reader shares.
#[derive(Default)]
pub(super) struct CsvColumns(Option<Columns>);

impl CsvColumns {
    /// Read the header line.
    pub(super) fn read_header(
        &mut self,
        record: &str,
        required: &[&str],
        optional: &[&str],
    ) -> Result<(), String> {
        self.0 = Some(Columns::new(&split_csv(record), required, optional)?);
        Ok(())
    }

    /// The columns and fields of a data line, `None` for a blank one.
    pub(super) fn record<'r>(&self, record: &'r str) -> Result<Option<Record<'_, 'r>>, String> {
        if record.trim().is_empty() {
            return Ok(None);
        }
        let c = self.0.as_ref().expect("the driver reads the header first");
        let f = split_csv(record);
        check_width(&f, c.width)?;
        Ok(Some((c, f)))
    }
}
