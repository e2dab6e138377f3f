//! Each reader on fixture files in its exact format (`tests/fixtures/`), with expected
//! values worked out by hand; each error case by its exact message and line.

use std::path::{Path, PathBuf};

use crate::workload::{
    Format, Job, JobKind, Outcome, ReadOptions, SkipCounts, TraceReader, guess_format,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

struct Read {
    jobs: Vec<Job>,
    tenants: Vec<String>,
    skipped: SkipCounts,
}

fn read_with(name: &str, format: Format, options: &ReadOptions) -> Read {
    let mut r = TraceReader::open(&fixture(name), Some(format), options).unwrap();
    let jobs: Vec<Job> = r.by_ref().map(|j| j.unwrap()).collect();
    let tenants = jobs
        .iter()
        .map(|j| r.tenants().name(j.tenant).to_string())
        .collect();
    Read {
        jobs,
        tenants,
        skipped: r.skipped(),
    }
}

fn read(name: &str, format: Format) -> Read {
    read_with(name, format, &ReadOptions::default())
}

/// The first error reading `name`: its line and message.
fn error(name: &str, format: Format, options: &ReadOptions) -> (Option<u64>, String) {
    let r = TraceReader::open(&fixture(name), Some(format), options);
    let e = match r {
        Err(e) => e,
        Ok(mut r) => r.find_map(|j| j.err()).expect("an error"),
    };
    assert!(e.file.ends_with(name), "{}", e.file);
    (e.line, e.message)
}

fn ordered(jobs: &[Job]) -> bool {
    jobs.windows(2).all(|w| w[0].submit_s <= w[1].submit_s)
}

#[test]
fn helios() {
    let r = read("helios_cluster_log.csv", Format::Helios);
    // 30 rows, one a CPU job.
    assert_eq!(r.jobs.len(), 29);
    assert_eq!(r.skipped.zero_gpu, 1);
    assert!(ordered(&r.jobs));
    let j = &r.jobs[0];
    // 2020-04-01 08:00:00 in China (UTC+8) = 2020-04-01 00:00:00 UTC = 1,585,699,200.
    assert_eq!(
        (j.id, j.submit_s, j.gpus, j.duration_s),
        (1001, 1_585_699_200, 8.0, 3600)
    );
    assert_eq!(
        (j.outcome, r.tenants[0].as_str()),
        (Outcome::Completed, "vcA")
    );
    // Cancelled before it started: no start time, 0 s.
    let c = &r.jobs[1];
    assert_eq!(
        (c.id, c.duration_s, c.outcome, c.gpus),
        (1003, 0, Outcome::Cancelled, 16.0)
    );
    // TIMEOUT is a failure; no duration column value, so end - start = 2 h.
    let t = &r.jobs[2];
    assert_eq!(
        (t.id, t.duration_s, t.outcome),
        (1004, 7200, Outcome::Failed)
    );
    // NODE_FAIL, and no vc: the user is the tenant.
    assert_eq!(
        (r.jobs[3].outcome, r.tenants[3].as_str()),
        (Outcome::Failed, "u05")
    );
}

#[test]
fn helios_in_another_zone() {
    let o = ReadOptions {
        utc_offset_hours: Some(0.0),
        ..ReadOptions::default()
    };
    let r = read_with("helios_cluster_log.csv", Format::Helios, &o);
    assert_eq!(r.jobs[0].submit_s, 1_585_699_200 + 8 * 3600);
}

#[test]
fn helios_errors() {
    let o = ReadOptions::default();
    assert_eq!(
        error("helios_bad_state.csv", Format::Helios, &o),
        (
            Some(4),
            "column `state`: expected COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL or OUT_OF_MEMORY, found \"RUNNING\""
                .into()
        )
    );
    assert_eq!(
        error("helios_bad_time.csv", Format::Helios, &o),
        (
            Some(2),
            "column `submit_time`: expected a time YYYY-MM-DD HH:MM:SS, found \"01/04/2020 08:00\""
                .into()
        )
    );
    assert_eq!(
        error("helios_bad_width.csv", Format::Helios, &o),
        (Some(3), "expected 12 fields, found 4".into())
    );
    assert_eq!(
        error("helios_missing_column.csv", Format::Helios, &o),
        (
            Some(1),
            "missing column `gpu_num` (the header has: job_id, user, vc, cpu_num, node_num, state, submit_time, \
             start_time, end_time, duration, queue)"
                .into()
        )
    );
}

#[test]
fn lenient_reading_skips_and_counts_bad_rows() {
    let o = ReadOptions {
        lenient: true,
        ..ReadOptions::default()
    };
    let r = read_with("helios_bad_state.csv", Format::Helios, &o);
    assert_eq!(r.jobs.len(), 2);
    assert_eq!(r.skipped.malformed, 1);
}

#[test]
fn out_of_order_rows_are_reordered_within_the_window_and_refused_beyond_it() {
    // Rows at 08:05, 08:06, 08:00: a window of 3 puts 08:00 first.
    let o = ReadOptions {
        reorder_window: 3,
        ..ReadOptions::default()
    };
    let r = read_with("helios_unsorted.csv", Format::Helios, &o);
    assert_eq!(
        r.jobs.iter().map(|j| j.id).collect::<Vec<_>>(),
        [1001, 1006, 1007]
    );
    // A window of 1 has passed 08:05 on before 08:00 arrives.
    let o = ReadOptions {
        reorder_window: 1,
        ..ReadOptions::default()
    };
    assert_eq!(
        error("helios_unsorted.csv", Format::Helios, &o),
        (
            Some(4),
            "submit time 1585699200 is earlier than 1585699500, already passed on: the file is not in submit \
             order (more than 1 records out of place)"
                .into()
        )
    );
}

#[test]
fn gzip_is_read_transparently() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("cluster_log.csv.gz");
    let mut e = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    e.write_all(&std::fs::read(fixture("helios_cluster_log.csv")).unwrap())
        .unwrap();
    e.finish().unwrap();
    let plain = read("helios_cluster_log.csv", Format::Helios).jobs;
    let zipped: Vec<Job> = TraceReader::open(&gz, None, &ReadOptions::default())
        .unwrap()
        .map(|j| j.unwrap())
        .collect();
    assert_eq!(plain, zipped);
}

