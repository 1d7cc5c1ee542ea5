//! The IDT for the 32 CPU exceptions. Every handler prints one line on VGA and COM1,
//! `EXCEPTION vector=14 name=page-fault error=0x2 rip=0x... cr2=0x...`, then halts. The double
//! fault runs on its own IST stack.

use core::arch::global_asm;

use crate::gdt;
use crate::global::Global;
use crate::vga::{attribute, Colour};
use crate::x86::{self, lidt, DescriptorTablePointer};

global_asm!(
    r#"
    .macro SEED_STUB vector, has_error
    .balign 16
    seed_exception_stub_\vector:
    .if \has_error == 0
        push 0
    .endif
        push \vector
        jmp seed_exception_common
    .endm

    .section .text.seed_exceptions, "ax"
    SEED_STUB 0, 0
    SEED_STUB 1, 0
    SEED_STUB 2, 0
    SEED_STUB 3, 0
    SEED_STUB 4, 0
    SEED_STUB 5, 0
    SEED_STUB 6, 0
    SEED_STUB 7, 0
    SEED_STUB 8, 1
    SEED_STUB 9, 0
    SEED_STUB 10, 1
    SEED_STUB 11, 1
    SEED_STUB 12, 1
    SEED_STUB 13, 1
    SEED_STUB 14, 1
    SEED_STUB 15, 0
    SEED_STUB 16, 0
    SEED_STUB 17, 1
    SEED_STUB 18, 0
    SEED_STUB 19, 0
    SEED_STUB 20, 0
    SEED_STUB 21, 1
    SEED_STUB 22, 0
    SEED_STUB 23, 0
    SEED_STUB 24, 0
    SEED_STUB 25, 0
    SEED_STUB 26, 0
    SEED_STUB 27, 0
    SEED_STUB 28, 0
    SEED_STUB 29, 1
    SEED_STUB 30, 1
    SEED_STUB 31, 0

    seed_exception_common:
        push rax
        push rbx
        push rcx
        push rdx
        push rsi
        push rdi
        push rbp
        push r8
        push r9
        push r10
        push r11
        push r12
        push r13
        push r14
        push r15
        mov rdi, rsp
        and rsp, -16
        call {handler}
        ud2

    .section .text.seed_exceptions, "ax"
    .balign 16
    .global seed_exception_stubs_start
    seed_exception_stubs_start = seed_exception_stub_0
    "#,
    handler = sym exception_handler,
);

unsafe extern "C" {
    static seed_exception_stubs_start: u8;
}

const STUB_STRIDE: u64 = 16;

#[repr(C)]
struct ExceptionFrame {
    registers: [u64; 15],
    vector: u64,
    error: u64,
    rip: u64,
    cs: u64,
    rflags: u64,
    rsp: u64,
    ss: u64,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct Gate {
    offset_low: u16,
    selector: u16,
    ist: u8,
    kind: u8,
    offset_mid: u16,
    offset_high: u32,
    reserved: u32,
}

static IDT: Global<[Gate; 32]> = Global::new([Gate { offset_low: 0, selector: 0, ist: 0, kind: 0, offset_mid: 0, offset_high: 0, reserved: 0 }; 32]);

pub const NAMES: [&str; 32] = [
    "divide-error", "debug", "nmi", "breakpoint", "overflow", "bound-range", "invalid-opcode",
    "device-not-available", "double-fault", "coprocessor-segment-overrun", "invalid-tss",
    "segment-not-present", "stack-segment-fault", "general-protection", "page-fault", "reserved-15",
    "x87-floating-point", "alignment-check", "machine-check", "simd-floating-point", "virtualization",
    "control-protection", "reserved-22", "reserved-23", "reserved-24", "reserved-25", "reserved-26",
    "reserved-27", "hypervisor-injection", "vmm-communication", "security", "reserved-31",
];

/// Loads the IDT with the stubs at the addresses the kernel runs at now.
pub fn install() {
    let first = &raw const seed_exception_stubs_start as u64;
    let idt = unsafe { IDT.get() };
    for (vector, gate) in idt.iter_mut().enumerate() {
        let handler = first + vector as u64 * STUB_STRIDE;
        *gate = Gate {
            offset_low: handler as u16,
            selector: gdt::CODE_SELECTOR,
            ist: if vector == 8 { gdt::DOUBLE_FAULT_IST } else { 0 },
            kind: 0x8e, // present, ring 0, 64-bit interrupt gate
            offset_mid: (handler >> 16) as u16,
            offset_high: (handler >> 32) as u32,
            reserved: 0,
        };
    }
    let pointer = DescriptorTablePointer { limit: (core::mem::size_of::<[Gate; 32]>() - 1) as u16, base: IDT.ptr() as u64 };
    unsafe { lidt(&pointer) };
}

/// Loads an empty IDT: the next exception becomes a triple fault.
pub fn install_empty() {
    let pointer = DescriptorTablePointer { limit: 0, base: 0 };
    unsafe { lidt(&pointer) };
}

extern "C" fn exception_handler(frame: &ExceptionFrame) -> ! {
    let vector = frame.vector as usize;
    let name = NAMES.get(vector).copied().unwrap_or("unknown");
    crate::kprintln_coloured!(
        attribute(Colour::White, Colour::Red),
        "EXCEPTION vector={} name={} error={:#x} rip={:#x} cr2={:#x}",
        vector, name, frame.error, frame.rip, x86::read_cr2()
    );
    x86::halt_forever()
}
