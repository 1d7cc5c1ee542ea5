//! COM1 at 0x3f8, 115200 8N1: mirrors everything the console prints.

use crate::x86::{inb, outb};

const COM1: u16 = 0x3f8;
const LINE_STATUS: u16 = COM1 + 5;
const TRANSMIT_EMPTY: u8 = 0x20;

pub fn init() {
    outb(COM1 + 1, 0x00); // no interrupts
    outb(COM1 + 3, 0x80); // divisor latch
    outb(COM1, 0x01); // 115200 baud
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); // 8N1
    outb(COM1 + 2, 0xc7); // FIFO
    outb(COM1 + 4, 0x0b);
}

pub fn write_byte(byte: u8) {
    if byte == b'\n' {
        send(b'\r');
    }
    send(byte);
}

fn send(byte: u8) {
    while inb(LINE_STATUS) & TRANSMIT_EMPTY == 0 {
        core::hint::spin_loop();
    }
    outb(COM1, byte);
}
