//! The facility's state: partitions (one per build phase, so one accelerator type each)
//! of pods of nodes, with free GPUs per node. Placement only: who runs and when is the
//! scheduler's business, and time and energy the simulation's.
//!
//! Jobs of up to a node's GPUs share nodes, best fit (the node with the fewest free GPUs
//! that still fit). Larger jobs take whole nodes, preferring the fewest pods (network
//! domains): one pod if any has room (the fullest such pod), else pods with the most free
//! nodes first. A job spans partitions only where the scenario allows runs across phases
//! (`[cluster] cross_site`), and only a run larger than any one partition can hold: then
//! it takes whole nodes from partitions of one accelerator family, within one site if one
//! has room, else from the sites with the most free nodes first (see [`Cluster::span`]).
//!
//! A partition may hold nodes back as hot spares: no job is placed on them, and when a
//! node in service fails, a spare takes its place at once; the repaired node becomes a
//! spare again while the pool is short, else returns to service.

/// GPUs in a full node.
pub const GPUS_PER_NODE: u8 = crate::units::NODE_GPUS as u8;

const NOT_LISTED: u32 = u32::MAX;

/// The sites a job may run at: any, or those its tenant's placement rules admit (by site
/// index; a site past the end of the list is not admitted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sites<'a>(Option<&'a [bool]>);

impl<'a> Sites<'a> {
    /// Every site.
    pub const ANY: Sites<'static> = Sites(None);

    /// Only the sites marked `true`.
    pub fn only(admitted: &'a [bool]) -> Self {
        Sites(Some(admitted))
    }

    /// Whether site `site` is admitted.
    pub fn admit(self, site: usize) -> bool {
        self.0.is_none_or(|m| m.get(site).copied().unwrap_or(false))
    }
}

/// Where a job runs: its partition and GPUs per node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// Partition index (for a run across partitions, the first it spans).
    pub partition: u32,
    /// (node, GPUs taken on it).
    pub nodes: Vec<(u32, u8)>,
    /// For a run across partitions, every partition it spans (empty otherwise).
    pub spans: Vec<u32>,
}

impl Allocation {
    /// GPUs held.
    pub fn gpus(&self) -> u32 {
        self.nodes.iter().map(|(_, g)| u32::from(*g)).sum()
    }
}

#[derive(Debug, Clone)]
struct Node {
    cap: u8,
    free: u8,
    // In service (placeable). A spare or a node in repair is not.
    up: bool,
    spare: bool,
    list_pos: u32,
    pod: u32,
    pod_pos: u32,
    occupants: Vec<(u32, u8)>,
    part: u32,
}

/// One build phase's hardware.
#[derive(Debug, Clone)]
pub struct Partition {
    /// Site index.
    pub site: usize,
    /// Build index in the facility.
    pub build: usize,
    /// Throughput relative to an H100 SXM.
    pub relative_throughput: f64,
    /// Its accelerator family, as a number: a run spans partitions of one family only.
    pub family: u32,
    /// Whether it is in service.
    pub online: bool,
    /// GPUs in nodes that are up and in service (spares not included).
    pub gpus_up: u32,
    /// GPUs in idle spare nodes (working, held back).
    pub gpus_spare: u32,
    /// GPUs in all its nodes.
    pub gpus_total: u32,
    /// GPUs allocated to jobs.
    pub allocated: u32,
    /// Of those, GPUs held by inference services' replicas.
    pub serving: u32,
    first_node: u32,
    node_count: u32,
    // Nodes that are up, by free GPUs (index 0..=8); fully free 8-GPU nodes are also kept
    // per pod.
    free_lists: [Vec<u32>; 9],
    pods: Vec<Vec<u32>>,
    // Idle spare nodes, and how many the partition keeps.
    spares: Vec<u32>,
    spare_target: u32,
}

impl Partition {
    /// GPUs in working nodes: in service or idle spares (not in repair).
    pub fn gpus_working(&self) -> u32 {
        self.gpus_up + self.gpus_spare
    }

    /// Nodes held back as spares (the target; fewer while some are standing in).
    pub fn spare_nodes(&self) -> u32 {
        self.spare_target
    }
}

