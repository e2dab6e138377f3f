use std::fmt;
use std::ops::Range;

/// One step of a path into a scenario: a key, or an index into an array of tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Where in the scenario a problem is: `build[0].count`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The root of the document.
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// This path with `key` appended.
    pub fn key(&self, key: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(key.to_string()));
        FieldPath(v)
    }

    /// This path with `index` appended.
    pub fn index(&self, index: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(index));
        FieldPath(v)
    }

    /// The path one step up, if any.
    pub fn parent(&self) -> Option<FieldPath> {
        let mut v = self.0.clone();
        v.pop()?;
        Some(FieldPath(v))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Whether a problem is about a key itself (unknown key) or about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The key's name is wrong.
    Key,
    /// The value is wrong, or missing.
    Value,
}

/// One thing wrong with a scenario: where, and what was found against what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The field.
    pub path: FieldPath,
    /// Whether the key or the value is at fault.
    pub target: Target,
    /// What was found and what was expected.
    pub message: String,
    /// Byte range in the scenario text, once located.
    pub span: Option<Range<usize>>,
    /// The file it is in, where that is not the scenario itself (a demand file it
    /// includes): its name and text, for the message.
    pub file: Option<Box<OtherFile>>,
}

/// A file a scenario includes (its demand file), as problems in it are reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherFile {
    /// Its name, as messages give it.
    pub label: String,
    /// Its text.
    pub text: String,
}

impl Problem {
    /// A problem with the value at `path`.
    pub fn value(path: FieldPath, message: impl Into<String>) -> Self {
        Problem {
            path,
            target: Target::Value,
            message: message.into(),
            span: None,
            file: None,
        }
    }

    /// A problem with the key at `path`.
    pub fn key(path: FieldPath, message: impl Into<String>) -> Self {
        Problem {
            path,
            target: Target::Key,
            message: message.into(),
            span: None,
            file: None,
        }
    }

    /// This problem with its place in the text.
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// This problem as one in `file` (a file the scenario includes), not the scenario.
    pub fn in_file(mut self, file: &OtherFile) -> Self {
        self.file = Some(Box::new(file.clone()));
        self
    }

    /// The problem as a compiler-style message naming `file`, line and column, with the
    /// offending line of `text` and a caret under the fault.
    ///
    /// ```text
    /// error: plan.toml:14:9: build[0].count: expected an integer, found the string "8"
    ///    |
    /// 14 | count = "8"
    ///    |         ^^^
    /// ```
    pub fn render(&self, file: &str, text: &str) -> String {
        let (file, text) = self.source(file, text);
        let Some(span) = self.span.clone() else {
            return format!("error: {file}: {}: {}\n", self.path, self.message);
        };
        let p = place(text, span);
        let line = &text[p.line_start..p.line_end];
        let gutter = " ".repeat(p.line.to_string().len());
        format!(
            "error: {file}:{}:{}: {}: {}\n{gutter} |\n{} | {line}\n{gutter} | {}{}\n",
            p.line,
            p.column,
            self.path,
            self.message,
            p.line,
            " ".repeat(p.column - 1),
            "^".repeat(p.width)
        )
    }

    /// The problem's file (the one it names: `file`, or the included file it is in),
    /// line and column (1-based, none where it is not placed in a text), field and
    /// message, as a program reads them.
    pub fn located(&self, file: &str, text: &str) -> Located {
        let (file, text) = self.source(file, text);
        let p = self.span.clone().map(|s| place(text, s));
        Located {
            file: file.to_string(),
            line: p.as_ref().map(|p| p.line),
            column: p.as_ref().map(|p| p.column),
            field: self.path.to_string(),
            message: self.message.clone(),
        }
    }

    /// The file the problem is in and its text: `file` and `text`, or the included file's.
    fn source<'a>(&'a self, file: &'a str, text: &'a str) -> (&'a str, &'a str) {
        match &self.file {
            Some(f) => (f.label.as_str(), f.text.as_str()),
            None => (file, text),
        }
    }
}

/// A problem as a program reads it: [`Problem::located`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file it is in.
    pub file: String,
    /// Its line, 1-based.
    pub line: Option<usize>,
    /// Its column in characters, 1-based.
    pub column: Option<usize>,
    /// The field, as `build[0].count`.
    pub field: String,
    /// What was found and what was expected.
    pub message: String,
}

/// Every problem of `text` (named `label`) as compiler-style messages, then how many.
#[must_use]
pub fn report(label: &str, text: &str, problems: &[Problem]) -> String {
    let mut out: String = problems.iter().map(|p| p.render(label, text)).collect();
    let n = problems.len();
    out.push_str(&format!(
        "{label}: {n} problem{}\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// A span's place in its text: line and column (1-based), the line's byte range (without
/// its line break) and the width in characters to underline.
struct Place {
    line: usize,
    column: usize,
    line_start: usize,
    line_end: usize,
    width: usize,
}

fn place(text: &str, span: Range<usize>) -> Place {
    let start = floor_char_boundary(text, span.start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_no = text[..start].matches('\n').count() + 1;
    let line = text[line_start..line_end].trim_end_matches('\r');
    // A span may start on the line's carriage return: the caret goes just past the text.
    let start = start.min(line_start + line.len());
    let column = text[line_start..start].chars().count() + 1;
    let end = floor_char_boundary(text, span.end).clamp(start, line_start + line.len());
    Place {
        line: line_no,
        column,
        line_start,
        line_end: line_start + line.len(),
        width: text[start..end].chars().count().max(1),
    }
}

/// The largest character boundary of `text` at or before `i`.
fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&w, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("grid_mw", "gird_mw"), 2);
    }

    #[test]
    fn suggests_only_close_words() {
        let keys = ["grid_mw", "pue", "country"];
        assert_eq!(did_you_mean("gird_mw", keys), Some("grid_mw"));
        assert_eq!(did_you_mean("PUE", keys), Some("pue"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn renders_line_column_and_caret() {
        let text = "a = 1\ncount = \"8\"\n";
        let p = Problem::value(FieldPath::root().key("count"), "expected an integer").at(14..17);
        assert_eq!(
            p.render("x.toml", text),
            "error: x.toml:2:9: count: expected an integer\n  |\n2 | count = \"8\"\n  |         ^^^\n"
        );
    }

    #[test]
    fn any_span_renders_whatever_the_text() {
        // Found by fuzzing (issue 12): a span that starts at a line's carriage return, one
        // inside a multi-byte character, one past the end. Each renders a caret on its line.
        let cases: [(&str, std::ops::Range<usize>); 5] = [
            ("name = 0.4\r", 10..11),
            ("a = 1\r\nb = 2\r\n", 5..6),
            ("name = \"é\"", 9..10),
            ("x = 1", 3..400),
            ("", 0..3),
        ];
        for (text, span) in cases {
            let r = Problem::value(FieldPath::root(), "m")
                .at(span.clone())
                .render("f", text);
            assert!(r.starts_with("error: f:1:"), "{text:?} {span:?}: {r}");
            assert!(r.trim_end().ends_with('^'), "{text:?} {span:?}: {r}");
        }
    }
}
