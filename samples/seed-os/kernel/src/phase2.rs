//! Phase 2: runs at the high half on the new tables. Prints the banner and a summary, removes
//! the low kernel mapping, proves the kernel still works (vtable calls, formatting), then idles
//! or performs the fault switch it was booted with.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::fwcfg::FaultSwitch;
use crate::handoff::Phase2;
use crate::layout::{HEAP_HIGH_BASE, KERNEL_HIGH_BASE, PAGE_SIZE, RECURSIVE_INDEX, STACK_HIGH_BASE};
use crate::vga::{attribute, Colour};
use crate::{exceptions, frames, gdt, heap, inspect, kprintln, kprintln_coloured, paging, x86};

/// The address the page-fault switch touches (never mapped in phase 2).
pub const FAULT_ADDRESS: u64 = 0xdead_b000;

pub fn run(start: Phase2) -> ! {
    gdt::install();
    exceptions::install();
    unsafe { x86::write_cr0(x86::read_cr0() | x86::CR0_WP) }; // read-only pages bind the kernel too
    unsafe { frames::allocator() }.use_window();
    heap::publish();
    inspect::set!(pml4_phys, start.pml4_phys);
    inspect::set!(phase, 2);

    kprintln_coloured!(attribute(Colour::Yellow, Colour::Blue), "Longmode seed-os: phase 2");
    let rip = x86::rip();
    let rsp = x86::rsp();
    kprintln!("phase 2 rip: {rip:#x}");
    kprintln!("phase 2 rsp: {rsp:#x}");

    grow_heap_once();
    let frames = unsafe { frames::allocator() };
    kprintln!("free frames: {}", frames.count());
    kprintln!("free list head: {:#x}", frames.head());
    kprintln!("heap regions: {}", heap::regions().len());
    for (index, region) in heap::regions().iter().enumerate() {
        kprintln!("heap region {index}: virt {:#x} len {:#x} phys {:#x}", region.virt_base, region.len, region.phys_base);
    }
    kprintln!("recursive index: {RECURSIVE_INDEX}");
    kprintln!("pml4: {:#x}", start.pml4_phys);
    kprintln!("kernel high base: {KERNEL_HIGH_BASE:#x}");
    kprintln!("heap high base: {HEAP_HIGH_BASE:#x}");
    kprintln!("stack high base: {STACK_HIGH_BASE:#x}");

    unmap_low_kernel(&start.kernel_phys);
    kprintln!("low kernel mapping removed: {:#x}..{:#x}", start.kernel_phys.start, start.kernel_phys.end);
    kprintln!("vtable check: {}", describe_all());
    kprintln_coloured!(attribute(Colour::LightGreen, Colour::Black), "phase 2: ready");

    perform(start.fault_switch)
}

/// Extends the heap through the recursive mapping: a second region, virtually contiguous.
fn grow_heap_once() {
    let heap_bytes: u64 = heap::regions().iter().map(|r| r.len).sum();
    let mut big: Vec<u8> = Vec::with_capacity(heap_bytes as usize);
    big.resize(heap_bytes as usize, 0x5a);
    let sum: u64 = big.iter().map(|&b| u64::from(b)).sum();
    assert_eq!(sum, 0x5a * heap_bytes, "the grown heap does not hold what was written");
}

fn unmap_low_kernel(kernel: &core::ops::Range<u64>) {
    let mut page = kernel.start;
    while page < kernel.end {
        paging::unmap(page);
        page += PAGE_SIZE;
    }
    x86::reload_cr3();
    assert!(paging::translate(kernel.start).is_none(), "the low kernel mapping is still there");
    inspect::set!(low_kernel_unmapped, 1);
}

trait Describe {
    fn describe(&self) -> String;
}

struct FreeFrames(u64);
struct HeapRegions(usize);
struct Recursive(u64);

impl Describe for FreeFrames {
    fn describe(&self) -> String {
        format!("{} free frames", self.0)
    }
}

impl Describe for HeapRegions {
    fn describe(&self) -> String {
        format!("{} heap regions", self.0)
    }
}

impl Describe for Recursive {
    fn describe(&self) -> String {
        format!("recursive entry {} at {:#x}", self.0, paging::entry_address(0, 4) as u64 + 8 * self.0)
    }
}

fn describe_all() -> String {
    let items: Vec<Box<dyn Describe>> = alloc::vec![
        Box::new(FreeFrames(unsafe { frames::allocator() }.count())),
        Box::new(HeapRegions(heap::regions().len())),
        Box::new(Recursive(RECURSIVE_INDEX)),
    ];
    items.iter().map(|item| item.describe()).collect::<Vec<_>>().join(", ")
}

fn perform(switch: FaultSwitch) -> ! {
    match switch {
        FaultSwitch::None => x86::halt_forever(),
        FaultSwitch::PageFault => {
            kprintln!("fault switch: page (writing to {FAULT_ADDRESS:#x})");
            unsafe { (FAULT_ADDRESS as *mut u64).write_volatile(1) };
            unreachable!("the write to an unmapped page did not fault")
        }
        FaultSwitch::TripleFault => {
            kprintln!("fault switch: triple (empty IDT, then ud2)");
            exceptions::install_empty();
            unsafe { core::arch::asm!("ud2") };
            unreachable!()
        }
        FaultSwitch::DoubleFault => {
            kprintln!("fault switch: double (stack overflow below {STACK_HIGH_BASE:#x})");
            // The page fault cannot push its frame on the unmapped stack: a double fault, which
            // runs on its own IST stack.
            unsafe { core::arch::asm!("mov rsp, {0}", "push rax", in(reg) STACK_HIGH_BASE, options(noreturn)) }
        }
        FaultSwitch::Spin => {
            kprintln!("fault switch: spin (busy loop, no hlt)");
            loop {
                core::hint::spin_loop();
            }
        }
    }
}
