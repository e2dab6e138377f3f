//! Writing output files so that an interrupted run never leaves a half-written file under
//! its final name (write to a temporary name in the same folder, then rename), and so that
//! nothing that is not a regular file is ever replaced (devices and FIFOs are written
//! through, symlinks followed).

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::path::PathBuf;

/// Print to standard output as `print!` does, except that a reader that has gone
/// (`gigafactory run --json | head`) ends the process quietly with exit 0, as ripgrep
/// does, instead of panicking; any other write error exits 1 with a message.
macro_rules! out {
    ($($t:tt)*) => { $crate::output::to_stdout(format_args!($($t)*)) };
}

/// As [`out!`], with a newline.
macro_rules! outln {
    () => { $crate::output::to_stdout(format_args!("\n")) };
    ($($t:tt)*) => {{
        $crate::output::to_stdout(format_args!($($t)*));
        $crate::output::to_stdout(format_args!("\n"));
    }};
}

pub(crate) use {out, outln};

/// Write `args` to standard output (see [`out!`]).
pub fn to_stdout(args: std::fmt::Arguments<'_>) {
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_fmt(args).and_then(|()| o.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Write `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// Remove from `dir` the files named in `own` (the tool's own output names) that this run
/// did not write (`written`): regular files only, so a FIFO, device or symlink placed
/// there by the user stays. Files of other names are never touched.
pub fn remove_stale(dir: &Path, own: &[&str], written: &[String]) {
    for name in own.iter().filter(|n| !written.iter().any(|w| w == *n)) {
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

/// Every record to each of several job sinks.
pub struct Tee<'a>(pub Vec<&'a mut dyn gigafactory::sim::JobSink>);

impl gigafactory::sim::JobSink for Tee<'_> {
    fn record(&mut self, r: &gigafactory::sim::JobRecord<'_>) -> std::io::Result<()> {
        for s in &mut self.0 {
            s.record(r)?;
        }
        Ok(())
    }
}
