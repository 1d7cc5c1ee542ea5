//! mini-os kernel: the Longmode toolchain's test fixture. Writes a line to COM1 and halts.
#![no_std]
#![no_main]

mod mem;
mod serial;

/// A marker the ELF tests look up by name.
#[used]
#[unsafe(no_mangle)]
pub static MINI_MARKER: [u8; 8] = *b"MINIOS01";

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    serial::write_str("mini-os: kernel\r\n");
    if cfg!(feature = "loud") {
        serial::write_str("mini-os: loud\r\n");
    }
    serial::write_bytes(&MINI_MARKER);
    halt()
}

fn halt() -> ! {
    loop {
        unsafe { core::arch::asm!("cli; hlt") };
    }
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    serial::write_str("mini-os: panic\r\n");
    halt()
}

#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}
