//! The kernel heap: a bump allocator over physically contiguous regions. Phase 1 builds it from
//! one run of contiguous frames at their identity addresses; before the switch every heap
//! pointer is translated to HEAP_HIGH_BASE, where the regions sit one after the other, and
//! phase 2 grows it by mapping new runs of frames at its end.

use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};

use crate::frames;
use crate::global::Global;
use crate::inspect;
use crate::layout::{align_up, PAGE_SIZE};
use crate::paging;

/// One physically contiguous piece of the heap (the ABI's 24-byte heap region).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct HeapRegion {
    pub virt_base: u64,
    pub len: u64,
    pub phys_base: u64,
}

impl HeapRegion {
    fn contains_virt(&self, virt: u64) -> bool {
        (self.virt_base..=self.virt_base + self.len).contains(&virt)
    }
}

const INITIAL_FRAMES: u64 = 64;
const GROWTH_FRAMES: u64 = 64;
const REGION_CAPACITY: usize = 64;

enum Regions {
    /// Until the heap works: the single region it starts with.
    Bootstrap(HeapRegion),
    /// Afterwards, in a Vec with fixed capacity (pushing never reallocates inside `alloc`).
    Tracked(Vec<HeapRegion>),
}

struct HeapState {
    cursor: u64,
    limit: u64,
    regions: Regions,
    /// Phase 2: new regions are mapped at `limit` (virtually contiguous).
    grows_in_place: bool,
}

pub struct KernelHeap(Global<HeapState>);

#[global_allocator]
static HEAP: KernelHeap = KernelHeap(Global::new(HeapState {
    cursor: 0,
    limit: 0,
    regions: Regions::Bootstrap(HeapRegion { virt_base: 0, len: 0, phys_base: 0 }),
    grows_in_place: false,
}));

fn state() -> &'static mut HeapState {
    unsafe { HEAP.0.get() }
}

impl HeapState {
    fn regions(&self) -> &[HeapRegion] {
        match &self.regions {
            Regions::Bootstrap(region) if region.len == 0 => &[],
            Regions::Bootstrap(region) => core::slice::from_ref(region),
            Regions::Tracked(regions) => regions,
        }
    }

    fn virt_to_phys(&self, virt: u64) -> Option<u64> {
        self.regions()
            .iter()
            .find(|r| r.contains_virt(virt))
            .map(|r| r.phys_base + (virt - r.virt_base))
    }

    fn publish(&self) {
        let regions = self.regions();
        let virt = regions.as_ptr() as u64;
        inspect::set!(heap_regions_virt, virt);
        inspect::set!(heap_regions_phys, self.virt_to_phys(virt).unwrap_or(0));
        inspect::set!(heap_region_count, regions.len() as u64);
    }

    /// Adds frames until `bytes` more fit. Returns false when memory or the region table ran out.
    fn grow(&mut self, bytes: u64) -> bool {
        let Regions::Tracked(regions) = &mut self.regions else { return false };
        let frames = unsafe { frames::allocator() };
        let wanted = align_up(bytes, PAGE_SIZE) / PAGE_SIZE;
        if !self.grows_in_place {
            // Phase 1: a new run at its identity address; the old region's tail is abandoned.
            if regions.len() == regions.capacity() {
                return false;
            }
            let Some((phys, count)) = frames.pop_contiguous(wanted.max(GROWTH_FRAMES)) else { return false };
            regions.push(HeapRegion { virt_base: phys, len: count * PAGE_SIZE, phys_base: phys });
            self.cursor = phys;
            self.limit = phys + count * PAGE_SIZE;
            self.publish();
            return count >= wanted;
        }
        let mut added = 0;
        let target = wanted.max(GROWTH_FRAMES);
        while added < target {
            if regions.len() == regions.capacity() {
                return false;
            }
            let Some((phys, count)) = frames.pop_contiguous(target - added) else { return false };
            for page in 0..count {
                paging::map(self.limit + page * PAGE_SIZE, phys + page * PAGE_SIZE, paging::WRITABLE | paging::no_execute(), frames);
            }
            regions.push(HeapRegion { virt_base: self.limit, len: count * PAGE_SIZE, phys_base: phys });
            self.limit += count * PAGE_SIZE;
            added += count;
        }
        self.publish();
        true
    }
}

unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap = state();
        loop {
            let start = align_up(heap.cursor, layout.align() as u64);
            if heap.cursor != 0 && start + layout.size() as u64 <= heap.limit {
                heap.cursor = start + layout.size() as u64;
                return start as *mut u8;
            }
            if !heap.grow(layout.size() as u64 + layout.align() as u64) {
                return core::ptr::null_mut();
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let heap = state();
        if ptr as u64 + layout.size() as u64 == heap.cursor {
            heap.cursor = ptr as u64; // only the newest block comes back
        }
    }
}

/// Phase 1: the first region (as many contiguous frames as the allocator hands out in a row),
/// then the region table moves into a Vec on the heap itself.
pub fn init() -> Result<(), &'static str> {
    let frames = unsafe { frames::allocator() };
    let (phys, count) = frames.pop_contiguous(INITIAL_FRAMES).ok_or("no free frames for the heap")?;
    let region = HeapRegion { virt_base: phys, len: count * PAGE_SIZE, phys_base: phys };
    {
        let heap = state();
        heap.regions = Regions::Bootstrap(region);
        heap.cursor = phys;
        heap.limit = phys + count * PAGE_SIZE;
    }
    let mut tracked = Vec::with_capacity(REGION_CAPACITY);
    tracked.push(region);
    let heap = state();
    heap.regions = Regions::Tracked(tracked);
    heap.publish();
    Ok(())
}

/// The regions as they stand (phase 1: identity addresses; phase 2: high addresses).
pub fn regions() -> &'static [HeapRegion] {
    state().regions()
}

/// Phase 1, last heap operation before the switch: rewrites every heap pointer (the region
/// table, its Vec's buffer, the cursor) for the high mapping built by `map_high`.
pub fn move_to_high(high_base: u64) {
    let heap = state();
    let Regions::Tracked(regions) = &mut heap.regions else { panic!("the heap is not initialised") };
    let mut next = high_base;
    let mut cursor = heap.cursor;
    let mut vec_ptr = regions.as_ptr() as u64;
    let low_cursor = heap.cursor;
    let low_vec = vec_ptr;
    for region in regions.iter_mut() {
        if region.contains_virt(low_cursor) {
            cursor = next + (low_cursor - region.virt_base);
        }
        if region.contains_virt(low_vec) {
            vec_ptr = next + (low_vec - region.virt_base);
        }
        region.virt_base = next;
        next += region.len;
    }
    let (len, capacity) = (regions.len(), regions.capacity());
    let old = core::mem::replace(regions, Vec::new());
    core::mem::forget(old);
    // The buffer is the same memory, seen through the high mapping once CR3 is switched.
    *regions = unsafe { Vec::from_raw_parts(vec_ptr as *mut HeapRegion, len, capacity) };
    heap.cursor = cursor;
    heap.limit = next;
    heap.grows_in_place = true;
}

/// Phase 2, after the switch: publishes the translated table to the inspection record.
pub fn publish() {
    state().publish();
}

/// Phase 1: maps every region at its future high address in the new tables.
pub fn map_high(pml4: u64, high_base: u64, frames: &mut frames::FrameAllocator) {
    let mut next = high_base;
    for region in regions() {
        for offset in (0..region.len).step_by(PAGE_SIZE as usize) {
            paging::map_identity_access(pml4, next + offset, region.phys_base + offset, paging::WRITABLE | paging::no_execute(), frames);
        }
        next += region.len;
    }
}
