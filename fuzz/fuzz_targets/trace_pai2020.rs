//! Alibaba PAI 2020: the input is the job table, a NUL byte, then the task table. Every record read, strictly and leniently; nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::read_all(gigafactory::workload::Format::from_name("pai2020").unwrap(), data);
});
