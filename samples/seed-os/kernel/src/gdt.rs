//! The kernel's own GDT (code 0x08, data 0x10, TSS 0x18) and the TSS whose IST1 stack the
//! double-fault handler runs on. Installed in both phases (phase 2: at the high addresses).

use core::arch::asm;

use crate::global::Global;
use crate::x86::{lgdt, DescriptorTablePointer};

pub const CODE_SELECTOR: u16 = 0x08;
const DATA_SELECTOR: u16 = 0x10;
const TSS_SELECTOR: u16 = 0x18;
pub const DOUBLE_FAULT_IST: u8 = 1;
const DOUBLE_FAULT_STACK_SIZE: usize = 16 * 1024;

#[repr(C, packed)]
struct TaskStateSegment {
    reserved0: u32,
    privilege_stacks: [u64; 3],
    reserved1: u64,
    interrupt_stacks: [u64; 7],
    reserved2: u64,
    reserved3: u16,
    io_map_base: u16,
}

#[repr(C, align(16))]
struct Stack([u8; DOUBLE_FAULT_STACK_SIZE]);

static TSS: Global<TaskStateSegment> = Global::new(TaskStateSegment {
    reserved0: 0,
    privilege_stacks: [0; 3],
    reserved1: 0,
    interrupt_stacks: [0; 7],
    reserved2: 0,
    reserved3: 0,
    io_map_base: core::mem::size_of::<TaskStateSegment>() as u16,
});
static GDT: Global<[u64; 5]> = Global::new([0; 5]);
static DOUBLE_FAULT_STACK: Global<Stack> = Global::new(Stack([0; DOUBLE_FAULT_STACK_SIZE]));

pub fn install() {
    let tss = unsafe { TSS.get() };
    let stack_top = DOUBLE_FAULT_STACK.ptr() as u64 + DOUBLE_FAULT_STACK_SIZE as u64;
    tss.interrupt_stacks[usize::from(DOUBLE_FAULT_IST - 1)] = stack_top;

    let base = TSS.ptr() as u64;
    let limit = core::mem::size_of::<TaskStateSegment>() as u64 - 1;
    let tss_low = (limit & 0xffff)
        | ((base & 0xff_ffff) << 16)
        | (0x89 << 40) // present, 64-bit TSS (available)
        | (((limit >> 16) & 0xf) << 48)
        | (((base >> 24) & 0xff) << 56);
    let gdt = unsafe { GDT.get() };
    *gdt = [0, 0x00af_9a00_0000_ffff, 0x00cf_9200_0000_ffff, tss_low, base >> 32];

    let pointer = DescriptorTablePointer { limit: (core::mem::size_of::<[u64; 5]>() - 1) as u16, base: GDT.ptr() as u64 };
    unsafe {
        lgdt(&pointer);
        asm!(
            "push {code}",
            "lea {tmp}, [rip + 2f]",
            "push {tmp}",
            "retfq",
            "2:",
            "mov ds, {data:x}",
            "mov es, {data:x}",
            "mov ss, {data:x}",
            "mov fs, {data:x}",
            "mov gs, {data:x}",
            "ltr {tss:x}",
            code = const CODE_SELECTOR as u64,
            tmp = out(reg) _,
            data = in(reg) DATA_SELECTOR as u64,
            tss = in(reg) TSS_SELECTOR as u64,
        );
    }
}
