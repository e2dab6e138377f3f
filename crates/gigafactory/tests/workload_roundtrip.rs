//! Property: a workload written to native CSV and read back is the same workload.

use gigafactory::workload::native::NativeWriter;
use gigafactory::workload::{
    Format, Job, JobKind, Outcome, ReadOptions, TenantId, Tenants, TraceReader,
};
use proptest::prelude::*;

fn job() -> impl Strategy<Value = (u64, usize, i64, f64, u64, u8, Option<u8>, Option<u64>, u32)> {
    (
        any::<u64>(),
        0usize..4,
        -1_000_000_000i64..4_000_000_000,
        prop_oneof![
            (1u32..4096).prop_map(f64::from),
            (1u32..1000).prop_map(|m| f64::from(m) / 1000.0)
        ],
        0u64..10_000_000,
        0u8..3,
        proptest::option::of(0u8..6),
        proptest::option::of(0u64..10_000_000),
        0u32..5,
    )
}

const NAMES: [&str; 4] = [
    "academia",
    "start-ups, SMEs",
    "industry \"A\"",
    "frontier_lab",
];
const KINDS: [JobKind; 6] = [
    JobKind::Eval,
    JobKind::Pretrain,
    JobKind::Sft,
    JobKind::Mllm,
    JobKind::Debug,
    JobKind::Other,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn native_csv_round_trips(mut raw in proptest::collection::vec(job(), 0..200)) {
        raw.sort_by_key(|r| r.2);
        let mut tenants = Tenants::default();
        let ids: Vec<TenantId> = NAMES.iter().map(|n| tenants.intern(n)).collect();
        let jobs: Vec<Job> = raw
            .into_iter()
            .map(|(id, t, submit_s, gpus, duration_s, o, k, w, retries)| Job {
                id,
                tenant: ids[t],
                submit_s,
                gpus,
                duration_s,
                outcome: Outcome::ALL[o as usize],
                kind: k.map(|k| KINDS[k as usize]),
                wall_time_s: w,
                retries,
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jobs.csv");
        let mut w = NativeWriter::new(std::fs::File::create(&path).unwrap()).unwrap();
        for j in &jobs {
            w.write(j, &tenants).unwrap();
        }
        w.finish().unwrap();
        let mut r = TraceReader::open(&path, Some(Format::Native), &ReadOptions::default()).unwrap();
        let back: Vec<Job> = r.by_ref().map(|j| j.unwrap()).collect();
        prop_assert_eq!(back.len(), jobs.len());
        for (a, b) in jobs.iter().zip(&back) {
            prop_assert_eq!(tenants.name(a.tenant), r.tenants().name(b.tenant));
            let mut b = b.clone();
            b.tenant = a.tenant;
            prop_assert_eq!(a, &b);
        }
    }
}
