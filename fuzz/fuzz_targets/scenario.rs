//! The scenario reader: TOML parsing, the structural check, validation, the facility
//! model and the economics, and the rendering of every problem found (which slices the
//! text at the problem's span). Nothing may panic, whatever the bytes.
#![no_main]

use gigafactory::catalog::Catalog;
use gigafactory::model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match model::prepare(text, Catalog::builtin()) {
        Ok((_, facility)) => {
            let _ = model::assess(&facility);
        }
        Err(problems) => {
            for p in &problems {
                let _ = p.render("fuzz.toml", text);
            }
        }
    }
});
