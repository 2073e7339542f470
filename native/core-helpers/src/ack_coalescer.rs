//! Acks from the core arrive once per acknowledged batch (`AckCallback::on_ack`); JS must see at most
//! one call per server ack. The coalescer keeps the highest offset and lets only one JS call be
//! scheduled at a time: the JS-thread side takes the latest value when the call runs.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// Highest acknowledged core offset plus a "JS call scheduled" flag.
#[derive(Debug)]
pub struct AckCoalescer {
    highest: AtomicI64,
    scheduled: AtomicBool,
    delivered: AtomicI64,
}

impl Default for AckCoalescer {
    fn default() -> Self {
        Self {
            highest: AtomicI64::new(-1),
            scheduled: AtomicBool::new(false),
            delivered: AtomicI64::new(-1),
        }
    }
}

impl AckCoalescer {
    /// Records an acknowledged offset (any thread). Returns true when the caller must schedule a JS
    /// call: none is pending, so nobody else will deliver this value.
    pub fn record(&self, offset: i64) -> bool {
        self.highest.fetch_max(offset, Ordering::SeqCst);
        !self.scheduled.swap(true, Ordering::SeqCst)
    }

    /// Runs on the JS thread when the scheduled call executes: clears the flag first (so an ack
    /// recorded from now on schedules a new call), then returns the highest offset not yet delivered.
    pub fn take(&self) -> Option<i64> {
        self.scheduled.store(false, Ordering::SeqCst);
        let highest = self.highest.load(Ordering::SeqCst);
        let previous = self.delivered.fetch_max(highest, Ordering::SeqCst);
        (highest > previous).then_some(highest)
    }

    /// The highest offset recorded so far (-1 when none).
    pub fn highest(&self) -> i64 {
        self.highest.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::AckCoalescer;

    #[test]
    fn schedules_one_call_for_a_burst_and_delivers_the_highest() {
        let acks = AckCoalescer::default();
        assert!(acks.record(0));
        assert!(!acks.record(1));
        assert!(!acks.record(2));
        assert_eq!(acks.take(), Some(2));
        assert_eq!(acks.take(), None, "nothing new to deliver");
    }

    #[test]
    fn an_ack_after_take_schedules_again() {
        let acks = AckCoalescer::default();
        assert!(acks.record(0));
        assert_eq!(acks.take(), Some(0));
        assert!(acks.record(3));
        assert_eq!(acks.take(), Some(3));
    }

    #[test]
    fn never_delivers_a_lower_offset() {
        let acks = AckCoalescer::default();
        acks.record(5);
        assert_eq!(acks.take(), Some(5));
        assert!(acks.record(4));
        assert_eq!(acks.take(), None);
        assert_eq!(acks.highest(), 5);
    }

    #[test]
    fn concurrent_records_schedule_exactly_as_many_calls_as_takes_need() {
        use std::sync::Arc;
        let acks = Arc::new(AckCoalescer::default());
        let scheduled: usize = (0..4)
            .map(|t| {
                let acks = Arc::clone(&acks);
                std::thread::spawn(move || (0..1000).filter(|i| acks.record(t * 1000 + i)).count())
            })
            .map(|h| h.join().unwrap())
            .sum();
        assert_eq!(scheduled, 1, "no take ran, so only the first record schedules");
        assert_eq!(acks.take(), Some(3999));
    }
}