#[test]
fn acme_seren_and_kalos() {
    let r = read("acme_seren.csv", Format::Acme);
    assert_eq!((r.jobs.len(), r.skipped.zero_gpu), (25, 1));
    let j = &r.jobs[0];
    // 09:30 at +08:00 = 01:30 UTC on 2023-07-01 = 1,688,175,000.
    assert_eq!(
        (j.submit_s, j.gpus, j.duration_s, j.kind),
        (1_688_175_000, 8.0, 3600, Some(JobKind::Pretrain))
    );
    assert_eq!(
        (r.jobs[1].duration_s, r.jobs[1].outcome),
        (0, Outcome::Cancelled)
    );
    // No duration value: from the times, 10 minutes.
    assert_eq!(
        (r.jobs[2].gpus, r.jobs[2].duration_s, r.jobs[2].kind),
        (1024.0, 600, Some(JobKind::Sft))
    );
    let k = read("acme_kalos.csv", Format::Acme);
    assert_eq!(k.jobs.len(), 3);
    // Kalos writes UTC: 2023-09-01T00:00:00+00:00 = 1,693,526,400.
    assert_eq!(
        (k.jobs[0].submit_s, k.jobs[0].duration_s),
        (1_693_526_400, 7200)
    );
    assert_eq!(
        (k.jobs[2].outcome, k.jobs[2].duration_s),
        (Outcome::Cancelled, 0)
    );
    assert_eq!(
        error("acme_seren_bad_zone.csv", Format::Acme, &ReadOptions::default()),
        (
            Some(2),
            "column `submit_time`: expected an ISO 8601 time with its zone, like 2023-07-01T09:30:00+08:00, found \
             \"2023-07-01T09:30:00\""
                .into()
        )
    );
}

#[test]
fn philly() {
    let r = read("philly_cluster_job_log", Format::Philly);
    assert_eq!(r.jobs.len(), 23);
    assert_eq!(r.skipped.no_gpu_record, 1);
    let j = &r.jobs[0];
    // 2017-10-03 14:00:00, read as UTC = 1,507,039,200.
    assert_eq!(
        (j.submit_s, j.gpus, j.duration_s, j.retries),
        (1_507_039_200, 2.0, 3600, 0)
    );
    assert_eq!(r.tenants[0], "vc1");
    // Two attempts on 4 + 4 GPUs: 8 GPUs, one retry, first start 14:02 to last end 16:02.
    let k = &r.jobs[1];
    assert_eq!(
        (k.gpus, k.retries, k.duration_s, k.outcome),
        (8.0, 1, 7200, Outcome::Cancelled)
    );
    // An attempt that never recorded its end: 0 s.
    assert_eq!(
        (r.jobs[2].duration_s, r.jobs[2].outcome),
        (0, Outcome::Failed)
    );
    assert_eq!(
        error("philly_bad_status", Format::Philly, &ReadOptions::default()),
        (
            Some(3),
            "job application_1506638472019_0002: `status`: expected Pass, Killed or Failed, found \"Running\"".into()
        )
    );
}

