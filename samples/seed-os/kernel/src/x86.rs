//! Thin wrappers over the x86-64 instructions the kernel needs.

use core::arch::asm;

pub fn outb(port: u16, value: u8) {
    unsafe { asm!("out dx, al", in("dx") port, in("al") value, options(nomem, nostack)) }
}

pub fn outw(port: u16, value: u16) {
    unsafe { asm!("out dx, ax", in("dx") port, in("ax") value, options(nomem, nostack)) }
}

pub fn inb(port: u16) -> u8 {
    let value: u8;
    unsafe { asm!("in al, dx", out("al") value, in("dx") port, options(nomem, nostack)) }
    value
}

pub fn read_cr0() -> u64 {
    let value: u64;
    unsafe { asm!("mov {}, cr0", out(reg) value, options(nomem, nostack)) }
    value
}

/// Safety: the new CR0 must keep paging, protection and long mode consistent.
pub unsafe fn write_cr0(value: u64) {
    unsafe { asm!("mov cr0, {}", in(reg) value, options(nostack)) }
}

pub fn read_cr2() -> u64 {
    let value: u64;
    unsafe { asm!("mov {}, cr2", out(reg) value, options(nomem, nostack)) }
    value
}

/// Flushes the whole (non-global) TLB.
pub fn reload_cr3() {
    unsafe { asm!("mov {0}, cr3", "mov cr3, {0}", out(reg) _, options(nostack)) }
}

pub fn invlpg(virt: u64) {
    unsafe { asm!("invlpg [{}]", in(reg) virt, options(nostack)) }
}

pub fn rdmsr(msr: u32) -> u64 {
    let (low, high): (u32, u32);
    unsafe { asm!("rdmsr", in("ecx") msr, out("eax") low, out("edx") high, options(nomem, nostack)) }
    (u64::from(high) << 32) | u64::from(low)
}

pub const EFER: u32 = 0xc000_0080;
pub const EFER_NXE: u64 = 1 << 11;
pub const CR0_WP: u64 = 1 << 16;

pub fn rip() -> u64 {
    let value: u64;
    unsafe { asm!("lea {}, [rip]", out(reg) value, options(nomem, nostack)) }
    value
}

pub fn rsp() -> u64 {
    let value: u64;
    unsafe { asm!("mov {}, rsp", out(reg) value, options(nomem, nostack)) }
    value
}

#[repr(C, packed)]
pub struct DescriptorTablePointer {
    pub limit: u16,
    pub base: u64,
}

/// Safety: the table must stay valid (and mapped) while it is loaded.
pub unsafe fn lidt(pointer: &DescriptorTablePointer) {
    unsafe { asm!("lidt [{}]", in(reg) pointer, options(readonly, nostack)) }
}

/// Safety: as for `lidt`; segment registers must be reloaded afterwards.
pub unsafe fn lgdt(pointer: &DescriptorTablePointer) {
    unsafe { asm!("lgdt [{}]", in(reg) pointer, options(readonly, nostack)) }
}

pub fn halt_forever() -> ! {
    loop {
        unsafe { asm!("cli", "hlt", options(nomem, nostack)) }
    }
}
