//! Where things live (README "Memory layout").

/// The address linker.ld links the kernel at; the bootloader loads it there (identity).
pub const KERNEL_LINK_BASE: u64 = 0x10_0000;
/// Phase 2: the kernel's first byte (KERNEL_LINK_BASE) is mapped here (PML4 511).
pub const KERNEL_HIGH_BASE: u64 = 0xffff_ffff_8000_0000;
/// Phase 2: the heap's regions, one after the other (PML4 256).
pub const HEAP_HIGH_BASE: u64 = 0xffff_8000_0000_0000;
/// Phase 2: the stack's lowest byte (PML4 509); nothing is mapped below it.
pub const STACK_HIGH_BASE: u64 = 0xffff_fe80_0000_0000;
pub const STACK_SIZE: u64 = 64 * 1024;
/// The PML4 entry that points at the PML4 itself.
pub const RECURSIVE_INDEX: u64 = 510;
/// Phase 2: one page the kernel points at any frame to read or write it (PML4 508).
pub const PHYS_WINDOW: u64 = 0xffff_fe00_0000_0000;

pub const PAGE_SIZE: u64 = 4096;

pub const fn align_down(value: u64, align: u64) -> u64 {
    value & !(align - 1)
}

pub const fn align_up(value: u64, align: u64) -> u64 {
    align_down(value + align - 1, align)
}

/// The kernel image's segment boundaries, as linked (see linker.ld).
#[derive(Clone, Copy)]
pub struct KernelImage {
    pub start: u64,
    pub rodata: u64,
    pub data: u64,
    pub end: u64,
}

unsafe extern "C" {
    static __kernel_start: u8;
    static __rodata_start: u8;
    static __data_start: u8;
    static __kernel_end: u8;
}

impl KernelImage {
    /// The boundaries at the addresses the kernel currently runs at.
    pub fn current() -> Self {
        KernelImage {
            start: &raw const __kernel_start as u64,
            rodata: &raw const __rodata_start as u64,
            data: &raw const __data_start as u64,
            end: &raw const __kernel_end as u64,
        }
    }
}
