//! Where a scenario comes from: a file or a built-in scenario's name (as every front end
//! takes them: the command line, the Python package), or text given directly; and the
//! problems of one that does not validate, as text and as located records.

use std::path::{Path, PathBuf};

use super::Plan;
use crate::catalog::Catalog;
use crate::scenario::{self, BUILTIN, Located, Problem};

/// A scenario's text and the name messages give it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name in messages: the file's path, `NAME (built-in)`, or the caller's label.
    pub label: String,
    /// The scenario's text.
    pub text: String,
    /// The file read (its folder is where its traces and demand file are), or none.
    pub file: Option<PathBuf>,
}

/// A scenario that does not validate: its every problem, placed in its text.
#[derive(Debug, Clone)]
pub struct Invalid {
    /// The scenario's name in messages.
    pub label: String,
    /// Its text.
    pub text: String,
    /// What is wrong.
    pub problems: Vec<Problem>,
}

impl Invalid {
    /// The problems as compiler-style messages, then how many (what the command line
    /// prints).
    #[must_use]
    pub fn report(&self) -> String {
        scenario::report(&self.label, &self.text, &self.problems)
    }

    /// Each problem's file, line, column, field and message.
    #[must_use]
    pub fn located(&self) -> Vec<Located> {
        self.problems
            .iter()
            .map(|p| p.located(&self.label, &self.text))
            .collect()
    }
}

impl Source {
    /// The file `arg`, or, where no such file exists, the built-in scenario of that name.
    ///
    /// # Errors
    /// The file cannot be read (naming the built-in scenarios where it does not exist).
    pub fn read(arg: &str) -> Result<Source, String> {
        let path = Path::new(arg);
        if !path.exists() {
            if let Some(b) = scenario::builtin(arg) {
                return Ok(Source {
                    label: format!("{} (built-in)", b.id),
                    text: b.text.to_string(),
                    file: None,
                });
            }
        }
        Source::read_file(path)
    }

    /// The file at `path`.
    ///
    /// # Errors
    /// It cannot be read (naming the built-in scenarios where it does not exist).
    pub fn read_file(path: &Path) -> Result<Source, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Source {
                label: path.display().to_string(),
                text,
                file: Some(path.to_path_buf()),
            }),
            Err(e) => {
                let names: Vec<&str> = BUILTIN.iter().map(|b| b.id).collect();
                let hint = if e.kind() == std::io::ErrorKind::NotFound {
                    format!(" (nor is it a built-in scenario: {})", names.join(", "))
                } else {
                    String::new()
                };
                Err(format!("cannot read {}: {e}{hint}", path.display()))
            }
        }
    }

    /// The folder the scenario's traces and demand file are relative to: its file's, or
    /// the working folder.
    #[must_use]
    pub fn base_dir(&self) -> PathBuf {
        super::base_dir(self.file.as_deref())
    }

    /// Read, validate and resolve the scenario into a plan named by its label.
    ///
    /// # Errors
    /// Every problem found, placed in the text.
    pub fn prepare(&self, catalog: &Catalog) -> Result<Plan, Invalid> {
        Plan::prepare(&self.label, &self.text, self.base_dir(), catalog).map_err(|problems| {
            Invalid {
                label: self.label.clone(),
                text: self.text.clone(),
                problems,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_builtin_name_reads_its_text_and_a_missing_file_names_the_builtins() {
        let s = Source::read(BUILTIN[0].id).unwrap();
        assert_eq!(s.text, BUILTIN[0].text);
        assert!(s.file.is_none());
        let e = Source::read("no-such-plan.toml").unwrap_err();
        assert!(e.contains("nor is it a built-in scenario"), "{e}");
        assert!(e.contains(BUILTIN[0].id), "{e}");
    }

    #[test]
    fn problems_are_located_by_line_and_column() {
        let text = "[[build]]\nsite = \"kajaani\"\ncount = \"8\"\n";
        let src = Source {
            label: "plan.toml".into(),
            text: text.into(),
            file: None,
        };
        let bad = src.prepare(Catalog::builtin()).unwrap_err();
        let located = bad.located();
        let count = located
            .iter()
            .find(|p| p.field == "build[0].count")
            .expect("the count's problem");
        assert_eq!((count.line, count.column), (Some(3), Some(9)));
        assert_eq!(count.file, "plan.toml");
        assert!(bad.report().contains("plan.toml:3:9: build[0].count"));
    }
}
