//! Shared by the trace targets: the input written where a reader expects it, then read to
//! the end in strict and in lenient mode.

use std::path::PathBuf;

use gigafactory::workload::{Format, ReadOptions, TraceReader};

/// A folder of this process's own under the temporary directory.
fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("gigafactory-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temporary folder");
    d
}

/// Write `data` as a trace of `format` and read every record of it.
pub fn read_all(format: Format, data: &[u8]) {
    let d = dir();
    let path = match format {
        Format::Pai2020 => {
            // The job table, then the task table beside it.
            let cut = data.iter().position(|b| *b == 0).unwrap_or(data.len());
            let tasks = data.get(cut + 1..).unwrap_or(&[]);
            std::fs::write(d.join("pai_task_table.csv"), tasks).expect("write");
            let p = d.join("pai_job_table.csv");
            std::fs::write(&p, &data[..cut]).expect("write");
            p
        }
        _ => {
            let p = d.join("trace");
            std::fs::write(&p, data).expect("write");
            p
        }
    };
    for lenient in [false, true] {
        let options = ReadOptions {
            lenient,
            reorder_window: 64,
            ..ReadOptions::default()
        };
        let Ok(reader) = TraceReader::open(&path, Some(format), &options) else {
            continue;
        };
        for job in reader {
            if job.is_err() {
                break;
            }
        }
    }
}
