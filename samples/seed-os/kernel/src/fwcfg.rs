//! QEMU's fw_cfg device (I/O ports 0x510 selector, 0x511 data): reads the fault switch the IDE
//! passes with `-fw_cfg name=opt/longmode/fault,string=page|triple|spin|double`.

use crate::x86::{inb, outw};

const SELECTOR: u16 = 0x510;
const DATA: u16 = 0x511;
const SIGNATURE_KEY: u16 = 0x0000;
const DIRECTORY_KEY: u16 = 0x0019;
pub const FAULT_FILE: &str = "opt/longmode/fault";

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum FaultSwitch {
    None = 0,
    PageFault = 1,
    TripleFault = 2,
    Spin = 3,
    DoubleFault = 4,
}

fn read_bytes(buffer: &mut [u8]) {
    for byte in buffer.iter_mut() {
        *byte = inb(DATA);
    }
}

fn read_be_u32() -> u32 {
    let mut bytes = [0; 4];
    read_bytes(&mut bytes);
    u32::from_be_bytes(bytes)
}

/// Reads the fw_cfg file `name` into `buffer`; returns its length (clipped), or None without it.
pub fn read_file(name: &str, buffer: &mut [u8]) -> Option<usize> {
    outw(SELECTOR, SIGNATURE_KEY);
    let mut signature = [0; 4];
    read_bytes(&mut signature);
    if &signature != b"QEMU" {
        return None;
    }
    outw(SELECTOR, DIRECTORY_KEY);
    let count = read_be_u32();
    for _ in 0..count {
        let size = read_be_u32() as usize;
        let mut select = [0; 2];
        read_bytes(&mut select);
        let mut reserved = [0; 2];
        read_bytes(&mut reserved);
        let mut file_name = [0u8; 56];
        read_bytes(&mut file_name);
        let length = file_name.iter().position(|&b| b == 0).unwrap_or(56);
        if &file_name[..length] == name.as_bytes() {
            outw(SELECTOR, u16::from_be_bytes(select));
            let read = size.min(buffer.len());
            read_bytes(&mut buffer[..read]);
            return Some(read);
        }
    }
    None
}

/// The fault switch for this boot; `Err` holds an unrecognised value.
pub fn fault_switch() -> Result<FaultSwitch, ([u8; 16], usize)> {
    let mut buffer = [0u8; 16];
    let Some(length) = read_file(FAULT_FILE, &mut buffer) else { return Ok(FaultSwitch::None) };
    let value = buffer[..length].trim_ascii_end();
    let value = value.strip_suffix(&[0]).unwrap_or(value);
    match value {
        b"" | b"none" => Ok(FaultSwitch::None),
        b"page" => Ok(FaultSwitch::PageFault),
        b"triple" => Ok(FaultSwitch::TripleFault),
        b"spin" => Ok(FaultSwitch::Spin),
        b"double" => Ok(FaultSwitch::DoubleFault),
        _ => Err((buffer, length)),
    }
}