/// All partitions and their nodes.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    /// Partitions, in build order.
    pub partitions: Vec<Partition>,
    nodes: Vec<Node>,
    /// Whether runs larger than any one partition may span partitions (see the module).
    pub span_allowed: bool,
}

/// Nodes needed for `gpus` GPUs taken as whole nodes.
pub fn nodes_for(gpus: u32) -> u32 {
    gpus.div_ceil(u32::from(GPUS_PER_NODE))
}

impl Cluster {
    /// An empty cluster.
    pub fn new() -> Self {
        Cluster::default()
    }

    /// Add a partition of `gpus` GPUs at `site` (offline until [`Cluster::set_online`]),
    /// nodes of 8 GPUs (the last one smaller if `gpus` is not a multiple of 8), grouped in
    /// pods of `pod_nodes`, of which `spare_nodes` (whole 8-GPU nodes, the last ones) are
    /// held back as spares.
    pub fn add_partition(
        &mut self,
        site: usize,
        build: usize,
        gpus: u32,
        relative_throughput: f64,
        pod_nodes: u32,
        spare_nodes: u32,
    ) -> usize {
        let p = self.partitions.len();
        let first = self.nodes.len() as u32;
        let count = nodes_for(gpus);
        let pod_nodes = pod_nodes.max(1);
        let mut part = Partition {
            site,
            build,
            relative_throughput,
            family: 0,
            online: false,
            gpus_up: 0,
            gpus_spare: 0,
            gpus_total: gpus,
            allocated: 0,
            serving: 0,
            first_node: first,
            node_count: count,
            free_lists: Default::default(),
            pods: vec![Vec::new(); count.div_ceil(pod_nodes) as usize],
            spares: Vec::new(),
            spare_target: 0,
        };
        // Spares are whole nodes, and one node at least stays in service.
        let whole = gpus / u32::from(GPUS_PER_NODE);
        let spare_nodes = spare_nodes.min(whole.saturating_sub(1));
        part.spare_target = spare_nodes;
        for i in 0..count {
            let cap = if i + 1 == count && gpus % 8 != 0 {
                (gpus % 8) as u8
            } else {
                GPUS_PER_NODE
            };
            self.nodes.push(Node {
                cap,
                free: 0,
                up: false,
                spare: false,
                list_pos: NOT_LISTED,
                pod: i / pod_nodes,
                pod_pos: 0,
                occupants: Vec::new(),
                part: p as u32,
            });
        }
        // The spares: the last whole nodes (before a smaller last node, if any).
        let last_whole = first + whole;
        let spare_ids = last_whole - spare_nodes..last_whole;
        for i in 0..count {
            let n = first + i;
            let cap = self.nodes[n as usize].cap;
            if spare_ids.contains(&n) {
                self.nodes[n as usize].spare = true;
                part.spares.push(n);
                part.gpus_spare += u32::from(cap);
                continue;
            }
            self.nodes[n as usize].up = true;
            Self::set_free(&mut self.nodes, &mut part, n, cap);
            part.gpus_up += u32::from(cap);
        }
        self.partitions.push(part);
        p
    }

    /// Put partition `p` in or out of service. Taking it out requires it to hold no jobs.
    pub fn set_online(&mut self, p: usize, online: bool) {
        debug_assert!(online || self.partitions[p].allocated == 0);
        self.partitions[p].online = online;
    }

    // Move up node `n` to the free list for `free` GPUs (from the list for its current
    // `free`, unless it is in none: `list_pos == NOT_LISTED`).
    fn set_free(nodes: &mut [Node], part: &mut Partition, n: u32, free: u8) {
        let node = &nodes[n as usize];
        let (old, full_old) = (node.free, node.free == 8);
        if node.list_pos != NOT_LISTED {
            Self::list_remove(nodes, &mut part.free_lists[old as usize], n, false);
            if full_old {
                let pod = nodes[n as usize].pod as usize;
                Self::list_remove(nodes, &mut part.pods[pod], n, true);
            }
        }
        let node = &mut nodes[n as usize];
        node.free = free;
        node.list_pos = part.free_lists[free as usize].len() as u32;
        part.free_lists[free as usize].push(n);
        if free == 8 {
            let pod = node.pod as usize;
            node.pod_pos = part.pods[pod].len() as u32;
            part.pods[pod].push(n);
        }
    }

