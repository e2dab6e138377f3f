//! `jobs.parquet` (or `jobs.csv`): the job log streamed to a file. The simulation's thread
//! only appends numbers to column buffers; a second thread builds Arrow arrays and
//! compresses (or formats CSV) and writes, so a run on two cores hardly slows down.

use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Int32Array, Int64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use gigafactory::run::{ColumnType, CsvJobLog, JOB_COLUMNS, JobEnd, JobRecord, JobSink};
use gigafactory::workload::{JobKind, Outcome};
use parquet::arrow::ArrowWriter;

use crate::Error;

/// Rows per batch handed to the writing thread (and per Parquet page group).
const BATCH_ROWS: usize = 1 << 16;

/// The job table's Arrow schema. `site` and `start_s` are null for jobs that never
/// started.
pub fn jobs_schema() -> SchemaRef {
    let fields: Vec<Field> = JOB_COLUMNS
        .iter()
        .map(|c| {
            let ty = match c.ty {
                ColumnType::UInt64 => DataType::UInt64,
                ColumnType::Int64 => DataType::Int64,
                ColumnType::Int32 => DataType::Int32,
                ColumnType::Text => DataType::Utf8,
            };
            Field::new(c.name, ty, c.nullable)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// Column buffers; strings as indexes into name tables.
#[derive(Default)]
struct Batch {
    job_id: Vec<u64>,
    tenant: Vec<u32>,
    site: Vec<u32>,
    submit_s: Vec<i64>,
    start_s: Vec<i64>,
    end_s: Vec<i64>,
    gpus: Vec<i32>,
    wait_s: Vec<i64>,
    interruptions: Vec<i32>,
    preemptions: Vec<i32>,
    queued_s: Vec<i64>,
    outcome: Vec<JobEnd>,
    recorded: Vec<Outcome>,
    kind: Vec<Option<JobKind>>,
    // Snapshots of the name tables when the batch was sent.
    names: Vec<String>,
}

const NONE: u32 = u32::MAX;
const NO_TIME: i64 = i64::MIN;

impl Batch {
    fn with_capacity(n: usize) -> Self {
        Batch {
            job_id: Vec::with_capacity(n),
            tenant: Vec::with_capacity(n),
            site: Vec::with_capacity(n),
            submit_s: Vec::with_capacity(n),
            start_s: Vec::with_capacity(n),
            end_s: Vec::with_capacity(n),
            gpus: Vec::with_capacity(n),
            wait_s: Vec::with_capacity(n),
            interruptions: Vec::with_capacity(n),
            preemptions: Vec::with_capacity(n),
            queued_s: Vec::with_capacity(n),
            outcome: Vec::with_capacity(n),
            recorded: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            names: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.job_id.len()
    }

    fn into_record_batch(self, schema: &SchemaRef) -> Result<RecordBatch, Error> {
        let names = &self.names;
        let strings = |ix: &[u32]| -> ArrayRef {
            let mut b = StringBuilder::with_capacity(ix.len(), ix.len() * 8);
            for &i in ix {
                if i == NONE {
                    b.append_null();
                } else {
                    b.append_value(&names[i as usize]);
                }
            }
            Arc::new(b.finish())
        };
        let times = |v: Vec<i64>| -> ArrayRef {
            Arc::new(Int64Array::from_iter(
                v.into_iter().map(|t| (t != NO_TIME).then_some(t)),
            ))
        };
        let cols: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from(self.job_id)),
            strings(&self.tenant),
            strings(&self.site),
            Arc::new(Int64Array::from(self.submit_s)),
            times(self.start_s),
            Arc::new(Int64Array::from(self.end_s)),
            Arc::new(Int32Array::from(self.gpus)),
            Arc::new(Int64Array::from(self.wait_s)),
            Arc::new(Int32Array::from(self.interruptions)),
            Arc::new(Int32Array::from(self.preemptions)),
            Arc::new(Int64Array::from(self.queued_s)),
            Arc::new(StringArray::from_iter_values(
                self.outcome.iter().map(|o| o.as_str()),
            )),
            Arc::new(StringArray::from_iter_values(
                self.recorded.iter().map(|o| o.as_str()),
            )),
            Arc::new(StringArray::from_iter(
                self.kind.iter().map(|k| k.map(JobKind::as_str)),
            )),
        ];
        Ok(RecordBatch::try_new(schema.clone(), cols)?)
    }
}

/// A [`JobSink`] writing the job table to `W` from a background thread, as Parquet or
/// CSV. Call [`JobsWriter::finish`] to write the end (Parquet's footer) and get the writer
/// back; dropped unfinished, the file is incomplete (the caller's temporary file is then
/// removed).
pub struct JobsWriter<W: Send + 'static> {
    batch: Batch,
    names: Vec<String>,
    tx: Option<SyncSender<Batch>>,
    thread: Option<JoinHandle<Result<W, Error>>>,
}

fn write_csv<W: Write + Send>(out: W, rx: &Receiver<Batch>) -> Result<W, Error> {
    let mut log = CsvJobLog::new(std::io::BufWriter::with_capacity(1 << 20, out))?;
    for b in rx {
        let name = |i: u32| (i != NONE).then(|| b.names[i as usize].as_str());
        for k in 0..b.len() {
            log.record(&JobRecord {
                job_id: b.job_id[k],
                tenant: name(b.tenant[k]).unwrap_or(""),
                site: name(b.site[k]),
                submit_s: b.submit_s[k] as u64,
                start_s: (b.start_s[k] != NO_TIME).then_some(b.start_s[k] as u64),
                end_s: b.end_s[k] as u64,
                gpus: b.gpus[k] as u32,
                wait_s: b.wait_s[k] as u64,
                interruptions: b.interruptions[k] as u32,
                preemptions: b.preemptions[k] as u32,
                queued_s: b.queued_s[k] as u64,
                outcome: b.outcome[k],
                recorded_outcome: b.recorded[k],
                kind: b.kind[k],
            })?;
        }
    }
    log.into_inner()?
        .into_inner()
        .map_err(|e| Error::Io(e.into_error()))
}

fn write_parquet<W: Write + Send>(out: W, rx: &Receiver<Batch>) -> Result<W, Error> {
    let schema = jobs_schema();
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(crate::properties()))?;
    for b in rx {
        w.write(&b.into_record_batch(&schema)?)?;
    }
    Ok(w.into_inner()?)
}

