//! mini-os kernel: the Longmode toolchain's test fixture. Writes a line to COM1 and halts.
#![no_std]
#![no_main]

mod mem;
mod serial;

/// A marker the ELF tests look up by name.
#[used]
#[unsafe(no_mangle)]
pub static MINI_MARKER: [u8; 8] = *b"MINIOS01";

/// Pointers in data: a position-independent build turns each into an R_X86_64_RELATIVE relocation.
#[used]
#[unsafe(no_mangle)]
pub static MINI_GREETINGS: [&str; 2] = ["mini-os: hello\r\n", "mini-os: again\r\n"];

/// Present only in builds with the `loud` feature (the toolchain tests check features reach cargo).
#[cfg(feature = "loud")]
#[used]
#[unsafe(no_mangle)]
pub static MINI_LOUD: u8 = 1;

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    for greeting in unsafe { core::ptr::read_volatile(&raw const MINI_GREETINGS) } {
        serial::write_str(greeting);
    }
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
