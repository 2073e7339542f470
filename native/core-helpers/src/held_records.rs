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
    bytes: Vec<u8>,
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
        Self { bytes, ends: ends.into_boxed_slice() }
    }

    /// A JSON request's records given as the UTF-8 text of a few chunks, each joined from consecutive
    /// records (a few strings cross from JS instead of one per record), written one after the other into
    /// `bytes`, which ends each chunk at `chunk_ends`; and each record's UTF-8 length. The text becomes the
    /// packed bytes as it is. A record goes in the next chunk once its own is used up, so an empty record
    /// at a chunk's edge may be counted in either: the same records in the same order.
    /// `None` unless the lengths cut each chunk into whole characters and add up to it: measured record by
    /// record, a lone surrogate ending one record and one starting the next count 3 bytes each, joined in a
    /// chunk they make one 4-byte character; the caller then passes the records one by one. (Across a
    /// chunk's edge they stay apart: each chunk is converted alone, as each record was when measured.)
    pub fn from_chunks(bytes: Vec<u8>, chunk_ends: &[usize], lengths: &[u32]) -> Option<Self> {
        let mut chunk_ends = chunk_ends.iter().copied();
        let mut chunk_end = chunk_ends.next()?;
        let mut ends = Vec::with_capacity(lengths.len());
        let mut end = 0usize;
        for &length in lengths {
            if length > 0 && end == chunk_end {
                chunk_end = chunk_ends.next()?;
            }
            end = end.checked_add(length as usize)?;
            if end > chunk_end || !is_char_boundary(&bytes, end) {
                return None;
            }
            ends.push(u32::try_from(end).ok()?);
        }
        if end != chunk_end || chunk_ends.next().is_some() || end != bytes.len() {
            return None;
        }
        Some(Self { bytes, ends: ends.into_boxed_slice() })
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

/// `str::is_char_boundary` for bytes that are UTF-8 (V8 writes nothing else) without checking all of
/// them first: false past the end, and on a continuation byte.
fn is_char_boundary(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        Some(&byte) => (byte as i8) >= -0x40,
        None => at == bytes.len(),
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

    /// What the binding writes: the chunks' text one after the other, and where each chunk ends.
    fn from_chunks(chunks: &[&str], lengths: &[u32]) -> Option<PackedRecords> {
        let mut ends = Vec::new();
        for chunk in chunks {
            ends.push(ends.last().unwrap_or(&0) + chunk.len());
        }
        PackedRecords::from_chunks(chunks.concat().into_bytes(), &ends, lengths)
    }

    #[test]
    fn holds_joined_records_cut_at_their_lengths() {
        let mut held = HeldRecords::default();
        let packed = from_chunks(&["ab\u{e9}{}"], &[1, 3, 0, 2]).unwrap();
        assert_eq!(packed.json_strings().collect::<Vec<_>>(), vec!["a", "b\u{e9}", "", "{}"]);
        held.hold_packed(Arc::new(packed));
        hold(&mut held, &["c"]);
        assert_eq!(held.read(0, 1).unwrap(), vec![vec![&b"a"[..], "b\u{e9}".as_bytes(), b"", b"{}"], vec![b"c"]]);
        let empty = from_chunks(&[""], &[]).unwrap();
        assert_eq!(empty.json_strings().count(), 0);
    }

    #[test]
    fn cuts_records_out_of_several_chunks_in_order() {
        let chunks = ["a\u{e9}", "\u{1F600}", "xyz\u{2603}"];
        let packed = from_chunks(&chunks, &[1, 2, 0, 4, 0, 0, 3, 3]).unwrap();
        let expected = vec!["a", "\u{e9}", "", "\u{1F600}", "", "", "xyz", "\u{2603}"];
        assert_eq!(packed.json_strings().collect::<Vec<_>>(), expected);
        // Empty records at a chunk's edge stay in it; the next record starts the next chunk.
        let packed = from_chunks(&["ab", "c"], &[0, 2, 0, 0, 1, 0]).unwrap();
        assert_eq!(packed.json_strings().collect::<Vec<_>>(), vec!["", "ab", "", "", "c", ""]);
    }

    #[test]
    fn refuses_lengths_that_do_not_cut_the_text_into_its_records() {
        // A lone high surrogate ending one record and a low one starting the next: 3 + 3 bytes measured
        // apart, one 4-byte character once joined.
        let joined = "\u{1F600}";
        assert!(from_chunks(&[joined], &[3, 3]).is_none(), "sums past the text");
        assert!(from_chunks(&[joined], &[2, 2]).is_none(), "cuts a character");
        assert!(from_chunks(&["abc"], &[1, 1]).is_none(), "sums short of the text");
        assert!(from_chunks(&["abc"], &[u32::MAX, 1]).is_none());
        assert!(from_chunks(&[joined], &[4]).is_some());
        // The same in a later chunk, and records that would span two chunks.
        assert!(from_chunks(&["a", joined], &[1, 3, 3]).is_none());
        assert!(from_chunks(&["a", joined], &[1, 2, 2]).is_none(), "cuts a character");
        assert!(from_chunks(&["ab", "cd"], &[1, 2, 1]).is_none(), "spans two chunks");
        assert!(from_chunks(&["ab", "cd"], &[2]).is_none(), "a chunk left over");
        assert!(from_chunks(&["ab", "", "cd"], &[2, 2]).is_none(), "an empty chunk");
        let past = PackedRecords::from_chunks(b"abc".to_vec(), &[2], &[2]);
        assert!(past.is_none(), "text past the last chunk");
        assert!(from_chunks(&[], &[]).is_none());
        assert!(from_chunks(&[], &[0]).is_none());
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
