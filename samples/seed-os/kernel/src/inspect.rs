//! `LONGMODE_INSPECT`: the record through which the IDE reads this kernel's state
//! (layout: README "The inspection ABI"). Every field is written with volatile stores.

use crate::global::Global;

#[repr(C)]
pub struct InspectRecord {
    pub magic: [u8; 8],
    pub version: u32,
    pub size: u32,
    pub phase: u64,
    pub boot_info_phys: u64,
    pub free_list_head_phys: u64,
    pub free_frame_count: u64,
    pub heap_regions_phys: u64,
    pub heap_region_count: u64,
    pub recursive_index: u64,
    pub kernel_high_base: u64,
    pub heap_high_base: u64,
    pub stack_high_base: u64,
    pub stack_size: u64,
    pub kernel_phys_start: u64,
    pub kernel_phys_end: u64,
    pub pml4_phys: u64,
    pub kernel_link_base: u64,
    pub heap_regions_virt: u64,
    pub low_kernel_unmapped: u64,
    pub phase2_entry_virt: u64,
    pub fault_switch: u64,
}

const _: () = assert!(core::mem::size_of::<InspectRecord>() == 168);

#[unsafe(no_mangle)]
#[used]
pub static LONGMODE_INSPECT: Global<InspectRecord> = Global::new(InspectRecord {
    magic: *b"LMINSPCT",
    version: 1,
    size: core::mem::size_of::<InspectRecord>() as u32,
    phase: 0,
    boot_info_phys: 0,
    free_list_head_phys: 0xdead_beef,
    free_frame_count: 0,
    heap_regions_phys: 0,
    heap_region_count: 0,
    recursive_index: u64::MAX,
    kernel_high_base: 0,
    heap_high_base: 0,
    stack_high_base: 0,
    stack_size: 0,
    kernel_phys_start: 0,
    kernel_phys_end: 0,
    pml4_phys: 0,
    kernel_link_base: 0,
    heap_regions_virt: 0,
    low_kernel_unmapped: 0,
    phase2_entry_virt: 0,
    fault_switch: 0,
});

/// `inspect::set!(field, value)`: one volatile store into the record.
macro_rules! set {
    ($field:ident, $value:expr) => {
        unsafe {
            (&raw mut (*$crate::inspect::LONGMODE_INSPECT.ptr()).$field).write_volatile($value)
        }
    };
}
pub(crate) use set;