    fn list_remove(nodes: &mut [Node], list: &mut Vec<u32>, n: u32, pod: bool) {
        let pos = if pod {
            nodes[n as usize].pod_pos
        } else {
            nodes[n as usize].list_pos
        } as usize;
        debug_assert_eq!(list[pos], n);
        list.swap_remove(pos);
        if let Some(&moved) = list.get(pos) {
            if pod {
                nodes[moved as usize].pod_pos = pos as u32;
            } else {
                nodes[moved as usize].list_pos = pos as u32;
            }
        }
    }

    fn fits_in(part: &Partition, gpus: u32) -> bool {
        if !part.online {
            return false;
        }
        if gpus <= u32::from(GPUS_PER_NODE) {
            (gpus as usize..=8).any(|k| !part.free_lists[k].is_empty())
        } else {
            part.free_lists[8].len() as u32 >= nodes_for(gpus)
        }
    }

    /// Whether a job of `gpus` GPUs would find room now at one of `sites`.
    pub fn can_fit(&self, gpus: u32, sites: Sites<'_>) -> bool {
        self.partitions
            .iter()
            .any(|p| sites.admit(p.site) && Cluster::fits_in(p, gpus))
            || self.span(gpus, sites).is_some()
    }

    /// The most GPUs partition `p` can give one job: its nodes less the spares.
    fn capacity(p: &Partition) -> u32 {
        p.gpus_total
            .saturating_sub(p.spare_target * u32::from(GPUS_PER_NODE))
    }

    /// The accelerator families of the partitions in service, each once.
    pub fn families_online(&self) -> Vec<u32> {
        let mut families: Vec<u32> = self
            .partitions
            .iter()
            .filter(|p| p.online)
            .map(|p| p.family)
            .collect();
        families.sort_unstable();
        families.dedup();
        families
    }

    /// Whether a run of `gpus` GPUs must span partitions: runs across partitions are
    /// allowed, it is larger than a node, and no partition in service at one of `sites`
    /// can hold it alone.
    pub fn must_span(&self, gpus: u32, sites: Sites<'_>) -> bool {
        self.span_allowed
            && gpus > u32::from(GPUS_PER_NODE)
            && !self
                .partitions
                .iter()
                .any(|p| p.online && sites.admit(p.site) && Cluster::capacity(p) >= gpus)
    }

    /// The partitions a run of `gpus` GPUs that [`Cluster::must_span`] would span now,
    /// in the order it takes their free whole nodes, and whether they are at more than one
    /// site; `None` when no accelerator family has the room. One family only: within one
    /// site where one site has the room (the one with the most free nodes), else the
    /// fewest sites, those with the most free nodes first; only partitions at `sites`.
    pub fn span(&self, gpus: u32, admitted: Sites<'_>) -> Option<(Vec<usize>, bool)> {
        if !self.must_span(gpus, admitted) {
            return None;
        }
        let need = nodes_for(gpus) as usize;
        let mut best: Option<(usize, Vec<usize>)> = None;
        for fam in self.families_online() {
            // Per site: its free whole nodes of this family, and its partitions.
            let mut sites: Vec<(usize, usize, Vec<usize>)> = Vec::new();
            for (i, p) in self.partitions.iter().enumerate() {
                if !p.online
                    || p.family != fam
                    || p.free_lists[8].is_empty()
                    || !admitted.admit(p.site)
                {
                    continue;
                }
                let free = p.free_lists[8].len();
                match sites.iter_mut().find(|s| s.0 == p.site) {
                    Some(s) => {
                        s.1 += free;
                        s.2.push(i);
                    }
                    None => sites.push((p.site, free, vec![i])),
                }
            }
            sites.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut taken = 0;
            let mut parts = Vec::new();
            let mut used = 0;
            for (_, free, ps) in &mut sites {
                ps.sort_by_key(|&i| std::cmp::Reverse(self.partitions[i].free_lists[8].len()));
                parts.extend(ps.iter().copied());
                taken += *free;
                used += 1;
                if taken >= need {
                    break;
                }
            }
            if taken >= need && best.as_ref().is_none_or(|(u, _)| used < *u) {
                best = Some((used, parts));
            }
        }
        best.map(|(sites, parts)| (parts, sites > 1))
    }

