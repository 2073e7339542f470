//! The binding's copy of the records of one stream that are not acknowledged: one entry per request (the
//! core's offset *k* is the *k*-th request), packed into one buffer with the records' end offsets. The
//! TypeScript engine drops its own copy once a request is sent and reads the records back from here when it
//! needs them (a snapshot of unacknowledged records, or their re-sending after the connection ended).
//!
//! Why a copy here at all: core 2.9.0 keeps its re-send buffer private (`get_unacked_batches` refuses on a
//! live stream, so it cannot serve a snapshot), and that buffer is a deep clone the core makes when a
//! request is sent (`LandingZone::observe`), so it cannot borrow ours either. Packed, the copy costs the
//! payload plus 4 bytes per record, against about 37 bytes more per 100-byte record as V8 strings in the
//! engine, and it is off the V8 heap (no garbage collection walks it).

use std::collections::VecDeque;

/// One request's records: their bytes one after the other, and where each ends.
struct Packed {
    bytes: Box<[u8]>,
    ends: Box<[u32]>,
}

impl Packed {
    fn of<'a>(records: impl ExactSizeIterator<Item = &'a [u8]> + Clone) -> Self {
        let total = records.clone().map(<[u8]>::len).sum();
        let mut bytes = Vec::with_capacity(total);
        let mut ends = Vec::with_capacity(records.len());
        for record in records {
            bytes.extend_from_slice(record);
            ends.push(bytes.len() as u32);
        }
        Self { bytes: bytes.into_boxed_slice(), ends: ends.into_boxed_slice() }
    }

    fn records(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(start, end)| &self.bytes[start as usize..end as usize])
    }
}

/// The held requests of a stream, from request `first` on.
#[derive(Default)]
pub struct HeldRecords {
    first: i64,
    requests: VecDeque<Packed>,
}

impl HeldRecords {
    /// Holds a copy of the next request's records.
    pub fn hold<'a>(&mut self, records: impl ExactSizeIterator<Item = &'a [u8]> + Clone) {
        self.requests.push_back(Packed::of(records));
    }

    /// The records of requests `from..=to`, one vector per request; `None` unless every one is held.
    pub fn read(&self, from: i64, to: i64) -> Option<Vec<Vec<&[u8]>>> {
        let held_end = self.first + self.requests.len() as i64;
        if from < self.first || to >= held_end || from > to {
            return None;
        }
        let range = (from - self.first) as usize..(to + 1 - self.first) as usize;
        Some(self.requests.range(range).map(|request| request.records().collect()).collect())
    }

    /// Lets go of requests up to `to` (acknowledged).
    pub fn release_to(&mut self, to: i64) {
        while self.first <= to && self.requests.pop_front().is_some() {
            self.first += 1;
        }
    }

    /// Lets go of everything held (read back, or no longer needed).
    pub fn release_all(&mut self) {
        self.first += self.requests.len() as i64;
        self.requests.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hold(held: &mut HeldRecords, records: &[&str]) {
        held.hold(records.iter().map(|r| r.as_bytes()));
    }

    #[test]
    fn reads_back_requests_in_order_until_released() {
        let mut held = HeldRecords::default();
        hold(&mut held, &["a", "", "ccc"]);
        hold(&mut held, &["d"]);
        hold(&mut held, &["e", "f"]);
        let read = held.read(0, 2).unwrap();
        assert_eq!(read, vec![vec![&b"a"[..], b"", b"ccc"], vec![b"d"], vec![b"e", b"f"]]);
        held.release_to(1);
        assert!(held.read(1, 2).is_none(), "request 1 was released");
        assert_eq!(held.read(2, 2).unwrap(), vec![vec![&b"e"[..], b"f"]]);
        hold(&mut held, &["g"]);
        assert_eq!(held.read(3, 3).unwrap(), vec![vec![&b"g"[..]]]);
        held.release_all();
        assert!(held.read(3, 3).is_none());
        hold(&mut held, &["h"]);
        assert_eq!(held.read(4, 4).unwrap(), vec![vec![&b"h"[..]]], "numbering goes on after release_all");
    }

    #[test]
    fn refuses_ranges_it_does_not_hold() {
        let mut held = HeldRecords::default();
        assert!(held.read(0, 0).is_none());
        hold(&mut held, &["a"]);
        assert!(held.read(0, 1).is_none());
        assert!(held.read(1, 0).is_none());
        held.release_to(-1);
        assert!(held.read(0, 0).is_some(), "a negative bound releases nothing");
    }
}
