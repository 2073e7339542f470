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
use std::sync::Arc;

/// One request's records: their bytes one after the other, and where each ends.
pub struct PackedRecords {
    bytes: Box<[u8]>,
    ends: Box<[u32]>,
}

impl PackedRecords {
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

    /// A JSON request's records given as their text joined and each record's UTF-8 length (what one
    /// string crossing from JS costs, instead of one per record): the text becomes the packed bytes as it
    /// is. `None` unless the lengths cut the text into whole characters and add up to it: measured record by
    /// record, a lone surrogate ending one record and one starting the next count 3 bytes each, joined they
    /// make one 4-byte character; the caller then passes the records one by one.
    pub fn from_joined(text: String, lengths: &[u32]) -> Option<Self> {
        let mut ends = Vec::with_capacity(lengths.len());
        let mut end = 0usize;
        for &length in lengths {
            end = end.checked_add(length as usize)?;
            // False past the end too.
            if !text.is_char_boundary(end) {
                return None;
            }
            ends.push(u32::try_from(end).ok()?);
        }
        if end != text.len() {
            return None;
        }
        Some(Self { bytes: text.into_bytes().into_boxed_slice(), ends: ends.into_boxed_slice() })
    }

    /// Each record's bytes, in order.
    pub fn records(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(start, end)| &self.bytes[start as usize..end as usize])
    }

    /// Each record as an owned string (the core takes one per record); bytes that are not UTF-8, which
    /// JSON records never are, would be replaced as `String::from_utf8_lossy` does.
    pub fn json_strings(&self) -> impl Iterator<Item = String> + '_ {
        self.records().map(|record| String::from_utf8_lossy(record).into_owned())
    }
}

/// The held requests of a stream, from request `first` on.
#[derive(Default)]
pub struct HeldRecords {
    first: i64,
    requests: VecDeque<Arc<PackedRecords>>,
}

impl HeldRecords {
    /// Holds a copy of the next request's records.
    pub fn hold<'a>(&mut self, records: impl ExactSizeIterator<Item = &'a [u8]> + Clone) {
        self.requests.push_back(Arc::new(PackedRecords::of(records)));
    }

    /// Holds the next request's records, shared with whoever sends them (no copy).
    pub fn hold_packed(&mut self, records: Arc<PackedRecords>) {
        self.requests.push_back(records);
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
    fn holds_joined_records_cut_at_their_lengths() {
        let mut held = HeldRecords::default();
        let packed = PackedRecords::from_joined("ab\u{e9}{}".to_string(), &[1, 3, 0, 2]).unwrap();
        assert_eq!(packed.json_strings().collect::<Vec<_>>(), vec!["a", "b\u{e9}", "", "{}"]);
        held.hold_packed(Arc::new(packed));
        hold(&mut held, &["c"]);
        assert_eq!(held.read(0, 1).unwrap(), vec![vec![&b"a"[..], "b\u{e9}".as_bytes(), b"", b"{}"], vec![b"c"]]);
        let empty = PackedRecords::from_joined(String::new(), &[]).unwrap();
        assert_eq!(empty.json_strings().count(), 0);
    }

    #[test]
    fn refuses_lengths_that_do_not_cut_the_text_into_its_records() {
        // A lone high surrogate ending one record and a low one starting the next: 3 + 3 bytes measured
        // apart, one 4-byte character once joined.
        let joined = "\u{1F600}".to_string();
        assert!(PackedRecords::from_joined(joined.clone(), &[3, 3]).is_none(), "sums past the text");
        assert!(PackedRecords::from_joined(joined.clone(), &[2, 2]).is_none(), "cuts a character");
        assert!(PackedRecords::from_joined("abc".to_string(), &[1, 1]).is_none(), "sums short of the text");
        assert!(PackedRecords::from_joined("abc".to_string(), &[u32::MAX, 1]).is_none());
        assert!(PackedRecords::from_joined(joined, &[4]).is_some());
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