    /// The largest job that fits now, in GPUs: whole free nodes × 8, or the most free GPUs
    /// on one node; where runs may span partitions, the free whole nodes of each
    /// accelerator together.
    pub fn largest_fit(&self) -> u32 {
        let single = self.largest_fit_alone();
        if !self.span_allowed {
            return single;
        }
        let mut by_family: Vec<(u32, u32)> = Vec::new();
        for p in self.partitions.iter().filter(|p| p.online) {
            let whole = p.free_lists[8].len() as u32 * u32::from(GPUS_PER_NODE);
            match by_family.iter_mut().find(|f| f.0 == p.family) {
                Some(f) => f.1 += whole,
                None => by_family.push((p.family, whole)),
            }
        }
        by_family.iter().map(|f| f.1).fold(single, u32::max)
    }

    fn largest_fit_alone(&self) -> u32 {
        self.partitions
            .iter()
            .filter(|p| p.online)
            .map(|p| {
                let whole = p.free_lists[8].len() as u32 * 8;
                let small = (0..=8u32)
                    .rev()
                    .find(|&k| !p.free_lists[k as usize].is_empty())
                    .unwrap_or(0);
                whole.max(small)
            })
            .max()
            .unwrap_or(0)
    }

    /// GPUs free in service.
    pub fn free_gpus(&self) -> u64 {
        self.partitions
            .iter()
            .filter(|p| p.online)
            .map(|p| u64::from(p.gpus_up - p.allocated))
            .sum()
    }

    /// The partition at one of `sites` a job of `gpus` GPUs would be placed on now (see
    /// [`Cluster::place`]): the fastest with room, then the one with the most free GPUs.
    /// `None` when nothing fits.
    pub fn choose(&self, gpus: u32, sites: Sites<'_>) -> Option<usize> {
        let gpus = gpus.max(1);
        (0..self.partitions.len())
            .filter(|&i| {
                sites.admit(self.partitions[i].site) && Cluster::fits_in(&self.partitions[i], gpus)
            })
            .max_by(|&a, &b| {
                let (pa, pb) = (&self.partitions[a], &self.partitions[b]);
                pa.relative_throughput
                    .total_cmp(&pb.relative_throughput)
                    .then((pa.gpus_up - pa.allocated).cmp(&(pb.gpus_up - pb.allocated)))
                    .then(b.cmp(&a))
            })
    }

    /// Place job `job` of `gpus` GPUs on the partition [`Cluster::choose`] picks among
    /// `sites` (or across partitions there, see [`Cluster::span`]). `None` when nothing
    /// fits.
    pub fn place(&mut self, job: u32, gpus: u32, sites: Sites<'_>) -> Option<Allocation> {
        let gpus = gpus.max(1);
        let Some(p) = self.choose(gpus, sites) else {
            let (parts, _) = self.span(gpus, sites)?;
            return Some(self.place_across(job, gpus, &parts));
        };
        Some(self.place_in(job, gpus, p))
    }

    /// Whether a job of `gpus` GPUs finds room on partition `p` now.
    pub fn fits(&self, p: usize, gpus: u32) -> bool {
        Cluster::fits_in(&self.partitions[p], gpus.max(1))
    }

