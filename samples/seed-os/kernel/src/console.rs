//! `kprintln!`: prints on VGA and COM1 at once.

use core::fmt::{self, Write};

use crate::{serial, vga};

struct Console;

impl Write for Console {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for byte in text.bytes() {
            serial::write_byte(byte);
            vga::write_byte(byte);
        }
        Ok(())
    }
}

pub fn print(args: fmt::Arguments) {
    let _ = Console.write_fmt(args);
}

/// Prints with the given VGA attribute, then returns to the default colours.
pub fn print_coloured(attribute: u8, args: fmt::Arguments) {
    vga::set_attribute(attribute);
    print(args);
    vga::set_attribute(vga::DEFAULT_ATTRIBUTE);
}

#[macro_export]
macro_rules! kprintln {
    ($($arg:tt)*) => {
        $crate::console::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

#[macro_export]
macro_rules! kprintln_coloured {
    ($attribute:expr, $($arg:tt)*) => {
        $crate::console::print_coloured($attribute, format_args!("{}\n", format_args!($($arg)*)))
    };
}
