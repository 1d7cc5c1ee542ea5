//! The boot-info structure the bootloader leaves at 0x1000 (README "The boot-info structure").
//! Phase 1 copies it into the kernel so phase 2 does not need the low mapping.

use crate::global::Global;

pub const E820_MAX: usize = 128;
pub const E820_USABLE: u32 = 1;
const MAGIC: [u8; 8] = *b"LMBOOTI1";

#[repr(C)]
#[derive(Clone, Copy)]
pub struct E820Entry {
    pub base: u64,
    pub length: u64,
    pub kind: u32,
    pub ext_attributes: u32,
}

impl E820Entry {
    pub fn end(&self) -> u64 {
        self.base.saturating_add(self.length)
    }
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct BootInfo {
    pub magic: [u8; 8],
    pub e820_count: u32,
    pub boot_drive: u32,
    pub kernel_phys_start: u64,
    pub kernel_phys_end: u64,
    pub kernel_entry: u64,
    pub pml4_phys: u64,
    pub page_tables_phys_start: u64,
    pub page_tables_phys_end: u64,
    pub loader_phys_start: u64,
    pub loader_phys_end: u64,
    pub e820: [E820Entry; E820_MAX],
}

const EMPTY_ENTRY: E820Entry = E820Entry { base: 0, length: 0, kind: 0, ext_attributes: 0 };

static COPY: Global<BootInfo> = Global::new(BootInfo {
    magic: [0; 8],
    e820_count: 0,
    boot_drive: 0,
    kernel_phys_start: 0,
    kernel_phys_end: 0,
    kernel_entry: 0,
    pml4_phys: 0,
    page_tables_phys_start: 0,
    page_tables_phys_end: 0,
    loader_phys_start: 0,
    loader_phys_end: 0,
    e820: [EMPTY_ENTRY; E820_MAX],
});

static PHYS: Global<u64> = Global::new(0);

impl BootInfo {
    pub fn entries(&self) -> &[E820Entry] {
        &self.e820[..self.e820_count as usize]
    }

    /// Bytes the structure occupies at its physical address.
    pub fn size(&self) -> u64 {
        80 + 24 * u64::from(self.e820_count)
    }

    /// Physical memory the bootloader's identity map covers (1 GiB per page directory).
    pub fn identity_mapped_end(&self) -> u64 {
        let page_directories = (self.page_tables_phys_end - self.page_tables_phys_start) / 4096 - 2;
        page_directories << 30
    }
}

/// Copies the bootloader's structure into the kernel. Phase 1 only (reads through the identity map).
pub fn load(phys: u64) -> Result<&'static BootInfo, &'static str> {
    let copy = unsafe { COPY.get() };
    unsafe {
        let header = phys as *const BootInfo;
        let magic = (&raw const (*header).magic).read_volatile();
        if magic != MAGIC {
            return Err("the boot-info structure has no LMBOOTI1 magic: boot this kernel with the seed-os bootloader");
        }
        let count = (&raw const (*header).e820_count).read_volatile();
        if count as usize > E820_MAX {
            return Err("the boot info lists more than 128 E820 entries");
        }
        let size = 80 + 24 * count as usize;
        core::ptr::copy_nonoverlapping(phys as *const u8, copy as *mut BootInfo as *mut u8, size);
        *PHYS.get() = phys;
    }
    Ok(copy)
}
