use super::*;

const ANY: Sites<'static> = Sites::ANY;

fn cluster(gpus: &[u32], pod_nodes: u32) -> Cluster {
    let mut c = Cluster::new();
    for (i, g) in gpus.iter().enumerate() {
        let p = c.add_partition(0, i, *g, 1.0 + i as f64, pod_nodes, 0);
        c.set_online(p, true);
    }
    c
}

#[test]
fn small_jobs_pack_best_fit() {
    let mut c = cluster(&[16], 32);
    let a = c.place(1, 3, ANY).unwrap();
    let b = c.place(2, 5, ANY).unwrap();
    // The 5-GPU job fills the node the 3-GPU job left 5 free on.
    assert_eq!(a.nodes[0].0, b.nodes[0].0);
    let d = c.place(3, 2, ANY).unwrap();
    assert_ne!(d.nodes[0].0, a.nodes[0].0);
    assert_eq!(c.free_gpus(), 6);
    assert_eq!(c.largest_fit(), 6);
    c.release(2, &b);
    assert_eq!(c.free_gpus(), 11);
    // Best fit: the 5 free GPUs on the first node, not the 6 on the second.
    let e = c.place(4, 5, ANY).unwrap();
    assert_eq!(e.nodes[0].0, a.nodes[0].0);
}

#[test]
fn large_jobs_take_whole_nodes_in_the_fewest_pods() {
    // 8 nodes in pods of 4.
    let mut c = cluster(&[64], 4);
    // Use one node of pod 0: pod 0 has 3 free nodes, pod 1 four.
    let small = c.place(1, 1, ANY).unwrap();
    let pod_of = |n: u32| n / 4;
    // 3 nodes fit in pod 0 (the fullest pod with room) and in pod 1: pod 0 is chosen.
    let three = c.place(2, 24, ANY).unwrap();
    assert_eq!(three.nodes.len(), 3);
    assert!(
        three
            .nodes
            .iter()
            .all(|(n, g)| pod_of(*n) == pod_of(small.nodes[0].0) && *g == 8)
    );
    // A 20-GPU job takes 3 whole nodes (24 GPUs).
    c.release(2, &three);
    let odd = c.place(3, 20, ANY).unwrap();
    assert_eq!(odd.gpus(), 24);
    // 6 nodes: no pod has 6 free, so the two pods with the most.
    c.release(3, &odd);
    let six = c.place(4, 48, ANY).unwrap();
    assert_eq!(six.nodes.len(), 6);
    let mut pods: Vec<u32> = six.nodes.iter().map(|(n, _)| pod_of(*n)).collect();
    pods.dedup();
    assert_eq!(pods.len(), 2);
    assert!(!c.can_fit(16, ANY));
    assert!(c.can_fit(7, ANY));
}

#[test]
fn faster_partitions_are_preferred_and_jobs_never_span_them() {
    let mut c = cluster(&[16, 16], 32);
    let a = c.place(1, 16, ANY).unwrap();
    assert_eq!(a.partition, 1, "the faster partition");
    let b = c.place(2, 16, ANY).unwrap();
    assert_eq!(b.partition, 0);
    assert!(
        c.place(3, 24, ANY).is_none(),
        "32 GPUs free in total, but not 24 in one partition"
    );
}

#[test]
fn a_partial_last_node_serves_small_jobs() {
    let mut c = cluster(&[12], 32);
    assert_eq!(c.free_gpus(), 12);
    assert!(!c.can_fit(16, ANY));
    let a = c.place(1, 4, ANY).unwrap();
    let b = c.place(2, 8, ANY).unwrap();
    assert_eq!(a.gpus() + b.gpus(), 12);
    assert_eq!(c.free_gpus(), 0);
}

#[test]
fn failed_nodes_leave_service_and_come_back() {
    let mut c = cluster(&[16], 32);
    let a = c.place(7, 2, ANY).unwrap();
    let n = a.nodes[0].0;
    assert_eq!(c.occupants(n), &[(7, 2)]);
    c.release(7, &a);
    c.node_down(0, n);
    assert_eq!(c.partitions[0].gpus_up, 8);
    assert!(!c.can_fit(9, ANY));
    c.node_up_again(0, n);
    assert_eq!(c.partitions[0].gpus_up, 16);
    assert!(c.can_fit(16, ANY));
}

#[test]
fn a_spare_stands_in_for_a_failed_node_and_the_repaired_node_refills_the_pool() {
    // Four nodes, one a spare: three in service.
    let mut c = Cluster::new();
    let p = c.add_partition(0, 0, 32, 1.0, 32, 1);
    c.set_online(p, true);
    assert_eq!(
        (c.partitions[0].gpus_up, c.partitions[0].gpus_spare),
        (24, 8)
    );
    assert!(!c.can_fit(32, ANY), "never on the spare");
    let a = c.place(1, 24, ANY).unwrap();
    let n = a.nodes[0].0;
    c.release(1, &a);
    assert!(c.node_down(0, n), "the spare stands in");
    assert_eq!(
        (c.partitions[0].gpus_up, c.partitions[0].gpus_spare),
        (24, 0)
    );
    assert!(c.can_fit(24, ANY), "the job can run again at once");
    c.node_up_again(0, n);
    assert_eq!(
        (c.partitions[0].gpus_up, c.partitions[0].gpus_spare),
        (24, 8)
    );
    assert_eq!(c.partitions[0].gpus_working(), 32);
    // With the pool empty, a second failure shrinks the service until a repair.
    let b = c.place(2, 8, ANY).unwrap();
    let m = b.nodes[0].0;
    c.release(2, &b);
    assert!(c.node_down(0, m));
    let d = c.place(3, 8, ANY).unwrap();
    let k = d.nodes[0].0;
    c.release(3, &d);
    assert!(!c.node_down(0, k), "no spare left");
    assert_eq!(c.partitions[0].gpus_up, 16);
    c.node_up_again(0, k);
    assert_eq!(
        (c.partitions[0].gpus_up, c.partitions[0].gpus_spare),
        (16, 8)
    );
}

#[test]
fn an_allocation_on_one_node_shrinks_and_its_gpus_come_free() {
    // A service's four 2-GPU replicas placed together on one node, then three of them
    // released: the node has 6 free GPUs again, and a 6-GPU job fits there.
    let mut c = cluster(&[8], 32);
    let mut a = c.place_in(1, 8, 0);
    assert_eq!(c.free_gpus(), 0);
    c.shrink(1, &mut a, 6);
    assert_eq!(
        (a.gpus(), c.free_gpus(), c.partitions[0].allocated),
        (2, 6, 2)
    );
    let b = c.place(2, 6, ANY).unwrap();
    assert_eq!(b.nodes[0].0, a.nodes[0].0);
    c.release(2, &b);
    c.release(1, &a);
    assert_eq!((c.free_gpus(), c.partitions[0].allocated), (8, 0));
}
