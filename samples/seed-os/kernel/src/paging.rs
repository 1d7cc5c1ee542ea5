//! 4-level page tables. Phase 1 writes the new tables through the bootloader's identity map;
//! phase 2 edits the live tables through the recursive PML4 entry (RECURSIVE_INDEX).

use crate::frames::FrameAllocator;
use crate::layout::{PAGE_SIZE, PHYS_WINDOW, RECURSIVE_INDEX};
use crate::x86;

pub const PRESENT: u64 = 1;
pub const WRITABLE: u64 = 1 << 1;
pub const NO_EXECUTE: u64 = 1 << 63;
pub const ADDRESS_MASK: u64 = 0x000f_ffff_ffff_f000;

/// NX is only legal when the bootloader could set EFER.NXE.
pub fn no_execute() -> u64 {
    if x86::rdmsr(x86::EFER) & x86::EFER_NXE != 0 { NO_EXECUTE } else { 0 }
}

fn index(virt: u64, level: u32) -> usize {
    ((virt >> (12 + 9 * (level - 1))) & 511) as usize
}

fn sign_extend(address: u64) -> u64 {
    if address & (1 << 47) != 0 { address | 0xffff_0000_0000_0000 } else { address }
}

// ---------------------------------------------------------------- phase 1: identity access

/// Maps one 4 KiB page in the tables rooted at `pml4` (phase 1: tables reached by identity).
pub fn map_identity_access(pml4: u64, virt: u64, phys: u64, flags: u64, frames: &mut FrameAllocator) {
    let mut table = pml4;
    for level in [4, 3, 2] {
        let entry = (table + 8 * index(virt, level) as u64) as *mut u64;
        let mut value = unsafe { entry.read_volatile() };
        if value & PRESENT == 0 {
            let frame = frames.pop_zeroed().expect("out of physical frames while building page tables");
            value = frame | PRESENT | WRITABLE;
            unsafe { entry.write_volatile(value) };
        }
        table = value & ADDRESS_MASK;
    }
    let entry = (table + 8 * index(virt, 1) as u64) as *mut u64;
    unsafe { entry.write_volatile(phys | flags | PRESENT) };
}

/// Phase 1: installs the recursive entry in a new PML4.
pub fn install_recursive_entry(pml4: u64) {
    let entry = (pml4 + 8 * RECURSIVE_INDEX) as *mut u64;
    unsafe { entry.write_volatile(pml4 | PRESENT | WRITABLE | no_execute()) };
}

// ---------------------------------------------------------------- phase 2: recursive access

/// Virtual address of the entry that maps `virt` at `level` (1 = PTE ... 4 = PML4E).
pub fn entry_address(virt: u64, level: u32) -> *mut u64 {
    let r = RECURSIVE_INDEX;
    let mut base = r << 39;
    for step in 1..level {
        base |= r << (39 - 9 * step);
    }
    let shift = 12 + 9 * (level - 1);
    let bits = 9 * (5 - level);
    let slot = (virt >> shift) & ((1u64 << bits) - 1);
    sign_extend(base + slot * 8) as *mut u64
}

/// Virtual address (through the recursive entry) of the table that `entry` points to.
fn table_behind(entry: *mut u64) -> u64 {
    sign_extend(((entry as u64) << 9) & 0x0000_ffff_ffff_f000)
}

/// Phase 2: maps one page in the live tables, creating missing tables from `frames`.
pub fn map(virt: u64, phys: u64, flags: u64, frames: &mut FrameAllocator) {
    for level in [4, 3, 2] {
        let entry = entry_address(virt, level);
        if unsafe { entry.read_volatile() } & PRESENT == 0 {
            let frame = frames.pop().expect("out of physical frames while mapping a page");
            unsafe { entry.write_volatile(frame | PRESENT | WRITABLE) };
            let table = table_behind(entry);
            x86::invlpg(table);
            unsafe { core::ptr::write_bytes(table as *mut u8, 0, PAGE_SIZE as usize) };
        }
    }
    unsafe { entry_address(virt, 1).write_volatile(phys | flags | PRESENT) };
    x86::invlpg(virt);
}

/// Phase 2: removes the mapping of one page; returns the frame it pointed to.
pub fn unmap(virt: u64) -> Option<u64> {
    for level in [4, 3, 2] {
        if unsafe { entry_address(virt, level).read_volatile() } & PRESENT == 0 {
            return None;
        }
    }
    let entry = entry_address(virt, 1);
    let old = unsafe { entry.read_volatile() };
    unsafe { entry.write_volatile(0) };
    x86::invlpg(virt);
    (old & PRESENT != 0).then_some(old & ADDRESS_MASK)
}

/// Phase 2: the physical address `virt` maps to, if any (4 KiB pages only).
pub fn translate(virt: u64) -> Option<u64> {
    for level in [4, 3, 2, 1] {
        let value = unsafe { entry_address(virt, level).read_volatile() };
        if value & PRESENT == 0 {
            return None;
        }
        if level == 1 {
            return Some((value & ADDRESS_MASK) + (virt & (PAGE_SIZE - 1)));
        }
    }
    None
}

// ---------------------------------------------------------------- phase 2: the frame window

/// Points the window page at `frame` (its page tables exist since phase 1) and returns it.
fn window(frame: u64) -> *mut u64 {
    unsafe { entry_address(PHYS_WINDOW, 1).write_volatile(frame | PRESENT | WRITABLE | no_execute()) };
    x86::invlpg(PHYS_WINDOW);
    PHYS_WINDOW as *mut u64
}

pub fn window_read(frame: u64) -> u64 {
    unsafe { window(frame).read_volatile() }
}

pub fn window_write(frame: u64, value: u64) {
    unsafe { window(frame).write_volatile(value) }
}

pub fn window_zero(frame: u64) {
    unsafe { core::ptr::write_bytes(window(frame) as *mut u8, 0, PAGE_SIZE as usize) }
}
