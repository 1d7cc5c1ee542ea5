//! The 80x25 VGA text buffer at 0xb8000 (identity-mapped in both phases), with colours.

use crate::global::Global;

pub const VGA_PHYS: u64 = 0xb8000;
const WIDTH: usize = 80;
const HEIGHT: usize = 25;

#[derive(Clone, Copy)]
#[repr(u8)]
#[allow(dead_code)]
pub enum Colour {
    Black = 0,
    Blue = 1,
    Green = 2,
    Cyan = 3,
    Red = 4,
    Magenta = 5,
    Brown = 6,
    LightGrey = 7,
    DarkGrey = 8,
    LightBlue = 9,
    LightGreen = 10,
    LightCyan = 11,
    LightRed = 12,
    Pink = 13,
    Yellow = 14,
    White = 15,
}

pub const fn attribute(foreground: Colour, background: Colour) -> u8 {
    ((background as u8) << 4) | foreground as u8
}

pub const DEFAULT_ATTRIBUTE: u8 = attribute(Colour::LightGrey, Colour::Black);

struct Cursor {
    row: usize,
    column: usize,
    attribute: u8,
}

static CURSOR: Global<Cursor> = Global::new(Cursor { row: 0, column: 0, attribute: DEFAULT_ATTRIBUTE });

fn cell(row: usize, column: usize) -> *mut u16 {
    (VGA_PHYS as usize + 2 * (row * WIDTH + column)) as *mut u16
}

pub fn set_attribute(attribute: u8) {
    unsafe { CURSOR.get() }.attribute = attribute;
}

pub fn clear() {
    for row in 0..HEIGHT {
        blank_row(row);
    }
    let cursor = unsafe { CURSOR.get() };
    cursor.row = 0;
    cursor.column = 0;
}

fn blank_row(row: usize) {
    for column in 0..WIDTH {
        unsafe { cell(row, column).write_volatile(u16::from(DEFAULT_ATTRIBUTE) << 8 | u16::from(b' ')) };
    }
}

pub fn write_byte(byte: u8) {
    let cursor = unsafe { CURSOR.get() };
    match byte {
        b'\n' => {
            cursor.column = 0;
            cursor.row += 1;
        }
        b'\r' => cursor.column = 0,
        _ => {
            if cursor.column == WIDTH {
                cursor.column = 0;
                cursor.row += 1;
            }
            if cursor.row == HEIGHT {
                scroll();
                cursor.row = HEIGHT - 1;
            }
            let shown = if byte.is_ascii() && !byte.is_ascii_control() { byte } else { b'?' };
            unsafe { cell(cursor.row, cursor.column).write_volatile(u16::from(cursor.attribute) << 8 | u16::from(shown)) };
            cursor.column += 1;
        }
    }
    if cursor.row == HEIGHT {
        scroll();
        cursor.row = HEIGHT - 1;
    }
}

fn scroll() {
    for row in 1..HEIGHT {
        for column in 0..WIDTH {
            unsafe { cell(row - 1, column).write_volatile(cell(row, column).read_volatile()) };
        }
    }
    blank_row(HEIGHT - 1);
}
