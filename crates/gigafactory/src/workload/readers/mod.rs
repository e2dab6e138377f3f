//! One module per trace format; each turns a record into a [`Job`]. The driver here reads
//! records, keeps line numbers, counts what is skipped and restores submit order.

mod acme;
mod helios;
mod native;
mod openb;
mod pai2020;
mod philly;
mod swf;
mod tiresias;

use std::path::Path;

use super::input::{self, JsonArrayElements, Lines, Reorder};
use super::{Format, Job, ReadError, ReadOptions, SkipCounts, Tenants};

/// What a record turned out to be.
pub(crate) enum Parsed {
    Job(Job),
    /// A job passed over, and why.
    Skip(Skip),
    /// Not a job: a blank line or a comment.
    Nothing,
}

pub(crate) enum Skip {
    ZeroGpu,
    NoGpuRecord,
    Unfinished,
}

/// A format's record parser.
pub(crate) trait Parser: Send {
    /// Whether the first non-blank record is a header.
    fn has_header(&self) -> bool {
        true
    }
    /// Read the header.
    fn header(&mut self, _record: &str) -> Result<(), String> {
        Ok(())
    }
    /// Turn one record into a job. `ordinal` counts records from 1.
    fn parse(
        &mut self,
        record: &str,
        ordinal: u64,
        tenants: &mut Tenants,
    ) -> Result<Parsed, String>;
}

enum Source {
    Lines(Lines),
    Json(JsonArrayElements),
}

pub(crate) struct Reader {
    pub format: Format,
    pub tenants: Tenants,
    pub skipped: SkipCounts,
    file: String,
    source: Source,
    parser: Box<dyn Parser>,
    buf: String,
    lenient: bool,
    reorder: Reorder,
    ordinal: u64,
    header_done: bool,
    finished: bool,
    seen: Box<SeenIds>,
}

/// The job ids read so far: a bitmap for ids below 2^27 (at most 16 MB, grown as ids
/// come; traces number their jobs densely), a set for the rest.
#[derive(Default)]
struct SeenIds {
    bits: Vec<u64>,
    sparse: std::collections::HashSet<u64>,
}

impl SeenIds {
    const DENSE: u64 = 1 << 27;

    /// Record `id`; whether it was new.
    fn insert(&mut self, id: u64) -> bool {
        if id >= Self::DENSE {
            return self.sparse.insert(id);
        }
        let (word, bit) = ((id / 64) as usize, id % 64);
        if word >= self.bits.len() {
            self.bits.resize((word + 1).next_power_of_two(), 0);
        }
        let new = self.bits[word] & (1 << bit) == 0;
        self.bits[word] |= 1 << bit;
        new
    }
}

impl Reader {
    pub(super) fn open(path: &Path, format: Format, o: &ReadOptions) -> Result<Reader, ReadError> {
        let file = path.display().to_string();
        let err = |m: String| ReadError {
            file: file.clone(),
            line: None,
            message: m,
        };
        let input = input::open(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let offset = |default_hours: f64| {
            (o.utc_offset_hours.unwrap_or(default_hours) * 3600.0).round() as i64
        };
        let parser: Box<dyn Parser> = match format {
            Format::Native => Box::new(native::Native::default()),
            Format::Helios => Box::new(helios::Helios::new(offset(8.0))),
            Format::Acme => Box::new(acme::Acme::default()),
            Format::Philly => Box::new(philly::Philly::new(offset(0.0))),
            Format::Pai2020 => {
                let task_path = o
                    .pai_task_table
                    .clone()
                    .unwrap_or_else(|| pai2020::task_table_beside(path));
                Box::new(pai2020::Pai2020::load(&task_path).map_err(|m| ReadError {
                    file: task_path.display().to_string(),
                    line: m.0,
                    message: m.1,
                })?)
            }
            Format::Openb => Box::new(openb::Openb::default()),
            Format::Tiresias => Box::new(tiresias::Tiresias::default()),
            Format::Swf => Box::new(swf::Swf::default()),
        };
        let source = match format {
            Format::Philly => Source::Json(JsonArrayElements::new(input)),
            _ => Source::Lines(Lines::new(input)),
        };
        Ok(Reader {
            format,
            tenants: Tenants::default(),
            skipped: SkipCounts::default(),
            seen: Box::default(),
            file,
            source,
            parser,
            buf: String::new(),
            lenient: o.lenient,
            reorder: Reorder::new(o.reorder_window.max(1)),
            ordinal: 0,
            header_done: false,
            finished: false,
        })
    }

    fn fail(&mut self, line: Option<u64>, message: String) -> Option<Result<Job, ReadError>> {
        self.finished = true;
        self.reorder = Reorder::new(1);
        Some(Err(ReadError {
            file: self.file.clone(),
            line,
            message,
        }))
    }

    pub(super) fn next(&mut self) -> Option<Result<Job, ReadError>> {
        loop {
            if self.finished {
                return self.reorder.pop().map(Ok);
            }
            let read = match &mut self.source {
                Source::Lines(l) => l.next(&mut self.buf),
                Source::Json(j) => j.next(&mut self.buf),
            };
            let line = match read {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.finished = true;
                    if !self.header_done && self.parser.has_header() {
                        return self.fail(None, "the file is empty: expected a header line".into());
                    }
                    continue;
                }
                Err(e) => return self.fail(None, format!("cannot read: {e}")),
            };
            if !self.header_done && self.parser.has_header() {
                if self.buf.trim().is_empty() {
                    continue;
                }
                self.header_done = true;
                if let Err(m) = self.parser.header(&self.buf) {
                    return self.fail(Some(line), m);
                }
                continue;
            }
            self.header_done = true;
            self.ordinal += 1;
            match self
                .parser
                .parse(&self.buf, self.ordinal, &mut self.tenants)
            {
                Ok(Parsed::Job(job)) if !self.seen.insert(job.id) => {
                    if self.lenient {
                        self.skipped.malformed += 1;
                    } else {
                        let m = format!("job id {} appears a second time", job.id);
                        return self.fail(Some(line), m);
                    }
                }
                Ok(Parsed::Job(job)) => match self.reorder.push(job, line) {
                    Ok(Some(out)) => return Some(Ok(out)),
                    Ok(None) => {}
                    Err((l, m)) => return self.fail(Some(l), m),
                },
                Ok(Parsed::Skip(Skip::ZeroGpu)) => self.skipped.zero_gpu += 1,
                Ok(Parsed::Skip(Skip::NoGpuRecord)) => self.skipped.no_gpu_record += 1,
                Ok(Parsed::Skip(Skip::Unfinished)) => self.skipped.unfinished += 1,
                Ok(Parsed::Nothing) => {}
                Err(_) if self.lenient => self.skipped.malformed += 1,
                Err(m) => return self.fail(Some(line), m),
            }
        }
    }
}

#[cfg(test)]
mod tests;