#[test]
fn pai2020_joins_its_task_table() {
    let r = read("pai/pai_job_table.csv", Format::Pai2020);
    assert_eq!(r.jobs.len(), 23);
    assert_eq!(
        (
            r.skipped.unfinished,
            r.skipped.no_gpu_record,
            r.skipped.zero_gpu
        ),
        (1, 1, 1)
    );
    // jA: 4 workers at 100% of a GPU and a parameter server with none; tasks from 1,090 to
    // 5,000; submitted at 1,000.
    let a = &r.jobs[0];
    assert_eq!(
        (a.submit_s, a.gpus, a.duration_s, a.outcome),
        (1000, 4.0, 3910, Outcome::Completed)
    );
    assert_eq!(r.tenants[0], "userA");
    // jB: half a GPU.
    assert_eq!((r.jobs[1].gpus, r.jobs[1].duration_s), (0.5, 800));
    // jF: interrupted.
    assert_eq!(
        (r.jobs[2].gpus, r.jobs[2].outcome),
        (8.0, Outcome::Cancelled)
    );
}

#[test]
fn pai2020_errors_name_the_table_and_line() {
    // The task table is read first: its bad row stops the read before any job.
    let e = TraceReader::open(
        &fixture("pai_bad/pai_job_table.csv"),
        Some(Format::Pai2020),
        &ReadOptions::default(),
    )
    .err()
    .expect("the task table is malformed");
    assert!(e.file.ends_with("pai_bad/pai_task_table.csv"), "{}", e.file);
    assert_eq!(
        (e.line, e.message),
        (
            Some(2),
            "column `plan_gpu`: expected a number of at least 0, found \"half\"".to_string()
        )
    );
    // With a good task table, the job table's bad status is the error.
    let o = ReadOptions {
        pai_task_table: Some(fixture("pai/pai_task_table.csv")),
        ..ReadOptions::default()
    };
    assert_eq!(
        error("pai_bad/pai_job_table.csv", Format::Pai2020, &o),
        (
            Some(2),
            "column `status`: expected Terminated, Failed, Interrupted, Running or Waiting, found \"Done\"".into()
        )
    );
}

#[test]
fn openb() {
    let r = read("openb_pod_list_default.csv", Format::Openb);
    assert_eq!((r.jobs.len(), r.skipped.zero_gpu), (24, 1));
    let p = &r.jobs[0];
    assert_eq!(
        (p.submit_s, p.gpus, p.duration_s, p.outcome),
        (0, 8.0, 3590, Outcome::Completed)
    );
    assert_eq!(r.tenants[0], "LS");
    // A shared GPU: gpu_milli 500 of one GPU.
    assert_eq!((r.jobs[1].gpus, r.jobs[1].duration_s), (0.5, 1195));
    // Pending: never scheduled.
    assert_eq!(
        (r.jobs[2].gpus, r.jobs[2].duration_s, r.jobs[2].outcome),
        (2.0, 0, Outcome::Cancelled)
    );
    assert_eq!((r.jobs[3].gpus, r.jobs[3].outcome), (0.25, Outcome::Failed));
    assert_eq!(
        error(
            "openb_bad_phase.csv",
            Format::Openb,
            &ReadOptions::default()
        ),
        (
            Some(3),
            "column `pod_phase`: expected Succeeded, Running, Failed or Pending, found \"Evicted\""
                .into()
        )
    );
}

#[test]
fn tiresias() {
    let r = read("tiresias.csv", Format::Tiresias);
    assert_eq!((r.jobs.len(), r.skipped.zero_gpu), (22, 1));
    assert_eq!(
        (r.jobs[0].gpus, r.jobs[0].duration_s, r.jobs[0].submit_s),
        (8.0, 3600, 0)
    );
    assert_eq!(
        error(
            "tiresias_bad_gpu.csv",
            Format::Tiresias,
            &ReadOptions::default()
        ),
        (
            Some(3),
            "column `num_gpu`: expected a number of at least 0, found \"eight\"".into()
        )
    );
}

