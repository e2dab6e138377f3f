//! Reading records from a file: gzip detected by its magic bytes, line numbers kept,
//! CSV fields split, and a bounded buffer that restores submit order.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::job::Job;

/// Open `path` for reading, decompressing gzip transparently.
pub(crate) fn open(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    let mut f = BufReader::with_capacity(1 << 16, File::open(path)?);
    let gz = f.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(f),
        ))
    } else {
        Box::new(f)
    })
}

/// Records one per line.
pub(crate) struct Lines {
    input: Box<dyn BufRead + Send>,
    line: u64,
}

impl Lines {
    pub(crate) fn new(input: Box<dyn BufRead + Send>) -> Self {
        Lines { input, line: 0 }
    }

    /// Read the next line into `buf` (without its line ending); its number, or `None` at
    /// the end.
    pub(crate) fn next(&mut self, buf: &mut String) -> io::Result<Option<u64>> {
        buf.clear();
        if self.input.read_line(buf)? == 0 {
            return Ok(None);
        }
        self.line += 1;
        while buf.ends_with('\n') || buf.ends_with('\r') {
            buf.pop();
        }
        // A UTF-8 byte-order mark (as spreadsheet programs write) is not part of the header.
        if self.line == 1 && buf.starts_with('\u{feff}') {
            buf.drain(..'\u{feff}'.len_utf8());
        }
        Ok(Some(self.line))
    }
}

/// The elements of one top-level JSON array, one at a time, without reading the whole
/// array: bytes are scanned for the element's end (depth 0, outside strings).
pub(crate) struct JsonArrayElements {
    input: Box<dyn BufRead + Send>,
    line: u64,
    started: bool,
    done: bool,
}

impl JsonArrayElements {
    pub(crate) fn new(input: Box<dyn BufRead + Send>) -> Self {
        JsonArrayElements {
            input,
            line: 1,
            started: false,
            done: false,
        }
    }

    fn byte(&mut self) -> io::Result<Option<u8>> {
        let mut b = [0u8];
        match self.input.read(&mut b)? {
            0 => Ok(None),
            _ => {
                if b[0] == b'\n' {
                    self.line += 1;
                }
                Ok(Some(b[0]))
            }
        }
    }

    /// Read the next element's text into `buf`; the line it starts on, or `None` after
    /// the closing bracket.
    ///
    /// # Errors
    /// `InvalidData` when the text is not a JSON array.
    pub(crate) fn next(&mut self, buf: &mut String) -> io::Result<Option<u64>> {
        buf.clear();
        if self.done {
            return Ok(None);
        }
        let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_string());
        // Skip to the start of an element.
        let first = loop {
            match self.byte()? {
                None if !self.started => {
                    return Err(bad("expected a JSON array, found an empty file"));
                }
                None => return Err(bad("the JSON array is not closed")),
                Some(b) if b.is_ascii_whitespace() => continue,
                Some(b'[') if !self.started => self.started = true,
                Some(_) if !self.started => {
                    return Err(bad("expected a JSON array starting with ["));
                }
                Some(b',') => continue,
                Some(b']') => {
                    self.done = true;
                    return Ok(None);
                }
                Some(b) => break b,
            }
        };
        let start_line = self.line;
        let mut bytes = vec![first];
        let (mut depth, mut in_str, mut esc) = (0i32, first == b'"', false);
        if first == b'{' || first == b'[' {
            depth = 1;
        }
        while depth > 0 || in_str {
            let Some(b) = self.byte()? else {
                return Err(bad("the JSON array ends inside an element"));
            };
            bytes.push(b);
            if in_str {
                match (esc, b) {
                    (true, _) => esc = false,
                    (false, b'\\') => esc = true,
                    (false, b'"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
        }
        buf.push_str(&String::from_utf8(bytes).map_err(|_| bad("the element is not UTF-8"))?);
        Ok(Some(start_line))
    }
}

/// Split one CSV line into fields; double-quoted fields may hold commas and `""`.
pub(crate) fn split_csv(line: &str) -> Vec<Cow<'_, str>> {
    if !line.contains('"') {
        return line.split(',').map(Cow::Borrowed).collect();
    }
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => out.push(Cow::Owned(std::mem::take(&mut field))),
            (_, c) => field.push(c),
        }
    }
    out.push(Cow::Owned(field));
    out
}

/// Quote a CSV field when it needs it.
pub(crate) fn quote_csv(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// Restores submit order for traces that are sorted only roughly: holds up to `capacity`
/// jobs, sorted, and releases the earliest. In-order jobs cost O(1); a late one is placed by
/// binary search. A job earlier than one already released is an error.
pub(crate) struct Reorder {
    held: VecDeque<(Job, u64)>,
    capacity: usize,
    last: Option<i64>,
}

impl Reorder {
    pub(crate) fn new(capacity: usize) -> Self {
        Reorder {
            held: VecDeque::with_capacity(capacity.min(1 << 16) + 1),
            capacity,
            last: None,
        }
    }

    /// Add a job read at `line`; a job released now if the buffer is full.
    ///
    /// # Errors
    /// The line of a job that comes before one already released, with both times.
    pub(crate) fn push(&mut self, job: Job, line: u64) -> Result<Option<Job>, (u64, String)> {
        if let Some(last) = self.last {
            if job.submit_s < last {
                return Err((
                    line,
                    format!(
                        "submit time {} is earlier than {last}, already passed on: the file is not in \
                         submit order (more than {} records out of place)",
                        job.submit_s, self.capacity
                    ),
                ));
            }
        }
        match self.held.back() {
            Some((b, _)) if b.submit_s > job.submit_s => {
                // Late: after every held job with the same or an earlier time (stable).
                let at = self
                    .held
                    .partition_point(|(h, _)| h.submit_s <= job.submit_s);
                self.held.insert(at, (job, line));
            }
            _ => self.held.push_back((job, line)),
        }
        Ok(if self.held.len() > self.capacity {
            self.pop()
        } else {
            None
        })
    }

    /// Release the earliest job held.
    pub(crate) fn pop(&mut self) -> Option<Job> {
        let (job, _) = self.held.pop_front()?;
        self.last = Some(job.submit_s);
        Some(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_fields() {
        assert_eq!(split_csv("a,b,,c"), ["a", "b", "", "c"]);
        assert_eq!(
            split_csv("1,\"x, y\",\"say \"\"hi\"\"\",2"),
            ["1", "x, y", "say \"hi\"", "2"]
        );
        assert_eq!(quote_csv("x, y"), "\"x, y\"");
        assert_eq!(quote_csv("plain"), "plain");
    }

    #[test]
    fn json_array_elements_stream_one_by_one() {
        let text = "[\n {\"a\": \"x]}\"},\n {\"b\": [1, 2]}\n]\n";
        let mut e = JsonArrayElements::new(Box::new(io::Cursor::new(text.as_bytes().to_vec())));
        let mut buf = String::new();
        assert_eq!(e.next(&mut buf).unwrap(), Some(2));
        assert_eq!(buf, "{\"a\": \"x]}\"}");
        assert_eq!(e.next(&mut buf).unwrap(), Some(3));
        assert_eq!(buf, "{\"b\": [1, 2]}");
        assert_eq!(e.next(&mut buf).unwrap(), None);
    }
}
