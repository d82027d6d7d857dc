//! `loginfix completions SHELL` and `loginfix man`: generated from the clap definitions
//! (`clap_complete`, `clap_mangen`), so they can never disagree with what is parsed.

use std::io;

/// The completion script for `shell`.
pub fn completions(mut cmd: clap::Command, shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    let name = cmd.get_name().to_string();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out
}

/// The man page (section 1, roff) of the program, or of its subcommand `sub`
/// (`loginfix-clear-cookies(1)`, with the global options it takes).
pub fn man(mut cmd: clap::Command, sub: Option<&str>) -> io::Result<Vec<u8>> {
    // Building propagates the global options and names the subcommands' pages.
    cmd.build();
    let page = match sub {
        None => cmd,
        Some(name) => cmd
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no command {name}")))?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    Ok(out)
}
