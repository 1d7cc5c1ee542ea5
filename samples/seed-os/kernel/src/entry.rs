//! The kernel's first instructions and the jump to the high half, in assembly because both run
//! while the kernel's own relocated pointers are wrong: before the first relocation pass and
//! between the second pass (high addresses) and the CR3 switch.

use core::arch::global_asm;

use crate::global::Global;
use crate::layout::KERNEL_LINK_BASE;

const BOOT_STACK_SIZE: usize = 64 * 1024;

#[repr(C, align(16))]
pub struct BootStack([u8; BOOT_STACK_SIZE]);

pub static BOOT_STACK: Global<BootStack> = Global::new(BootStack([0; BOOT_STACK_SIZE]));

global_asm!(
    r#"
    .section .text.entry, "ax"
    .global _start
    _start:
        cli
        cld
        mov r12, rdi                            /* boot info (physical) */
        lea rsp, [rip + {stack} + {stack_size}]
        lea rdi, [rip + __kernel_start]         /* runs where it is linked: relocate for here */
        mov rsi, rdi
        call seed_apply_relocations
        mov rdi, r12
        mov rsi, rax                            /* 0 ok, else the unsupported relocation type */
        call {phase1}
    1:  hlt
        jmp 1b

    /* rdi = where the image is now, rsi = base it will run at. Applies every
       R_X86_64_RELATIVE (place += base - link base); returns 0, or the first other type. */
    .global seed_apply_relocations
    seed_apply_relocations:
        lea rcx, [rip + __rela_start]
        lea rdx, [rip + __rela_end]
        mov r8, {link_base}
    2:  cmp rcx, rdx
        jae 3f
        mov eax, dword ptr [rcx + 8]
        cmp eax, 8
        jne 4f
        mov r9, [rcx]
        sub r9, r8
        add r9, rdi
        mov r10, [rcx + 16]
        sub r10, r8
        add r10, rsi
        mov [r9], r10
        add rcx, 24
        jmp 2b
    3:  xor eax, eax
    4:  ret

    /* rdi = high base, rsi = new CR3, rdx = stack top, rcx = phase-2 entry (high),
       r8 = its argument (high). Relocates for the high base through the bootloader's identity
       map, switches CR3 and the stack, and jumps. Never returns. */
    .global seed_enter_high_half
    seed_enter_high_half:
        mov r12, rsi
        mov r13, rdx
        mov r14, rcx
        mov r15, r8
        mov rsi, rdi
        lea rdi, [rip + __kernel_start]
        call seed_apply_relocations
        mov cr3, r12
        mov rsp, r13
        xor ebp, ebp
        push 0                                  /* no return address: phase 2 never returns */
        mov rdi, r15
        jmp r14
    "#,
    stack = sym BOOT_STACK,
    stack_size = const BOOT_STACK_SIZE,
    phase1 = sym crate::phase1::phase1_entry,
    link_base = const KERNEL_LINK_BASE,
);

unsafe extern "C" {
    fn seed_enter_high_half(high_base: u64, cr3: u64, stack_top: u64, entry: u64, argument: u64) -> !;
}

/// Safety: the tables at `cr3` map the kernel low and high, the stack and the argument; after
/// this call every relocated pointer is a high address.
pub unsafe fn enter_high_half(high_base: u64, cr3: u64, stack_top: u64, entry: u64, argument: u64) -> ! {
    unsafe { seed_enter_high_half(high_base, cr3, stack_top, entry, argument) }
}
