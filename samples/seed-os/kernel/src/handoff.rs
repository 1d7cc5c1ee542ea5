//! Phase 1 → phase 2: the raw values that cross the jump, and the helper that turns them back
//! into safe types on the far side.

use crate::fwcfg::FaultSwitch;
use crate::global::Global;
use crate::layout::KERNEL_HIGH_BASE;

const MAGIC: u64 = u64::from_le_bytes(*b"PHASE2GO");

#[repr(C)]
pub struct RawHandoff {
    magic: u64,
    pml4_phys: u64,
    kernel_phys_start: u64,
    kernel_phys_end: u64,
    fault_switch: u64,
}

pub static RAW: Global<RawHandoff> =
    Global::new(RawHandoff { magic: 0, pml4_phys: 0, kernel_phys_start: 0, kernel_phys_end: 0, fault_switch: 0 });

/// What phase 2 starts with.
pub struct Phase2 {
    pub pml4_phys: u64,
    pub kernel_phys: core::ops::Range<u64>,
    pub fault_switch: FaultSwitch,
}

/// Phase 1: records the values phase 2 needs.
pub fn prepare(pml4_phys: u64, kernel_phys: core::ops::Range<u64>, fault_switch: FaultSwitch) {
    let raw = unsafe { RAW.get() };
    *raw = RawHandoff {
        magic: MAGIC,
        pml4_phys,
        kernel_phys_start: kernel_phys.start,
        kernel_phys_end: kernel_phys.end,
        fault_switch: fault_switch as u64,
    };
}

/// The helper phase 2 is entered through: checks the raw argument and hands phase 2 safe types.
pub extern "C" fn phase2_entry(raw: *const RawHandoff) -> ! {
    let raw = match unsafe { raw.as_ref() } {
        Some(raw) if (raw as *const RawHandoff as u64) >= KERNEL_HIGH_BASE && raw.magic == MAGIC => raw,
        _ => panic!("phase 2 was entered without a valid high-half handoff"),
    };
    let fault_switch = match raw.fault_switch {
        1 => FaultSwitch::PageFault,
        2 => FaultSwitch::TripleFault,
        3 => FaultSwitch::Spin,
        4 => FaultSwitch::DoubleFault,
        _ => FaultSwitch::None,
    };
    crate::phase2::run(Phase2 {
        pml4_phys: raw.pml4_phys,
        kernel_phys: raw.kernel_phys_start..raw.kernel_phys_end,
        fault_switch,
    })
}
