//! The hourly time series, aggregated as the simulation goes: per site, GPUs online and
//! allocated, power, energy, cost and CO2; per tenant, the facility's queue.

use crate::engine::Time;
use crate::model::power;
use crate::workload::Windows;

/// Seconds in one step of the series.
pub const STEP_S: Time = 3600;

/// A row per site per hour, column by column. Values are means over the hour (or the part
/// of it simulated, for the last) except `energy_mwh`, `electricity_cost_eur` and `co2_t`,
/// which are the hour's totals. Under time sampling only hours with measured time are
/// kept; under a 1-in-k sample every value is scaled back to the whole facility.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeSeries {
    /// The simulation's start, s since the Unix epoch (UTC midnight of the start date).
    pub start_unix_s: i64,
    /// Site names; `site` indexes them.
    pub sites: Vec<String>,
    /// Tenant names; `queued_jobs` and `queued_gpus` are in this order.
    pub tenants: Vec<String>,
    /// Hours since the start.
    pub hour: Vec<u32>,
    /// Index into `sites`.
    pub site: Vec<u32>,
    /// Accelerators in service (in a started build phase and not under repair).
    pub gpus_online: Vec<f64>,
    /// Accelerators allocated to jobs and services' replicas.
    pub gpus_allocated: Vec<f64>,
    /// Of those, accelerators held by inference services' replicas.
    pub gpus_serving: Vec<f64>,
    /// IT power, MW.
    pub it_power_mw: Vec<f64>,
    /// Facility power (IT × PUE), MW.
    pub facility_power_mw: Vec<f64>,
    /// Facility energy in the hour, MWh.
    pub energy_mwh: Vec<f64>,
    /// Electricity cost in the hour, EUR.
    pub electricity_cost_eur: Vec<f64>,
    /// Emissions in the hour, t CO2e.
    pub co2_t: Vec<f64>,
    /// Per tenant, per row: jobs waiting in the facility's queue (they wait for any site,
    /// so the value is the same in every site's row of an hour: do not sum over sites).
    pub queued_jobs: Vec<Vec<f64>>,
    /// Per tenant, per row: GPUs those waiting jobs ask for.
    pub queued_gpus: Vec<Vec<f64>>,
}

impl TimeSeries {
    /// Rows.
    pub fn len(&self) -> usize {
        self.hour.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.hour.is_empty()
    }

    /// Multiply every extensive value by `weight` (a 1-in-k sample scaled to the whole).
    pub fn scale(&mut self, weight: f64) {
        let cols = [
            &mut self.gpus_online,
            &mut self.gpus_allocated,
            &mut self.gpus_serving,
            &mut self.it_power_mw,
            &mut self.facility_power_mw,
            &mut self.energy_mwh,
            &mut self.electricity_cost_eur,
            &mut self.co2_t,
        ];
        for c in cols
            .into_iter()
            .chain(self.queued_jobs.iter_mut())
            .chain(self.queued_gpus.iter_mut())
        {
            for x in c.iter_mut() {
                *x *= weight;
            }
        }
    }
}

/// A site's constants: (PUE, EUR per kWh, g CO2 per kWh).
pub(crate) type SiteParams = (f64, f64, f64);

/// Integrals over the current hour, flushed into rows when it ends.
pub(crate) struct SeriesAcc {
    out: TimeSeries,
    params: Vec<SiteParams>,
    hour: u64,
    covered_s: f64,
    up: Vec<f64>,
    alloc: Vec<f64>,
    serving: Vec<f64>,
    it_ws: Vec<f64>,
    q_jobs: Vec<f64>,
    q_gpus: Vec<f64>,
    windows: Option<Windows>,
}

impl SeriesAcc {
    pub(super) fn new(start_unix_s: i64, sites: Vec<String>, params: Vec<SiteParams>) -> Self {
        let n = sites.len();
        SeriesAcc {
            out: TimeSeries {
                start_unix_s,
                sites,
                ..TimeSeries::default()
            },
            params,
            hour: 0,
            covered_s: 0.0,
            up: vec![0.0; n],
            alloc: vec![0.0; n],
            serving: vec![0.0; n],
            it_ws: vec![0.0; n],
            q_jobs: Vec::new(),
            q_gpus: Vec::new(),
            windows: None,
        }
    }