/// Keep the batches in memory.
fn collect(mut out: Vec<RecordBatch>, rx: &Receiver<Batch>) -> Result<Vec<RecordBatch>, Error> {
    let schema = jobs_schema();
    for b in rx {
        out.push(b.into_record_batch(&schema)?);
    }
    Ok(out)
}

impl JobsWriter<Vec<RecordBatch>> {
    /// Keep the table in memory as Arrow batches of [`jobs_schema`] (what the Python
    /// package hands over), built on a second thread as the files are.
    ///
    /// # Errors
    /// The building thread could not be started.
    pub fn arrow() -> Result<Self, Error> {
        Self::start(Vec::new(), collect)
    }
}

impl<W: Write + Send + 'static> JobsWriter<W> {
    /// Start writing Parquet to `out`.
    ///
    /// # Errors
    /// The writing thread could not be started.
    pub fn parquet(out: W) -> Result<Self, Error> {
        Self::start(out, write_parquet)
    }

    /// Start writing CSV (the columns of [`gigafactory::run::JOB_COLUMNS`]) to `out`.
    ///
    /// # Errors
    /// The writing thread could not be started.
    pub fn csv(out: W) -> Result<Self, Error> {
        Self::start(out, write_csv)
    }
}

impl<W: Send + 'static> JobsWriter<W> {
    fn start(out: W, write: fn(W, &Receiver<Batch>) -> Result<W, Error>) -> Result<Self, Error> {
        let (tx, rx) = sync_channel::<Batch>(2);
        let thread = std::thread::Builder::new()
            .name("job table".into())
            .spawn(move || write(out, &rx))?;
        Ok(JobsWriter {
            batch: Batch::with_capacity(BATCH_ROWS),
            names: Vec::new(),
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    fn name(&mut self, s: &str) -> u32 {
        match self.names.iter().position(|n| n == s) {
            Some(i) => i as u32,
            None => {
                self.names.push(s.to_string());
                (self.names.len() - 1) as u32
            }
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        let mut b = std::mem::replace(&mut self.batch, Batch::with_capacity(BATCH_ROWS));
        b.names = self.names.clone();
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(b).is_ok());
        if sent {
            Ok(())
        } else {
            // The writing thread stopped: its error says why.
            Err(self.join().err().map_or_else(
                || std::io::Error::other("the table's writing thread stopped"),
                std::io::Error::from,
            ))
        }
    }

    fn join(&mut self) -> Result<W, Error> {
        self.tx = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(Error::Writer("panicked")),
            None => Err(Error::Writer("has already finished")),
        }
    }

    /// Write the last rows and the footer; the writer back.
    ///
    /// # Errors
    /// Writing failed.
    pub fn finish(mut self) -> Result<W, Error> {
        if self.batch.len() > 0 {
            self.send()?;
        }
        self.join()
    }
}

impl<W: Send + 'static> Drop for JobsWriter<W> {
    /// Dropped unfinished (a failed run): stop the writing thread and drop its writer
    /// (the CLI's temporary file removes itself then).
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.join();
        }
    }
}

