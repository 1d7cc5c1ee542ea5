//! Phase 1: runs at the identity address on the bootloader's tables. Builds the frame
//! allocator and the heap, then new page tables with a recursive entry, and jumps to phase 2.

use crate::bootinfo::{self, BootInfo};
use crate::fwcfg::{self, FaultSwitch};
use crate::layout::{KernelImage, KERNEL_HIGH_BASE, KERNEL_LINK_BASE, HEAP_HIGH_BASE, PAGE_SIZE, PHYS_WINDOW,
                    RECURSIVE_INDEX, STACK_HIGH_BASE, STACK_SIZE};
use crate::paging::{self, WRITABLE};
use crate::vga::{self, VGA_PHYS};
use crate::{entry, exceptions, frames, gdt, handoff, heap, inspect, kprintln, serial};

pub extern "C" fn phase1_entry(boot_info_phys: u64, relocation_status: u64) -> ! {
    serial::init();
    vga::clear();
    kprintln!("seed-os kernel: phase 1");
    if relocation_status != 0 {
        panic!("unsupported relocation type {relocation_status} in .rela.dyn (only R_X86_64_RELATIVE is handled)");
    }
    gdt::install();
    exceptions::install();
    inspect::set!(boot_info_phys, boot_info_phys);
    inspect::set!(kernel_link_base, KERNEL_LINK_BASE);
    inspect::set!(phase, 1);

    let boot = bootinfo::load(boot_info_phys).unwrap_or_else(|message| panic!("{message}"));
    check_kernel_placement(boot);
    inspect::set!(kernel_phys_start, boot.kernel_phys_start);
    inspect::set!(kernel_phys_end, boot.kernel_phys_end);

    let fault_switch = match fwcfg::fault_switch() {
        Ok(switch) => switch,
        Err((value, length)) => {
            let shown = core::str::from_utf8(&value[..length]).unwrap_or("?");
            kprintln!("unknown fault switch {shown:?} (expected page, triple, spin or double): booting normally");
            FaultSwitch::None
        }
    };
    inspect::set!(fault_switch, fault_switch as u64);

    let frames = unsafe { frames::allocator() };
    frames.build(boot, &frames::reserved_ranges(boot, boot_info_phys));
    kprintln!("phase 1: {} free frames, E820 entries: {}", frames.count(), boot.e820_count);

    heap::init().unwrap_or_else(|message| panic!("{message}"));
    let pml4 = build_phase2_tables(boot, frames);
    kprintln!("phase 1: new PML4 at {:#x}, jumping to the high half", pml4);

    heap::move_to_high(HEAP_HIGH_BASE);
    handoff::prepare(pml4, boot.kernel_phys_start..boot.kernel_phys_end, fault_switch);
    let delta = KERNEL_HIGH_BASE - KERNEL_LINK_BASE;
    let entry = handoff::phase2_entry as *const () as u64 + delta;
    let argument = handoff::RAW.ptr() as u64 + delta;
    inspect::set!(phase2_entry_virt, entry);
    unsafe { entry::enter_high_half(KERNEL_HIGH_BASE, pml4, STACK_HIGH_BASE + STACK_SIZE, entry, argument) }
}

fn check_kernel_placement(boot: &BootInfo) {
    let image = KernelImage::current();
    if image.start != KERNEL_LINK_BASE || boot.kernel_phys_start != KERNEL_LINK_BASE {
        panic!("the kernel must be loaded at its link address {KERNEL_LINK_BASE:#x} (it is at {:#x})", image.start);
    }
    if boot.kernel_phys_end < image.end - PAGE_SIZE {
        panic!("the bootloader loaded less than the kernel image (ends at {:#x})", boot.kernel_phys_end);
    }
}

/// The phase-2 address space: kernel low (identity, removed in phase 2) and high, heap high,
/// stack high, VGA identity, the frame window, and the recursive entry.
fn build_phase2_tables(boot: &BootInfo, frames: &mut frames::FrameAllocator) -> u64 {
    let pml4 = frames.pop_zeroed().expect("no free frame for the PML4");
    paging::install_recursive_entry(pml4);
    let nx = paging::no_execute();

    let image = KernelImage::current();
    let end = crate::layout::align_up(boot.kernel_phys_end.max(image.end), PAGE_SIZE);
    let mut page = image.start;
    while page < end {
        let flags = if page < image.rodata {
            0 // text: read-only, executable
        } else if page < image.data {
            nx // rodata, relocations, GOT, vtables: read-only
        } else {
            WRITABLE | nx
        };
        paging::map_identity_access(pml4, page, page, flags, frames);
        paging::map_identity_access(pml4, KERNEL_HIGH_BASE + (page - image.start), page, flags, frames);
        page += PAGE_SIZE;
    }

    heap::map_high(pml4, HEAP_HIGH_BASE, frames);
    for offset in (0..STACK_SIZE).step_by(PAGE_SIZE as usize) {
        let frame = frames.pop_zeroed().expect("no free frames for the phase-2 stack");
        paging::map_identity_access(pml4, STACK_HIGH_BASE + offset, frame, WRITABLE | nx, frames);
    }
    for offset in (0..0x8000u64).step_by(PAGE_SIZE as usize) {
        paging::map_identity_access(pml4, VGA_PHYS + offset, VGA_PHYS + offset, WRITABLE | nx, frames);
    }
    // The window's page tables must exist before phase 2 can read frames through it.
    paging::map_identity_access(pml4, PHYS_WINDOW, pml4, WRITABLE | nx, frames);

    inspect::set!(recursive_index, RECURSIVE_INDEX);
    inspect::set!(kernel_high_base, KERNEL_HIGH_BASE);
    inspect::set!(heap_high_base, HEAP_HIGH_BASE);
    inspect::set!(stack_high_base, STACK_HIGH_BASE);
    inspect::set!(stack_size, STACK_SIZE);
    pml4
}
