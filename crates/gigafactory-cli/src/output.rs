//! Writing output files so that an interrupted run never leaves a half-written file under
//! its final name: write to a temporary name in the same folder, then rename.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::path::PathBuf;

/// Write `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
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

/// A file written under a temporary name in its folder and renamed when committed; dropped
/// uncommitted, it is removed, so a failed run leaves nothing under the final name.
pub struct AtomicFile {
    tmp: PathBuf,
    path: PathBuf,
    out: Option<BufWriter<fs::File>>,
}

impl AtomicFile {
    /// Start writing `path`.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
        let out = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
            out: Some(out),
        })
    }

    /// Flush, sync and rename to the final name.
    pub fn commit(mut self) -> std::io::Result<()> {
        let out = self.out.take().expect("not yet committed");
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&self.tmp, &self.path)
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
        if self.out.is_some() {
            let _ = fs::remove_file(&self.tmp);
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