impl<W: Send + 'static> JobSink for JobsWriter<W> {
    fn record(&mut self, r: &JobRecord<'_>) -> std::io::Result<()> {
        let tenant = self.name(r.tenant);
        let site = r.site.map_or(NONE, |s| self.name(s));
        let b = &mut self.batch;
        b.job_id.push(r.job_id);
        b.tenant.push(tenant);
        b.site.push(site);
        b.submit_s.push(r.submit_s as i64);
        b.start_s.push(r.start_s.map_or(NO_TIME, |s| s as i64));
        b.end_s.push(r.end_s as i64);
        b.gpus.push(r.gpus as i32);
        b.wait_s.push(r.wait_s as i64);
        b.interruptions.push(r.interruptions as i32);
        b.preemptions.push(r.preemptions as i32);
        b.queued_s.push(r.queued_s as i64);
        b.outcome.push(r.outcome);
        b.recorded.push(r.recorded_outcome);
        b.kind.push(r.kind);
        if b.len() >= BATCH_ROWS {
            self.send()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn record(i: u64) -> JobRecord<'static> {
        JobRecord {
            job_id: i,
            tenant: if i % 3 == 0 { "research" } else { "industry" },
            site: (i % 5 != 0).then_some("Kajaani"),
            submit_s: i * 10,
            start_s: (i % 5 != 0).then_some(i * 10 + 7),
            end_s: i * 10 + 100,
            gpus: (i % 64) as u32 + 1,
            wait_s: 7,
            interruptions: (i % 2) as u32,
            preemptions: (i % 3) as u32,
            queued_s: 7 + i % 4,
            outcome: if i % 5 == 0 {
                JobEnd::Withdrawn
            } else {
                JobEnd::Completed
            },
            recorded_outcome: Outcome::Completed,
            kind: (i % 4 == 0).then_some(JobKind::Eval),
        }
    }

    #[test]
    fn every_record_comes_back_from_the_parquet_file() {
        // More than two batches, so rows cross the thread several times.
        let n = 2 * BATCH_ROWS as u64 + 123;
        let mut sink = JobsWriter::parquet(Vec::new()).unwrap();
        for i in 0..n {
            sink.record(&record(i)).unwrap();
        }
        let bytes = bytes::Bytes::from(sink.finish().unwrap());
        let reader = ParquetRecordBatchReaderBuilder::try_new(bytes)
            .unwrap()
            .build()
            .unwrap();
        let mut i = 0u64;
        for batch in reader {
            let batch = batch.unwrap();
            assert_eq!(batch.schema(), jobs_schema());
            let col = |name: &str| batch.column_by_name(name).unwrap().clone();
            let ids = col("job_id");
            let ids = ids.as_any().downcast_ref::<UInt64Array>().unwrap();
            let tenant = col("tenant");
            let tenant = tenant.as_any().downcast_ref::<StringArray>().unwrap();
            let site = col("site");
            let site = site.as_any().downcast_ref::<StringArray>().unwrap();
            let start = col("start_s");
            let start = start.as_any().downcast_ref::<Int64Array>().unwrap();
            let gpus = col("gpus");
            let gpus = gpus.as_any().downcast_ref::<Int32Array>().unwrap();
            let kind = col("kind");
            let kind = kind.as_any().downcast_ref::<StringArray>().unwrap();
            for k in 0..batch.num_rows() {
                let r = record(i);
                assert_eq!(ids.value(k), r.job_id);
                assert_eq!(tenant.value(k), r.tenant);
                assert_eq!(site.is_null(k), r.site.is_none());
                assert_eq!(start.is_null(k), r.start_s.is_none());
                if let Some(s) = r.start_s {
                    assert_eq!(start.value(k), s as i64);
                }
                assert_eq!(gpus.value(k), r.gpus as i32);
                assert_eq!(kind.is_null(k), r.kind.is_none());
                if let Some(w) = r.kind {
                    assert_eq!(kind.value(k), w.as_str());
                }
                i += 1;
            }
        }
        assert_eq!(i, n);
    }

    #[test]
    fn the_csv_from_the_thread_is_the_csv_log() {
        let n = BATCH_ROWS as u64 + 7;
        let mut threaded = JobsWriter::csv(Vec::new()).unwrap();
        let mut direct = CsvJobLog::new(Vec::new()).unwrap();
        for i in 0..n {
            threaded.record(&record(i)).unwrap();
            direct.record(&record(i)).unwrap();
        }
        let a = String::from_utf8(threaded.finish().unwrap()).unwrap();
        let b = String::from_utf8(direct.into_inner().unwrap()).unwrap();
        assert_eq!(a.lines().count() as u64, n + 1);
        assert_eq!(a, b);
    }
}