    /// Place job `job` of `gpus` GPUs on partition `p`, which must have room
    /// ([`Cluster::fits`]): within one node if it fits one, else on whole nodes of as few
    /// pods as possible.
    pub fn place_in(&mut self, job: u32, gpus: u32, p: usize) -> Allocation {
        let gpus = gpus.max(1);
        let part = &mut self.partitions[p];
        let all = &mut self.nodes;
        let mut nodes = Vec::new();
        if gpus <= u32::from(GPUS_PER_NODE) {
            let k = (gpus as usize..=8)
                .find(|&k| !part.free_lists[k].is_empty())
                .expect("fits");
            let n = *part.free_lists[k].last().expect("non-empty");
            Self::set_free(all, part, n, (k as u32 - gpus) as u8);
            nodes.push((n, gpus as u8));
        } else {
            let need = nodes_for(gpus) as usize;
            let single = part
                .pods
                .iter()
                .enumerate()
                .filter(|(_, v)| v.len() >= need)
                .min_by_key(|(_, v)| v.len())
                .map(|(i, _)| i);
            let order: Vec<usize> = match single {
                Some(i) => vec![i],
                None => {
                    let mut o: Vec<usize> = (0..part.pods.len())
                        .filter(|&i| !part.pods[i].is_empty())
                        .collect();
                    o.sort_by_key(|&i| std::cmp::Reverse(part.pods[i].len()));
                    o
                }
            };
            'pods: for pod in order {
                while let Some(&n) = part.pods[pod].last() {
                    Self::set_free(all, part, n, 0);
                    nodes.push((n, 8));
                    if nodes.len() == need {
                        break 'pods;
                    }
                }
            }
        }
        let alloc = Allocation {
            partition: p as u32,
            nodes,
            spans: Vec::new(),
        };
        part.allocated += alloc.gpus();
        for &(n, g) in &alloc.nodes {
            all[n as usize].occupants.push((job, g));
        }
        alloc
    }

    /// Place a run of `gpus` GPUs on whole free nodes of `parts`, in order, the pods with
    /// the most free nodes of each first.
    fn place_across(&mut self, job: u32, gpus: u32, parts: &[usize]) -> Allocation {
        let need = nodes_for(gpus) as usize;
        let mut nodes = Vec::with_capacity(need);
        let mut spans = Vec::new();
        let all = &mut self.nodes;
        'parts: for &p in parts {
            let part = &mut self.partitions[p];
            let mut order: Vec<usize> = (0..part.pods.len())
                .filter(|&i| !part.pods[i].is_empty())
                .collect();
            order.sort_by_key(|&i| std::cmp::Reverse(part.pods[i].len()));
            spans.push(p as u32);
            for pod in order {
                while let Some(&n) = part.pods[pod].last() {
                    Self::set_free(all, part, n, 0);
                    part.allocated += u32::from(GPUS_PER_NODE);
                    nodes.push((n, GPUS_PER_NODE));
                    all[n as usize].occupants.push((job, GPUS_PER_NODE));
                    if nodes.len() == need {
                        break 'parts;
                    }
                }
            }
        }
        debug_assert_eq!(nodes.len(), need, "span() found the room");
        Allocation {
            partition: spans[0],
            nodes,
            spans,
        }
    }

    /// Give back what `job` held.
    pub fn release(&mut self, job: u32, alloc: &Allocation) {
        let all = &mut self.nodes;
        for &(n, g) in &alloc.nodes {
            let node = &mut all[n as usize];
            let part = &mut self.partitions[node.part as usize];
            if let Some(i) = node.occupants.iter().position(|o| o.0 == job) {
                node.occupants.swap_remove(i);
            }
            if node.up {
                let free = node.free + g;
                debug_assert!(free <= node.cap, "GPUs freed twice on node {n}");
                Self::set_free(all, part, n, free);
            }
            part.allocated -= u32::from(g);
        }
    }

    /// Give back `gpus` of the GPUs `job` holds on the one node of `alloc` (which keeps
    /// the rest): an inference service releasing some of the replicas it placed together.
    pub fn shrink(&mut self, job: u32, alloc: &mut Allocation, gpus: u32) {
        let [(n, g)] = &mut alloc.nodes[..] else {
            panic!("shrink: an allocation on one node");
        };
        let k = u8::try_from(gpus).expect("within a node");
        assert!(k < *g, "shrink keeps some GPUs");
        *g -= k;
        let all = &mut self.nodes;
        let node = &mut all[*n as usize];
        let part = &mut self.partitions[node.part as usize];
        if let Some(o) = node.occupants.iter_mut().find(|o| o.0 == job) {
            o.1 -= k;
        }
        if node.up {
            let free = node.free + k;
            debug_assert!(free <= node.cap, "GPUs freed twice on node {n}");
            Self::set_free(all, part, *n, free);
        }
        part.allocated -= gpus;
    }

    /// Whether `alloc` holds nodes of partition `p`.
    pub fn holds(alloc: &Allocation, p: usize) -> bool {
        alloc.partition as usize == p || alloc.spans.contains(&(p as u32))
    }

    /// Whether `alloc` spans more than one site.
    pub fn across_sites(&self, alloc: &Allocation) -> bool {
        let site = self.partitions[alloc.partition as usize].site;
        alloc
            .spans
            .iter()
            .any(|&p| self.partitions[p as usize].site != site)
    }

    /// Set partition `p`'s accelerator family (a run spans partitions of one only).
    pub fn set_family(&mut self, p: usize, family: u32) {
        self.partitions[p].family = family;
    }

    /// Nodes of partition `p`, as a range of node ids.
    pub fn nodes_of(&self, p: usize) -> std::ops::Range<u32> {
        let part = &self.partitions[p];
        part.first_node..part.first_node + part.node_count
    }

    /// Jobs on node `n` with their GPUs there.
    pub fn occupants(&self, n: u32) -> &[(u32, u8)] {
        &self.nodes[n as usize].occupants
    }

    /// GPUs of node `n`.
    pub fn node_gpus(&self, n: u32) -> u8 {
        self.nodes[n as usize].cap
    }

    /// Whether node `n` is up.
    pub fn node_up(&self, n: u32) -> bool {
        self.nodes[n as usize].up
    }

    /// Take node `n` of partition `p` down (its jobs must have been released first): an
    /// idle spare leaves the pool; a node in service is replaced by a spare, if one is
    /// left. Whether a spare stood in.
    pub fn node_down(&mut self, p: usize, n: u32) -> bool {
        let part = &mut self.partitions[p];
        let node = &self.nodes[n as usize];
        if node.spare {
            if let Some(i) = part.spares.iter().position(|&x| x == n) {
                part.spares.swap_remove(i);
                part.gpus_spare -= u32::from(node.cap);
            }
            self.nodes[n as usize].spare = false;
            return false;
        }
        if !node.up {
            return false;
        }
        debug_assert!(node.occupants.is_empty());
        let (free, cap, pod) = (node.free, node.cap, node.pod as usize);
        Self::list_remove(
            &mut self.nodes,
            &mut part.free_lists[free as usize],
            n,
            false,
        );
        if free == 8 {
            Self::list_remove(&mut self.nodes, &mut part.pods[pod], n, true);
        }
        let node = &mut self.nodes[n as usize];
        node.up = false;
        node.free = 0;
        node.list_pos = NOT_LISTED;
        part.gpus_up -= u32::from(cap);
        // A spare stands in: it joins the failed node's pod, so that the pods' shapes stay
        // as built.
        let Some(s) = part.spares.pop() else {
            return false;
        };
        let spare = &mut self.nodes[s as usize];
        spare.spare = false;
        spare.up = true;
        spare.pod = pod as u32;
        let scap = spare.cap;
        part.gpus_spare -= u32::from(scap);
        part.gpus_up += u32::from(scap);
        Self::set_free(&mut self.nodes, part, s, scap);
        true
    }

    /// Node `n` of partition `p` is repaired: it refills the spare pool if that is short,
    /// else returns to service with all its GPUs free.
    pub fn node_up_again(&mut self, p: usize, n: u32) {
        let part = &mut self.partitions[p];
        let node = &mut self.nodes[n as usize];
        if node.up || node.spare {
            return;
        }
        let cap = node.cap;
        if (part.spares.len() as u32) < part.spare_target && cap == GPUS_PER_NODE {
            node.spare = true;
            part.spares.push(n);
            part.gpus_spare += u32::from(cap);
            return;
        }
        node.up = true;
        Self::set_free(&mut self.nodes, part, n, cap);
        part.gpus_up += u32::from(cap);
    }
}

#[cfg(test)]
mod tests;
