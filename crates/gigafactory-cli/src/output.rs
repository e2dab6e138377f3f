//! Printing to standard output (the files a run writes are the report crate's `folder`).

use std::io::Write;

/// Print to standard output as `print!` does, except that a reader that has gone
/// (`gigafactory run --json | head`) ends the process quietly with exit 0, as ripgrep
/// does, instead of panicking; any other write error exits 1 with a message.
macro_rules! out {
    ($($t:tt)*) => { $crate::output::to_stdout(format_args!($($t)*)) };
}

/// As [`out!`], with a newline.
macro_rules! outln {
    () => { $crate::output::to_stdout(format_args!("\n")) };
    ($($t:tt)*) => {{
        $crate::output::to_stdout(format_args!($($t)*));
        $crate::output::to_stdout(format_args!("\n"));
    }};
}

pub(crate) use {out, outln};

/// Write `args` to standard output (see [`out!`]).
pub(crate) fn to_stdout(args: std::fmt::Arguments<'_>) {
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_fmt(args).and_then(|()| o.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
