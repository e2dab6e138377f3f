//! The event queue and clock. It knows no GPUs, jobs or sites: only integer times and
//! opaque events.
//!
//! Time is whole seconds from the start. Events at the same instant come out together, in
//! the order they were scheduled, so that a simulation is a deterministic function of its
//! inputs and seed.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Whole seconds from the start of the simulation.
pub type Time = u64;

/// A priority queue of events by (time, insertion order).
///
/// A binary heap ordered by (time, sequence number). A radix heap measured faster on the
/// development machine (DESIGN.md), but it cannot be peeked without popping, and a
/// popped-ahead event would forbid scheduling anything before it; the binary heap has no
/// such trap.
///
/// # Example
/// ```
/// use gigafactory::engine::EventQueue;
/// let mut q = EventQueue::new();
/// q.schedule(10, "b");
/// q.schedule(5, "a");
/// q.schedule(10, "c");
/// let mut batch = Vec::new();
/// assert_eq!(q.pop_instant(&mut batch), Some(5));
/// assert_eq!(batch, ["a"]);
/// assert_eq!(q.pop_instant(&mut batch), Some(10));
/// assert_eq!(batch, ["b", "c"]);
/// assert_eq!(q.pop_instant(&mut batch), None);
/// ```
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: Time,
}

struct Entry<E> {
    time: Time,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, o: &Self) -> bool {
        (self.time, self.seq) == (o.time, o.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed: the heap's top is the earliest (time, seq).
        (o.time, o.seq).cmp(&(self.time, self.seq))
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue at time 0.
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            seq: 0,
            now: 0,
        }
    }

    /// The time of the last instant popped.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedule `event` at `time`. A time before the current instant is moved to it: the
    /// clock never runs backwards.
    pub fn schedule(&mut self, time: Time, event: E) {
        self.seq += 1;
        self.heap.push(Entry {
            time: time.max(self.now),
            seq: self.seq,
            event,
        });
    }

    /// Move the clock forward to `time` (never back), for an instant with no queued events
    /// (a caller merging another ordered source of events, such as a job stream).
    pub fn advance_to(&mut self, time: Time) {
        self.now = self.now.max(time);
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// The time of the next instant, if any.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|e| e.time)
    }

    /// Move every event of the next instant into `out` (cleared first), in the order they
    /// were scheduled; return that instant.
    pub fn pop_instant(&mut self, out: &mut Vec<E>) -> Option<Time> {
        out.clear();
        let t = self.peek_time()?;
        self.now = t;
        while self.peek_time() == Some(t) {
            out.push(self.heap.pop().expect("peeked").event);
        }
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_come_out_in_insertion_order() {
        let mut q = EventQueue::new();
        for i in 0..1000u32 {
            q.schedule(u64::from(i % 7), i);
        }
        let mut out = Vec::new();
        let mut last_time = None;
        let mut total = 0;
        while let Some(t) = q.pop_instant(&mut out) {
            assert!(last_time.is_none_or(|l| t > l));
            last_time = Some(t);
            assert!(out.windows(2).all(|w| w[0] < w[1]), "{out:?}");
            assert!(out.iter().all(|e| u64::from(e % 7) == t));
            total += out.len();
        }
        assert_eq!(total, 1000);
    }

    #[test]
    fn events_scheduled_in_the_past_run_now() {
        let mut q = EventQueue::new();
        q.schedule(100, 'a');
        let mut out = Vec::new();
        q.pop_instant(&mut out);
        q.schedule(50, 'b');
        assert_eq!(q.pop_instant(&mut out), Some(100));
        assert_eq!(out, ['b']);
    }
}
