//! The acme trace reader. Every record read, strictly and leniently; nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::read_all(gigafactory::workload::Format::from_name("acme").unwrap(), data);
});