#[test]
fn swf() {
    let r = read("trace.swf", Format::Swf);
    assert_eq!((r.jobs.len(), r.skipped.zero_gpu), (23, 1));
    // UnixStartTime 1,577,836,800 (2020-01-01 UTC) + 0 s.
    let j = &r.jobs[0];
    assert_eq!(
        (j.submit_s, j.gpus, j.duration_s, j.wall_time_s),
        (1_577_836_800, 8.0, 3600, Some(7200))
    );
    assert_eq!(r.tenants[0], "user-3");
    // Unknown allocation: the request (4); unknown run time: 0; status 5: cancelled.
    assert_eq!(
        (r.jobs[1].gpus, r.jobs[1].duration_s, r.jobs[1].outcome),
        (4.0, 0, Outcome::Cancelled)
    );
    // Status 0: failed; unknown user.
    assert_eq!(
        (
            r.jobs[2].outcome,
            r.tenants[2].as_str(),
            r.jobs[2].wall_time_s
        ),
        (Outcome::Failed, "user-unknown", None)
    );
    assert_eq!(
        error("bad_fields.swf", Format::Swf, &ReadOptions::default()),
        (Some(7), "expected 18 fields, found 10".into())
    );
}

#[test]
fn native() {
    let r = read("native.csv", Format::Native);
    assert_eq!((r.jobs.len(), r.skipped.zero_gpu), (23, 1));
    assert_eq!(r.tenants[1], "start-ups, SMEs");
    let j = &r.jobs[1];
    assert_eq!(
        (j.gpus, j.kind, j.wall_time_s, j.outcome),
        (0.5, Some(JobKind::Eval), Some(120), Outcome::Cancelled)
    );
    assert_eq!((r.jobs[2].gpus, r.jobs[2].retries), (1024.0, 2));
    let m = read("native_minimal.csv", Format::Native);
    assert_eq!(m.jobs.len(), 2);
    assert_eq!(m.jobs[1].outcome, Outcome::Completed);
    assert_eq!(
        error(
            "native_bad_outcome.csv",
            Format::Native,
            &ReadOptions::default()
        ),
        (
            Some(3),
            "column `outcome`: expected completed, cancelled or failed, found \"done\"".into()
        )
    );
}

#[test]
fn formats_are_guessed_from_the_file() {
    for (name, f) in [
        ("helios_cluster_log.csv", Format::Helios),
        ("acme_seren.csv", Format::Acme),
        ("acme_kalos.csv", Format::Acme),
        ("philly_cluster_job_log", Format::Philly),
        ("pai/pai_job_table.csv", Format::Pai2020),
        ("openb_pod_list_default.csv", Format::Openb),
        ("tiresias.csv", Format::Tiresias),
        ("trace.swf", Format::Swf),
        ("native.csv", Format::Native),
    ] {
        assert_eq!(guess_format(&fixture(name)).unwrap(), f, "{name}");
    }
}

#[test]
fn swf_times_too_large_are_errors_not_an_overflow() {
    // Found by fuzzing the SWF reader (issue 12): a submit time near i64::MAX after a
    // UnixStartTime overflowed when added to it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.swf");
    std::fs::write(
        &path,
        "; UnixStartTime: 1577836800\n\
         1 9223372036854775000 0 600 4 -1 -1 4 7200 -1 1 0 1 -1 1 -1 -1 -1\n\
         2 -5 0 600 4 -1 -1 4 7200 -1 1 0 1 -1 1 -1 -1 -1\n",
    )
    .unwrap();
    let errors: Vec<(Option<u64>, String)> = TraceReader::open(
        &path,
        Some(Format::Swf),
        &ReadOptions {
            lenient: false,
            ..ReadOptions::default()
        },
    )
    .unwrap()
    .filter_map(|j| j.err().map(|e| (e.line, e.message)))
    .take(1)
    .collect();
    assert_eq!(
        errors,
        [(
            Some(2),
            "field 2 (submit time): expected seconds after UnixStartTime that end before \
             year 10000, found 9223372036854775000"
                .to_string()
        )]
    );
}

#[test]
fn a_job_id_seen_twice_is_an_error_or_skipped_when_lenient() {
    // Issue 12, defect 15: duplicate job ids were accepted silently, so the job table held
    // two jobs under one id.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.csv");
    std::fs::write(
        &path,
        "id,tenant,submit_s,gpus,duration_s\n1,a,0,8,60\n2,a,10,8,60\n1,a,20,8,60\n\
         3,a,30,8,60\n",
    )
    .unwrap();
    let strict: Vec<Result<Job, crate::workload::ReadError>> =
        TraceReader::open(&path, Some(Format::Native), &ReadOptions::default())
            .unwrap()
            .collect();
    let e = strict
        .iter()
        .find_map(|r| r.as_ref().err())
        .expect("an error");
    assert_eq!(
        (e.line, e.message.as_str()),
        (Some(4), "job id 1 appears a second time")
    );
    let mut lenient = TraceReader::open(
        &path,
        Some(Format::Native),
        &ReadOptions {
            lenient: true,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let ids: Vec<u64> = lenient.by_ref().map(|j| j.unwrap().id).collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(lenient.skipped().malformed, 1);
}
