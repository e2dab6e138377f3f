//! A run's and a comparison's output folders: the files each writes, written so that an
//! interrupted run never leaves a half-written file under its final name (a temporary name
//! in the same folder, then a rename), so that nothing that is not a regular file is ever
//! replaced (devices and FIFOs are written through, symlinks followed), and so that a
//! folder never holds a mix of two runs (the tool's own files that a run did not write are
//! removed; no other file is touched).

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use gigafactory::plan::Comparison;
use gigafactory::run::{Evaluation, JobRecord, JobSink};
use gigafactory_columnar::JobsWriter;

use crate::{Seeds, Summary};

/// Write `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// Remove from `dir` the files named in `own` (the tool's own output names) that this run
/// did not write (`written`): regular files only, so a FIFO, device or symlink placed
/// there by the user stays. Files of other names are never touched.
pub fn remove_stale(dir: &Path, own: &[String], written: &[String]) {
    for name in own.iter().filter(|n| !written.contains(n)) {
        let path = dir.join(name);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            let _ = fs::remove_file(path);
        }
    }
}

/// Remove temporary files that killed runs left in `dir` (`.NAME.partial-PID` of a process
/// that is gone). Only where `/proc` tells which processes live (Linux); elsewhere nothing.
pub fn sweep_partials(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((_, pid)) = name.rsplit_once(".partial-") else {
            continue;
        };
        if name.starts_with('.')
            && pid.parse::<u32>().is_ok()
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// An output file. A regular file (or a name where nothing stands yet) is written under a
/// temporary name in its folder and renamed when committed; dropped uncommitted, the
/// temporary file is removed, so a failed run leaves nothing under the final name. A
/// target that exists and is not a regular file (a device, a FIFO, a terminal) is written
/// through instead, so that its reader sees the rows as they come and a write error
/// surfaces; a symlink is followed, never replaced.
pub struct AtomicFile {
    /// The temporary name and the final one, for a file renamed into place.
    rename: Option<(PathBuf, PathBuf)>,
    out: Option<BufWriter<fs::File>>,
}

/// What a symlink at `path` finally names (the path itself where there is no link),
/// whether or not that exists yet.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // As many hops as the kernel allows (ELOOP past 40).
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

impl AtomicFile {
    /// Start writing `path`.
    ///
    /// # Errors
    /// The folder cannot be written, `path` is a folder, or a device or FIFO cannot be
    /// opened for writing.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let target = resolve_links(path)?;
        if let Ok(m) = fs::metadata(&target) {
            if m.is_dir() {
                return Err(std::io::Error::other("it is a folder"));
            }
            if !m.is_file() {
                // A device, FIFO or socket: written through, never replaced.
                let f = fs::OpenOptions::new().write(true).open(&target)?;
                return Ok(AtomicFile {
                    rename: None,
                    out: Some(BufWriter::with_capacity(1 << 16, f)),
                });
            }
        }
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
        let out = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
        Ok(AtomicFile {
            rename: Some((tmp, target)),
            out: Some(out),
        })
    }

    /// Flush; for a file under a temporary name, sync and rename it to the final name.
    ///
    /// # Errors
    /// A write, sync or rename fails (a full disk, a device that refuses the bytes).
    pub fn commit(mut self) -> std::io::Result<()> {
        let out = self.out.take().expect("not yet committed");
        let f = out.into_inner().map_err(|e| e.into_error())?;
        match self.rename.take() {
            Some((tmp, path)) => {
                f.sync_all()?;
                fs::rename(tmp, path)
            }
            None => Ok(()),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.as_mut().expect("not yet committed").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.as_mut().expect("not yet committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let (Some(_), Some((tmp, _))) = (&self.out, &self.rename) {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Why an output folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder could not be created.
    #[error("cannot create {}: {source}", .path.display())]
    Create {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl OutputError {
    fn write(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
        move |source| OutputError::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The format of a run's jobs and timeseries tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// `jobs.parquet` and `timeseries.parquet`.
    Parquet,
    /// `jobs.csv` and `timeseries.csv`.
    Csv,
}

impl TableFormat {
    /// The files' extension.
    #[must_use]
    pub fn ext(self) -> &'static str {
        match self {
            TableFormat::Parquet => "parquet",
            TableFormat::Csv => "csv",
        }
    }
}

/// What a run's folder is written from: the evaluation and, when replicated, its figures
/// over the seeds.
struct Output<'a> {
    e: &'a Evaluation,
    seeds: Option<&'a Seeds>,
}

/// Writes one file of a run's folder: what the run gave, the file's path, the tables'
/// format.
type Writer = fn(&Output<'_>, &Path, TableFormat) -> Result<(), OutputError>;

/// One file a run's folder may hold, and when a run writes it.
struct RunFile {
    /// Its name; `{ext}` stands for the tables' format.
    name: &'static str,
    /// Written only for a simulated run.
    simulated: bool,
    /// Written only for a scenario with calls for proposals.
    calls: bool,
    /// Its contents (`None` for the jobs table, streamed while the run goes).
    write: Option<Writer>,
}

/// Every file a run's folder may hold, in the order a run writes them and names them.
/// Adding an output file is one entry here and its writer.
const RUN_FILES: [RunFile; 7] = [
    RunFile {
        name: "jobs.{ext}",
        simulated: true,
        calls: false,
        write: None,
    },
    RunFile {
        name: "timeseries.{ext}",
        simulated: true,
        calls: false,
        write: Some(|o, path, format| {
            let series = &o.e.outcome.as_ref().expect("simulated").series;
            AtomicFile::create(path)
                .and_then(|f| match format {
                    TableFormat::Parquet => {
                        Ok(gigafactory_columnar::timeseries_parquet(series, f)?)
                    }
                    TableFormat::Csv => gigafactory_columnar::timeseries_csv(series, f),
                })
                .and_then(AtomicFile::commit)
                .map_err(OutputError::write(path))
        }),
    },
    RunFile {
        name: "summary.json",
        simulated: false,
        calls: false,
        write: Some(|o, path, _| {
            let mut summary = Summary::of(o.e);
            summary.seeds = o.seeds.cloned();
            text(path, &summary.to_json())
        }),
    },
    RunFile {
        name: "report.html",
        simulated: false,
        calls: false,
        write: Some(|o, path, _| text(path, &crate::html(o.e))),
    },
    RunFile {
        name: "years.csv",
        simulated: true,
        calls: false,
        write: Some(|o, path, _| {
            text(
                path,
                &crate::tables::years_csv(
                    o.e.outcome.as_ref().expect("simulated"),
                    &o.e.assessment.capability,
                    o.e.pricing.as_ref(),
                ),
            )
        }),
    },
    RunFile {
        name: "tenants.csv",
        simulated: true,
        calls: false,
        write: Some(|o, path, _| {
            text(
                path,
                &crate::tables::tenants_csv(
                    o.e.outcome.as_ref().expect("simulated"),
                    o.e.pricing.as_ref(),
                ),
            )
        }),
    },
    RunFile {
        name: "projects.csv",
        simulated: false,
        calls: true,
        write: Some(|o, path, _| {
            let calls = o.e.calls.as_ref().expect("written only with calls");
            text(path, &crate::tables::projects_csv(calls))
        }),
    },
];

/// Write `s` to `path` atomically.
fn text(path: &Path, s: &str) -> Result<(), OutputError> {
    write_atomic(path, s.as_bytes()).map_err(OutputError::write(path))
}

impl RunFile {
    fn file_name(&self, format: TableFormat) -> String {
        self.name.replace("{ext}", format.ext())
    }
}

/// Whether file `p` is in folder `dir`.
fn same_folder(p: &Path, dir: &Path) -> bool {
    let parent = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (fs::canonicalize(parent), fs::canonicalize(dir)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A run's output folder, open while the run goes: its jobs table is written as jobs end.
pub struct RunFolder {
    dir: PathBuf,
    format: TableFormat,
    jobs: JobsWriter<AtomicFile>,
}

impl RunFolder {
    /// Whether a run writing its folder `dir` in `format` would write file `path` (which
    /// then cannot be another output of the same run).
    #[must_use]
    pub fn writes(dir: &Path, format: TableFormat, path: &Path) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        name.is_some_and(|n| RUN_FILES.iter().any(|f| f.file_name(format) == n))
            && same_folder(path, dir)
    }

    /// Create folder `dir` if needed, clear what killed runs left in it, and start its jobs
    /// table.
    ///
    /// # Errors
    /// The folder cannot be created or the jobs table cannot be started.
    pub fn open(dir: &Path, format: TableFormat) -> Result<RunFolder, OutputError> {
        fs::create_dir_all(dir).map_err(|source| OutputError::Create {
            path: dir.to_path_buf(),
            source,
        })?;
        sweep_partials(dir);
        let path = dir.join(RUN_FILES[0].file_name(format));
        let jobs = AtomicFile::create(&path)
            .and_then(|f| {
                Ok(match format {
                    TableFormat::Parquet => JobsWriter::parquet(f)?,
                    TableFormat::Csv => JobsWriter::csv(f)?,
                })
            })
            .map_err(OutputError::write(&path))?;
        Ok(RunFolder {
            dir: dir.to_path_buf(),
            format,
            jobs,
        })
    }

    /// Where the run's jobs go as they end.
    pub fn jobs(&mut self) -> &mut dyn JobSink {
        &mut self.jobs
    }

    /// Write the rest of evaluation `e`'s files (for a plan not simulated, no jobs table;
    /// `summary.json` with `seeds` where the run was replicated), and remove the tool's
    /// files of an earlier run that this one did not write, except `also_ours` (another
    /// file of this run that may stand there, e.g. its job log). Returns the names
    /// written, in order.
    ///
    /// # Errors
    /// A file cannot be written.
    pub fn finish(
        self,
        e: &Evaluation,
        seeds: Option<&Seeds>,
        also_ours: Option<&Path>,
    ) -> Result<Vec<String>, OutputError> {
        let simulated = e.outcome.is_some();
        let jobs_path = self.dir.join(RUN_FILES[0].file_name(self.format));
        if simulated {
            self.jobs
                .finish()
                .map_err(std::io::Error::from)
                .and_then(AtomicFile::commit)
                .map_err(OutputError::write(&jobs_path))?;
        }
        let mut written = Vec::new();
        let wanted = |f: &&RunFile| (simulated || !f.simulated) && (e.calls.is_some() || !f.calls);
        for f in RUN_FILES.iter().filter(wanted) {
            let name = f.file_name(self.format);
            if let Some(write) = f.write {
                write(&Output { e, seeds }, &self.dir.join(&name), self.format)?;
            }
            written.push(name);
        }
        let mut keep = written.clone();
        if let Some(name) = also_ours
            .filter(|p| same_folder(p, &self.dir))
            .and_then(|p| p.file_name())
        {
            keep.push(name.to_string_lossy().into_owned());
        }
        let own: Vec<String> = [TableFormat::Parquet, TableFormat::Csv]
            .iter()
            .flat_map(|&x| RUN_FILES.iter().map(move |f| f.file_name(x)))
            .collect();
        remove_stale(&self.dir, &own, &keep);
        Ok(written)
    }
}

/// Write a comparison's folder `dir`: `compare.json` and `report.html`, the latter with the
/// table's cells as `cells` shows them (a row per figure, a cell per plan), each row's
/// verdict as `verdicts` words it, and `rule`, how the verdicts were reached.
///
/// # Errors
/// The folder cannot be created or a file written.
pub fn write_comparison(
    dir: &Path,
    c: &Comparison,
    cells: &[Vec<String>],
    verdicts: &[String],
    rule: &str,
) -> Result<Vec<String>, OutputError> {
    fs::create_dir_all(dir).map_err(|source| OutputError::Create {
        path: dir.to_path_buf(),
        source,
    })?;
    let files = [
        ("compare.json", comparison_json(c)),
        ("report.html", crate::compare_html(c, cells, verdicts, rule)),
    ];
    for (name, contents) in &files {
        text(&dir.join(name), contents)?;
    }
    Ok(files.iter().map(|f| f.0.to_string()).collect())
}

/// `compare.json`, as `compare --json` prints it.
#[must_use]
pub fn comparison_json(c: &Comparison) -> String {
    let value = serde_json::to_value(c.json()).expect("compare.json is JSON");
    serde_json::to_string_pretty(&value).expect("JSON") + "\n"
}

/// Every record to each of several job sinks.
pub struct Tee<'a>(pub Vec<&'a mut dyn JobSink>);

impl JobSink for Tee<'_> {
    fn record(&mut self, r: &JobRecord<'_>) -> std::io::Result<()> {
        for s in &mut self.0 {
            s.record(r)?;
        }
        Ok(())
    }
}
