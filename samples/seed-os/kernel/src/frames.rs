//! The physical frame allocator: a singly linked list threaded through the free frames
//! themselves. The first u64 of each free frame holds the next one's physical address; the last
//! holds END_OF_LIST. Phase 1 reaches frames through the bootloader's identity map, phase 2
//! through a one-page window (paging::window).

use crate::bootinfo::{BootInfo, E820_USABLE};
use crate::global::Global;
use crate::inspect;
use crate::layout::{align_down, align_up, PAGE_SIZE};
use crate::paging;

pub const END_OF_LIST: u64 = 0xdead_beef;

#[derive(Clone, Copy, PartialEq)]
enum Access {
    Identity,
    Window,
}

pub struct FrameAllocator {
    head: u64,
    count: u64,
    access: Access,
}

static FRAMES: Global<FrameAllocator> =
    Global::new(FrameAllocator { head: END_OF_LIST, count: 0, access: Access::Identity });

/// Safety: see `Global::get`; the allocator is not re-entered.
pub unsafe fn allocator() -> &'static mut FrameAllocator {
    unsafe { FRAMES.get() }
}

/// Physical ranges [start, end) that must never be handed out.
pub fn reserved_ranges(boot: &BootInfo, boot_info_phys: u64) -> [(u64, u64); 4] {
    [
        (boot.kernel_phys_start, boot.kernel_phys_end),
        (boot_info_phys, boot_info_phys + boot.size()),
        (boot.page_tables_phys_start, boot.page_tables_phys_end),
        (boot.loader_phys_start, boot.loader_phys_end),
    ]
}

fn overlaps(frame: u64, (start, end): (u64, u64)) -> bool {
    frame < end && start < frame + PAGE_SIZE
}

impl FrameAllocator {
    /// Phase 1: links every whole page of every usable E820 region, except the region at 0x0,
    /// pages overlapping any other region type and pages in `reserved`.
    pub fn build(&mut self, boot: &BootInfo, reserved: &[(u64, u64)]) {
        let limit = boot.identity_mapped_end();
        let mut usable = [(0u64, 0u64); crate::bootinfo::E820_MAX];
        let mut usable_count = 0;
        for entry in boot.entries() {
            if entry.kind == E820_USABLE && entry.base != 0 {
                usable[usable_count] = (align_up(entry.base, PAGE_SIZE), align_down(entry.end().min(limit), PAGE_SIZE));
                usable_count += 1;
            }
        }
        let usable = &mut usable[..usable_count];
        usable.sort_unstable_by_key(|range| range.0);

        self.head = END_OF_LIST;
        self.count = 0;
        let mut tail: Option<u64> = None;
        for &(start, end) in usable.iter() {
            let mut frame = start;
            while frame < end {
                let taken = tail.is_some_and(|last| frame <= last)
                    || reserved.iter().any(|&range| overlaps(frame, range))
                    || boot.entries().iter().any(|e| e.kind != E820_USABLE && overlaps(frame, (e.base, e.end())));
                if !taken {
                    match tail {
                        Some(last) => self.write_next(last, frame),
                        None => self.head = frame,
                    }
                    tail = Some(frame);
                    self.count += 1;
                }
                frame += PAGE_SIZE;
            }
        }
        if let Some(last) = tail {
            self.write_next(last, END_OF_LIST);
        }
        self.publish();
    }

    /// Phase 2: frames are reached through the window from now on.
    pub fn use_window(&mut self) {
        self.access = Access::Window;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn head(&self) -> u64 {
        self.head
    }

    pub fn pop(&mut self) -> Option<u64> {
        if self.head == END_OF_LIST {
            return None;
        }
        let frame = self.head;
        self.head = self.read_next(frame);
        self.count -= 1;
        self.publish();
        Some(frame)
    }

    /// Pops frames while each is the previous one + 4 KiB, at most `max`. Returns (base, frames).
    pub fn pop_contiguous(&mut self, max: u64) -> Option<(u64, u64)> {
        let base = self.pop()?;
        let mut frames = 1;
        while frames < max && self.head == base + frames * PAGE_SIZE {
            self.pop();
            frames += 1;
        }
        Some((base, frames))
    }

    /// A zero-filled frame.
    pub fn pop_zeroed(&mut self) -> Option<u64> {
        let frame = self.pop()?;
        match self.access {
            Access::Identity => unsafe { core::ptr::write_bytes(frame as *mut u8, 0, PAGE_SIZE as usize) },
            Access::Window => paging::window_zero(frame),
        }
        Some(frame)
    }

    fn read_next(&self, frame: u64) -> u64 {
        match self.access {
            Access::Identity => unsafe { (frame as *const u64).read_volatile() },
            Access::Window => paging::window_read(frame),
        }
    }

    fn write_next(&self, frame: u64, next: u64) {
        match self.access {
            Access::Identity => unsafe { (frame as *mut u64).write_volatile(next) },
            Access::Window => paging::window_write(frame, next),
        }
    }

    fn publish(&self) {
        inspect::set!(free_list_head_phys, self.head);
        inspect::set!(free_frame_count, self.count);
    }
}
