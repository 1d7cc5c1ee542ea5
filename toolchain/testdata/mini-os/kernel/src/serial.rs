//! COM1 output by polling.

const COM1: u16 = 0x3F8;

pub fn write_bytes(bytes: &[u8]) {
    for &b in bytes {
        unsafe { core::arch::asm!("out dx, al", in("dx") COM1, in("al") b) };
    }
}

pub fn write_str(s: &str) {
    write_bytes(s.as_bytes());
}
