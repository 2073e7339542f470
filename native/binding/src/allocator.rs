//! The addon's global allocator: the system allocator, counting the bytes it has handed out and not yet
//! taken back, so that a benchmark can tell the Rust side's share of a process's memory (the core's
//! re-send buffer, tonic's and tokio's buffers) from V8's. Only allocations made through Rust's allocator
//! in this addon are counted; memory that Node, V8 or other libraries allocate is not.
//!
//! The counters are relaxed atomics: one add per allocation and one subtract per free, plus a
//! `fetch_max` for the high-water mark. They are statistics, not synchronisation, so no
//! ordering with other memory operations is needed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use napi_derive::napi;

/// The system allocator with live-byte counters.
struct CountingAllocator;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE_BYTES.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE_BYTES.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the `GlobalAlloc` contract; the
// counters are only touched after a successful allocation and never affect the pointers returned.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc(layout);
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc_zeroed(layout);
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        System.dealloc(pointer, layout);
        shrank(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(pointer, layout, new_size);
        // On failure the old block stays allocated at its old size: nothing changed.
        if !moved.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Bytes the addon's Rust code holds from its allocator right now (requested sizes, without the system
/// allocator's own overhead).
#[napi]
pub fn allocator_live_bytes() -> f64 {
    LIVE_BYTES.load(Ordering::Relaxed) as f64
}

/// The most bytes held at once since the addon loaded or since the last `resetAllocatorPeak()`.
#[napi]
pub fn allocator_peak_bytes() -> f64 {
    PEAK_BYTES.load(Ordering::Relaxed) as f64
}

/// Starts a new high-water mark from the bytes held now; returns that figure.
#[napi]
pub fn reset_allocator_peak() -> f64 {
    let live = LIVE_BYTES.load(Ordering::Relaxed);
    PEAK_BYTES.store(live, Ordering::Relaxed);
    live as f64
}
