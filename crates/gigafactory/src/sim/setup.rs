//! Setting up a simulation: the cluster from the facility's build phases, their
//! lifetimes, failures and spares, the policy, the accounting and the horizon's years.

use super::*;
use crate::units::NODE_GPUS;
use crate::workload::generate::purpose;

/// The spans of `[0, end)` in which no partition is in service, as dates from `start`.
fn idle_spans(
    lifetimes: &[Lifetime],
    end: Time,
    start: &crate::units::Date,
) -> Vec<(crate::units::Date, crate::units::Date)> {
    let mut spans: Vec<(Time, Time)> = lifetimes
        .iter()
        .map(|l| (l.online, l.retire.min(end)))
        .filter(|(a, b)| a < b)
        .collect();
    spans.sort_unstable();
    let mut idle = Vec::new();
    let mut covered = 0;
    for (a, b) in spans {
        if a > covered {
            idle.push((covered, a));
        }
        covered = covered.max(b);
    }
    if covered < end {
        idle.push((covered, end));
    }
    let date = |t: Time| start.add_days((t / DAY_S as Time) as i64);
    idle.into_iter()
        .filter(|(a, b)| b - a >= DAY_S as Time)
        .map(|(a, b)| (date(a), date(b)))
        .collect()
}

impl<'a> Sim<'a> {
    pub(super) fn new(
        c: &SimConfig,
        f: &Facility,
        end: Time,
        log: Option<&'a mut dyn JobSink>,
    ) -> Sim<'a> {
        let mut cluster = Cluster::new();
        let mut q = EventQueue::new();
        let (lifetimes, phases) = partitions(c, f, &mut cluster, &mut q);
        let policy: Box<dyn Policy> = policies::make(&c.policy);
        let track_usage = policy.needs_usage();
        let idle = idle_spans(&lifetimes, end, &f.start);
        let ckpt = c.failures;
        if !c.services.is_empty() {
            q.schedule(0, Ev::Scale);
        }
        Sim {
            log,
            tenant_names: c.tenants.iter().map(|t| t.name.clone()).collect(),
            named: vec![true; c.tenants.len()],
            o: {
                let mut o = accounts::Accumulator::new(f, &cluster, c.year_ends.clone(), &phases);
                o.set_services(c.services.iter().map(|x| x.tenant));
                o
            },
            q,
            cluster,
            policy,
            running: Running::default(),
            tenants: tenant_views(c, f),
            patience_s: c.tenants.iter().map(|t| t.patience_s).collect(),
            active: KeyMap::default(),
            arrived: Vec::new(),
            track_usage,
            next_key: 0,
            end,
            lifetimes,
            generated: c.generated,
            walltime_factor: c.policy.walltime_factor,
            cross_site_efficiency: c.cross_site_efficiency.unwrap_or(1.0),
            max_rate: f
                .builds
                .iter()
                .map(|b| b.relative_throughput)
                .fold(0.0, f64::max)
                .max(1e-9),
            ckpt,
            failures_on: c.failures_on,
            fail_rng: Stream::new(c.seed, purpose::FACILITY, purpose::FAILURES),
            outrun_gpus: ckpt.gpu_s_per_interruption
                / (ckpt.restart_delay_s as f64 + ckpt.checkpoint_write_s).max(1.0),
            cannot_outrun: 0,
            max_waiting: MAX_WAITING,
            refused_full: 0,
            idle_spans: idle,
            halflife_s: c.policy.halflife_s,
            last: 0,
            windows: None,
            next_wake: None,
            services: c
                .services
                .iter()
                .map(|x| serve::Service::new(x, f.sample_weight))
                .collect(),
            serving: c.serving.clone(),
            replica_of: KeyMap::default(),
            served_to: 0,
        }
    }
}

/// The partitions of the facility's build phases, added to `cluster` with their spare
/// nodes, and their coming online and retiring scheduled on `q`: each partition's
/// lifetime, and each phase's (online, retire, paid) times.
fn partitions(
    c: &SimConfig,
    f: &Facility,
    cluster: &mut Cluster,
    q: &mut EventQueue<Ev>,
) -> (Vec<Lifetime>, Vec<(Time, Time, Time)>) {
    let mut phases = Vec::with_capacity(f.builds.len());
    let mut lifetimes = Vec::with_capacity(f.builds.len());
    let (spare_fraction, pod_nodes) = (c.spare_fraction, c.pod_nodes);
    cluster.span_allowed = c.cross_site_efficiency.is_some();
    let mut families: Vec<&str> = Vec::new();
    for (i, b) in f.builds.iter().enumerate() {
        let whole_nodes = b.count / NODE_GPUS;
        let spares = (f64::from(whole_nodes) * spare_fraction).round() as u32;
        let p = cluster.add_partition(b.site, i, b.count, b.relative_throughput, pod_nodes, spares);
        let family = families
            .iter()
            .position(|a| *a == b.family)
            .unwrap_or_else(|| {
                families.push(&b.family);
                families.len() - 1
            }) as u32;
        cluster.set_family(p, family);
        let online = (b.online.days_since(&f.start).max(0) as f64 * DAY_S) as Time;
        let retire = (b.retires_on().days_since(&f.start).max(0) as f64 * DAY_S) as Time;
        q.schedule(online, Ev::Online { partition: p });
        q.schedule(retire, Ev::Retire { partition: p });
        debug_assert_eq!(p, lifetimes.len(), "partitions are numbered in order");
        lifetimes.push(Lifetime {
            online,
            retire,
            // Jobs larger than a node take whole nodes, never the spares.
            max_job_gpus: b.largest_job_gpus(spare_fraction),
            family,
            site: b.site,
        });
        // Capex is spent when the phase is ordered, where it was given as an order.
        let paid = b.ordered.map_or(online, |o| {
            (o.days_since(&f.start).max(0) as f64 * DAY_S) as Time
        });
        phases.push((online, retire, paid));
    }
    (lifetimes, phases)
}

/// The tenants' shares and quotas (a quota defaults to the share of the peak capacity).
fn tenant_views(c: &SimConfig, f: &Facility) -> Vec<TenantView> {
    let capacity = f.peak_gpus().0;
    if c.tenants.is_empty() {
        Vec::new()
    } else {
        c.tenants
            .iter()
            .map(|t| TenantView {
                share: t.share,
                quota_gpus: t
                    .quota_gpus
                    .map_or((t.share * capacity).round() as u64, u64::from),
                sites: t.residency.mask(&f.sites),
                ..TenantView::default()
            })
            .collect()
    }
}
