//! loginfix: finds every browser profile and removes only the cookies, cache and site
//! data that belong to the target domains. The binary is a thin wrapper around
//! [`app::run`]; tests call the same code.
//!
//! Data flows one way: `cli` (a `Job`) → `app` (the front door) → `commands` (the command
//! table; `fleet` for `--all-users`) → `platform` (where things are) → `browser`
//! (profiles and stores) → `stores` (read-only scans) → `plan` → `execute` (the only
//! writer) → `report` → `output`. docs/architecture.md draws it.

// Unit tests build their fixtures freely; the rule of clippy.toml is for product code.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod app;
pub mod browser;
pub mod cli;
pub mod commands;
pub mod confine;
pub mod doctor;
pub mod events;
pub mod execute;
pub mod extensions;
pub mod fatal;
pub mod fleet;
pub mod fsutil;
pub mod i18n;
pub mod interrupt;
pub mod lock;
pub mod output;
pub mod plan;
pub mod platform;
pub mod progress;
pub mod report;
pub mod run_lock;
pub mod scratch;
pub mod sqlite_vfs;
pub mod stores;
pub mod targets;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod users;
pub mod worker;

pub use fatal::Fatal;

#[cfg(test)]
mod testutil {
    //! Helpers shared by the unit tests.

    /// A writer whose bytes the test reads afterwards (an `Output`'s stdout or stderr).
    #[derive(Clone, Default)]
    pub struct Shared(pub std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl std::io::Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Writes a file, creating its parent directories.
    /// A copy of the sample home of `os` (`profiles/<os>`) in `to`.
    pub fn copy_sample(os: &str, to: &std::path::Path) {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("profiles")
            .join(os);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let dest = to.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else if entry.file_type().is_file() {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }

    pub fn write(path: &std::path::Path, data: impl AsRef<[u8]>) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }
}
