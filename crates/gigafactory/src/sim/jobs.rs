//! A job's life on the facility: started by the policy's decisions, stopped when it
//! completes, fails, is preempted or withdrawn, and logged as it ends.

use super::*;

impl Sim<'_> {
    /// Stop a running job and account for its run.
    pub(super) fn stop(&mut self, key: JobKey, now: Time, how: Stop) {
        let a = self.active.get_mut(&key).expect("active");
        let run = a.run.take().expect("running");
        let t = a.job.tenant.0 as usize;
        let elapsed = (now - run.start) as f64;
        let gpu_s = f64::from(a.gpus) * elapsed;
        a.attained_gpu_s += gpu_s;
        let measured = a.measured;
        if run.across && measured {
            self.o.cross_site_gpu_s += gpu_s;
        }
        let gpus_held = f64::from(run.alloc.gpus());
        if how == Stop::Done {
            a.remaining_ref_s = 0.0;
            if measured {
                self.o.checkpoint_overhead(gpus_held * run.overhead_s);
            }
        } else {
            // Back to waiting (for a restart, or the policy's next pass).
            a.queued_since = now;
            if how == Stop::Checkpointed {
                a.preemptions += 1;
            }
            self.tenants[t].queued_jobs += 1;
            self.tenants[t].queued_gpus += u64::from(a.gpus);
            // Work survives up to the last checkpoint; the rest is lost.
            let cycle = run.interval_s + self.ckpt.checkpoint_write_s;
            let periodic = if cycle > 0.0 && run.interval_s.is_finite() {
                (elapsed / cycle).floor()
            } else {
                0.0
            };
            // Wall time up to the last periodic checkpoint: none without an interval (where
            // 0 checkpoints × an infinite interval would be NaN, and NaN kept the work).
            let checkpointed = if periodic > 0.0 {
                periodic * run.interval_s
            } else {
                0.0
            };
            let saved_wall = match how {
                // Everything worked on, less the periodic writes and the final one.
                Stop::Checkpointed => {
                    (elapsed - (periodic + 1.0) * self.ckpt.checkpoint_write_s).max(checkpointed)
                }
                _ => checkpointed,
            };
            let saved_ref = (saved_wall * run.rate).min(a.remaining_ref_s);
            a.remaining_ref_s -= saved_ref;
            // The periodic writes made are checkpoint overhead; the rest not saved is lost
            // (a preemption's final write among it).
            let written = periodic * self.ckpt.checkpoint_write_s;
            if measured {
                self.o.checkpoint_overhead(gpus_held * written);
                self.o
                    .lost(f64::from(a.gpus) * (elapsed - saved_wall - written).max(0.0));
            }
        }
        self.tenants[t].allocated_gpus -= u64::from(run.alloc.gpus());
        self.running.stop(key);
        self.policy.stopped(key);
        self.cluster.release(key, &run.alloc);
    }

    pub(super) fn interrupt(&mut self, key: JobKey, now: Time, failure: bool) {
        self.stop(key, now, Stop::Lost);
        let a = self.active.get_mut(&key).expect("active");
        a.epoch += 1;
        if failure {
            a.interruptions += 1;
            if a.measured {
                self.o.interruptions += 1;
            }
        }
        let delay = if failure {
            self.ckpt.restart_delay_s
        } else {
            0
        };
        self.q.schedule(now + delay, Ev::Resubmit { key });
    }

    pub(super) fn complete(&mut self, key: JobKey, now: Time) -> Result<(), SimError> {
        let a = self.active.remove(&key).expect("active");
        let t = a.job.tenant.0 as usize;
        if a.measured {
            self.o.completed(t, &a.job, now - a.submit, a.queued_s);
        }
        self.log_job(&a, now, JobEnd::Completed)
    }

    /// A job of tenant `t` asking for `gpus` joins (`true`) or leaves the queue.
    pub(super) fn queue_change(&mut self, t: usize, gpus: u32, joins: bool) {
        let v = &mut self.tenants[t];
        if joins {
            v.queued_jobs += 1;
            v.queued_gpus += u64::from(gpus);
        } else {
            v.queued_jobs -= 1;
            v.queued_gpus -= u64::from(gpus);
        }
    }

    pub(super) fn log_job(&mut self, a: &Active, now: Time, how: JobEnd) -> Result<(), SimError> {
        let Some(w) = self.log.as_deref_mut() else {
            return Ok(());
        };
        let t = a.job.tenant.0 as usize;
        w.record(&JobRecord {
            job_id: a.job.id,
            tenant: self.tenant_names.get(t).map_or("", String::as_str),
            site: a.site.map(|s| self.o.site_name(s)),
            submit_s: a.submit,
            start_s: a.first_start,
            end_s: now,
            gpus: a.gpus,
            wait_s: a.first_start.map_or(now - a.submit, |s| s - a.submit),
            interruptions: a.interruptions,
            preemptions: a.preemptions,
            // A job that ends waiting (withdrawn, refused) was queued until now.
            queued_s: a.queued_s
                + if a.run.is_none() && a.remaining_ref_s > 0.0 {
                    now.saturating_sub(a.queued_since)
                } else {
                    0
                },
            outcome: how,
            recorded_outcome: a.job.outcome,
            kind: a.job.kind,
        })?;
        Ok(())
    }

    pub(super) fn start(&mut self, key: JobKey, now: Time) -> bool {
        let (gpus, t) = (
            self.active[&key].gpus,
            self.active[&key].job.tenant.0 as usize,
        );
        let sites = self.tenants[t]
            .sites
            .as_deref()
            .map_or(Sites::ANY, Sites::only);
        let Some(alloc) = self.cluster.place(key, gpus, sites) else {
            return false;
        };
        debug_assert!(
            std::iter::once(alloc.partition)
                .chain(alloc.spans.iter().copied())
                .all(|p| sites.admit(self.cluster.partitions[p as usize].site)),
            "a job placed outside its tenant's sites"
        );
        let part = &self.cluster.partitions[alloc.partition as usize];
        let (mut rate, site) = (part.relative_throughput, part.site);
        // A run across phases goes at the pace of its slowest accelerators.
        for &p in &alloc.spans {
            rate = rate.min(self.cluster.partitions[p as usize].relative_throughput);
        }
        // Across sites, a run delivers the stated share of its throughput on one site.
        let across = self.cluster.across_sites(&alloc);
        if across {
            rate *= self.cross_site_efficiency;
        }
        let a = self.active.get_mut(&key).expect("active");
        if across && !a.across_sites {
            a.across_sites = true;
            if a.measured {
                self.o.cross_site_runs += 1;
            }
        }
        let t = a.job.tenant.0 as usize;
        let v = &mut self.tenants[t];
        v.queued_jobs -= 1;
        v.queued_gpus -= u64::from(a.gpus);
        a.queued_s += now.saturating_sub(a.queued_since);
        if a.first_start.is_none() {
            a.first_start = Some(now);
            if a.measured {
                self.o.started(t, now - a.submit);
            }
        }
        a.site = Some(site);
        let work_wall = a.remaining_ref_s / rate;
        // A checkpoint costs its write time once per interval; with nothing failing, none
        // is written unless the scenario sets an interval.
        let interval = if self.failures_on || self.ckpt.checkpoint_interval_s.is_some() {
            self.ckpt.checkpoint_interval_s(gpus)
        } else {
            f64::INFINITY
        };
        let overhead = (work_wall / interval).floor() * self.ckpt.checkpoint_write_s;
        let run_s = ((work_wall + overhead).ceil() as Time).max(1);
        let epoch = a.epoch;
        let walltime = (run_s as f64 * self.walltime_factor).ceil() as Time;
        self.tenants[t].allocated_gpus += u64::from(alloc.gpus());
        self.running
            .start(key, now + walltime, alloc.gpus(), alloc.partition);
        self.policy
            .started(key, a.attained_gpu_s, now, alloc.gpus());
        a.run = Some(Run {
            overhead_s: overhead,
            alloc,
            across,
            start: now,
            rate,
            interval_s: interval,
        });
        self.q.schedule(now + run_s, Ev::Finish { key, epoch });
        true
    }

    /// Preempt running job `key` (for the policy, or for a service's replica): it writes a
    /// checkpoint as it stops and queues again.
    pub(super) fn preempt(&mut self, key: JobKey, now: Time) {
        if self.active.get(&key).is_some_and(|a| a.run.is_some()) {
            self.stop(key, now, Stop::Checkpointed);
            let a = self.active.get_mut(&key).expect("active");
            a.epoch += 1;
            if a.measured {
                self.o.preemptions += 1;
            }
            let qj = self.queued(key);
            self.policy.submit(qj);
        }
    }

    pub(super) fn set_patience_timers(&mut self) {
        let now = self.q.now();
        for i in 0..self.arrived.len() {
            let key = self.arrived[i];
            if let Some(a) = self.active.get(&key) {
                if a.run.is_none() && a.epoch == 0 {
                    if let Some(p) = self.patience_s[a.job.tenant.0 as usize] {
                        self.q.schedule(now + p, Ev::Withdraw { key, epoch: 0 });
                    }
                }
            }
        }
        self.arrived.clear();
    }

    pub(super) fn schedule(&mut self) {
        let now = self.q.now();
        loop {
            let view = View {
                now,
                cluster: &self.cluster,
                running: &self.running,
                tenants: &self.tenants,
            };
            match self.policy.next(&view) {
                None => break,
                Some(Decision::Start(key)) => {
                    if !self.active.contains_key(&key) {
                        continue;
                    }
                    if !self.start(key, now) {
                        // The policy misjudged the room: back to its queue, and stop here.
                        let qj = self.queued(key);
                        self.policy.submit(qj);
                        break;
                    }
                }
                Some(Decision::Preempt(key)) => self.preempt(key, now),
            }
        }
        if let Some(t) = self.policy.wake_at() {
            if t > now && self.next_wake != Some(t) {
                self.next_wake = Some(t);
                self.q.schedule(t, Ev::Wake);
            }
        }
    }
}
