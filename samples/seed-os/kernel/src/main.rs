//! seed-os: the Longmode sample kernel (README.md describes the design).
#![no_std]
#![no_main]

extern crate alloc;

mod bootinfo;
mod console;
mod entry;
mod exceptions;
mod frames;
mod fwcfg;
mod gdt;
mod global;
mod handoff;
mod heap;
mod inspect;
mod layout;
mod memfns;
mod paging;
mod phase1;
mod phase2;
mod serial;
mod vga;
mod x86;

use vga::{attribute, Colour};

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    kprintln_coloured!(attribute(Colour::White, Colour::Red), "KERNEL PANIC: {}", info);
    x86::halt_forever()
}