    pub(super) fn set_windows(&mut self, w: Windows) {
        self.windows = Some(w);
    }

    /// Add the piece of time [`from`, `to`) in which each site had `up` GPUs in service,
    /// `alloc` allocated (`serving` of them by services) and drew `it_w` watts, and each
    /// tenant had `queue` (jobs, GPUs) waiting.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add(
        &mut self,
        from: Time,
        to: Time,
        up: &[f64],
        alloc: &[f64],
        it_w: &[f64],
        serving: &[f64],
        queue: impl Iterator<Item = (u64, u64)> + Clone,
    ) {
        let mut a = from;
        while a < to {
            let hour = a / STEP_S;
            if hour != self.hour {
                self.flush();
                self.hour = hour;
            }
            let b = to.min((hour + 1) * STEP_S);
            let dt = (b - a) as f64;
            self.covered_s += dt;
            for s in 0..self.up.len() {
                self.up[s] += up[s] * dt;
                self.alloc[s] += alloc[s] * dt;
                self.serving[s] += serving[s] * dt;
                self.it_ws[s] += it_w[s] * dt;
            }
            for (t, (jobs, gpus)) in queue.clone().enumerate() {
                if t >= self.q_jobs.len() {
                    self.q_jobs.resize(t + 1, 0.0);
                    self.q_gpus.resize(t + 1, 0.0);
                }
                self.q_jobs[t] += jobs as f64 * dt;
                self.q_gpus[t] += gpus as f64 * dt;
            }
            a = b;
        }
    }

    /// Close the current hour: a row per site, if it holds simulated (and, under time
    /// sampling, measured) time.
    fn flush(&mut self) {
        let covered = self.covered_s;
        let start = (self.hour * STEP_S) as f64;
        let keep = covered > 0.0
            && self
                .windows
                .is_none_or(|w| w.measured_within(start, start + STEP_S as f64) > 0.0);
        if keep {
            let o = &mut self.out;
            let tenants = self.q_jobs.len().max(o.queued_jobs.len());
            let rows = o.hour.len();
            while o.queued_jobs.len() < tenants {
                o.queued_jobs.push(vec![0.0; rows]);
                o.queued_gpus.push(vec![0.0; rows]);
            }
            for s in 0..self.up.len() {
                let (pue, price, carbon) = self.params[s];
                let it_mw = self.it_ws[s] / covered / 1e6;
                let facility_mw = power::facility_mw(it_mw, pue);
                let mwh = facility_mw * covered / 3600.0;
                o.hour.push(self.hour as u32);
                o.site.push(s as u32);
                o.gpus_online.push(self.up[s] / covered);
                o.gpus_allocated.push(self.alloc[s] / covered);
                o.gpus_serving.push(self.serving[s] / covered);
                o.it_power_mw.push(it_mw);
                o.facility_power_mw.push(facility_mw);
                o.energy_mwh.push(mwh);
                o.electricity_cost_eur
                    .push(power::energy_cost_eur(mwh, price));
                o.co2_t.push(power::co2_t(mwh, carbon));
                for t in 0..tenants {
                    o.queued_jobs[t].push(self.q_jobs.get(t).map_or(0.0, |x| x / covered));
                    o.queued_gpus[t].push(self.q_gpus.get(t).map_or(0.0, |x| x / covered));
                }
            }
        }
        self.covered_s = 0.0;
        for v in [
            &mut self.up,
            &mut self.alloc,
            &mut self.serving,
            &mut self.it_ws,
        ] {
            v.iter_mut().for_each(|x| *x = 0.0);
        }
        for v in [&mut self.q_jobs, &mut self.q_gpus] {
            v.iter_mut().for_each(|x| *x = 0.0);
        }
    }

    /// The series, with the last (maybe partial) hour closed and tenants named.
    pub(super) fn finish(mut self, names: &dyn Fn(u32) -> String) -> TimeSeries {
        self.flush();
        let n = self.out.queued_jobs.len();
        self.out.tenants = (0..n as u32).map(names).collect();
        self.out
    }
}
