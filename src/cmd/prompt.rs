//! Asking for a password on the terminal, without echo (Linux: termios through rustix).
//! Without a terminal (a pipe, CI) the user is told to use `--password-env` or
//! `--password-file` instead.

use crate::error::{Error, Result};

fn no_terminal() -> Error {
    Error::Usage(
        "no terminal to ask the key file's password on; give --password-env VAR or \
         --password-file FILE"
            .into(),
    )
}

/// Reads one line from the terminal with echo off.
#[cfg(target_os = "linux")]
pub(super) fn read_password(prompt: &str) -> Result<String> {
    use rustix::termios::{tcgetattr, tcsetattr, LocalModes, OptionalActions};
    use std::io::Write;
    let stdin = std::io::stdin();
    if !rustix::termios::isatty(&stdin) {
        return Err(no_terminal());
    }
    let before = tcgetattr(&stdin).map_err(|_| no_terminal())?;
    let mut quiet = before.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    quiet.local_modes.insert(LocalModes::ECHONL);
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    tcsetattr(&stdin, OptionalActions::Now, &quiet).map_err(|_| no_terminal())?;
    let mut line = String::new();
    let read = stdin.read_line(&mut line);
    let _ = tcsetattr(&stdin, OptionalActions::Now, &before);
    read.map_err(|source| Error::Io {
        path: "<terminal>".into(),
        source,
    })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Reads one line from the terminal with echo off (not available here).
#[cfg(not(target_os = "linux"))]
pub(super) fn read_password(_prompt: &str) -> Result<String> {
    Err(no_terminal())
}
