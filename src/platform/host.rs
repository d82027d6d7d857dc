//! The OS calls the tool needs (locks, owners, modes, handles, the registry, the console),
//! each with its Unix and Windows forms side by side, so no other module needs a `cfg`.

use std::path::{Path, PathBuf};

// The Windows registry (doctor's policies and proxy settings).

/// A registry hive doctor reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hive {
    LocalMachine,
    CurrentUser,
    /// A signed-in user's, by SID (`HKEY_USERS\<SID>`): read as SYSTEM for their home.
    Users(String),
}

impl Hive {
    pub fn prefix(&self) -> String {
        match self {
            Hive::LocalMachine => "HKLM".into(),
            Hive::CurrentUser => "HKCU".into(),
            Hive::Users(sid) => format!("HKU\\{sid}"),
        }
    }
}

/// What reading a registry key gave.
#[derive(Debug)]
pub enum RegistryRead {
    /// Not a Windows build: there is no registry to read.
    Unavailable,
    /// The key does not exist.
    Missing,
    /// The key as JSON: values by name (strings, numbers, string lists), subkeys as
    /// objects; a subkey whose values are all named `1`, `2`, ... (how list policies are
    /// written) becomes an array in that order.
    Tree(serde_json::Value),
    Failed(String),
}

/// Subkey depth read below the key: policies nest at most a few levels.
const REGISTRY_DEPTH: usize = 6;

/// Reads `path` (`SOFTWARE\Policies\Google\Chrome`) of `hive` as a JSON tree.
pub fn registry_tree(hive: &Hive, path: &str) -> RegistryRead {
    #[cfg(windows)]
    {
        use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS, KEY_READ};
        let (root, path) = match hive {
            Hive::LocalMachine => (HKEY_LOCAL_MACHINE, path.to_string()),
            Hive::CurrentUser => (HKEY_CURRENT_USER, path.to_string()),
            Hive::Users(sid) => (HKEY_USERS, format!("{sid}\\{path}")),
        };
        match winreg::RegKey::predef(root).open_subkey_with_flags(path, KEY_READ) {
            Ok(key) => RegistryRead::Tree(registry_json(&key, REGISTRY_DEPTH)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => RegistryRead::Missing,
            Err(e) => RegistryRead::Failed(e.to_string()),
        }
    }
    #[cfg(not(windows))]
    {
        let _ = (hive, path, REGISTRY_DEPTH);
        RegistryRead::Unavailable
    }
}

/// The SID of the user whose home `home` is, when their registry hive is loaded
/// (`HKEY_USERS\<SID>`: they are signed in, or a service holds their profile); `None`
/// otherwise and off Windows, when their `NTUSER.DAT` is read from disk instead.
pub fn loaded_user_hive(home: &Path) -> Option<String> {
    #[cfg(windows)]
    {
        let dir = super::as_user::open_dir(home).ok()?;
        let sid = super::token::home_sid(home, &dir)?;
        winreg::RegKey::predef(winreg::enums::HKEY_USERS)
            .open_subkey_with_flags(&sid, winreg::enums::KEY_READ)
            .ok()
            .map(|_| sid)
    }
    #[cfg(not(windows))]
    {
        let _ = home;
        None
    }
}

/// `HKLM\SOFTWARE\loginfix`, where a clean requested on this Windows machine is marked:
/// only administrators and SYSTEM may write there, so no user can ask for a clean of
/// everyone's data.
pub const REQUEST_KEY: &str = "SOFTWARE\\loginfix";
/// The value under [`REQUEST_KEY`]: when the clean was requested (RFC 3339).
pub const REQUEST_VALUE: &str = "FixRequested";

/// The request marker in the registry: `Ok(Some(when))` when set, `Ok(None)` when not,
/// `Err` when it cannot be read; `None` off Windows (the marker is a file there).
pub fn registry_request() -> Option<std::io::Result<Option<String>>> {
    #[cfg(windows)]
    {
        use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ};
        let root = winreg::RegKey::predef(HKEY_LOCAL_MACHINE);
        Some(match root.open_subkey_with_flags(REQUEST_KEY, KEY_READ) {
            Ok(key) => match key.get_value::<String, _>(REQUEST_VALUE) {
                Ok(v) => Ok(Some(v)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        })
    }
    #[cfg(not(windows))]
    {
        None
    }
}

/// Sets (`Some(when)`) or clears (`None`) the request marker in the registry; `None` off
/// Windows.
pub fn set_registry_request(when: Option<&str>) -> Option<std::io::Result<()>> {
    #[cfg(windows)]
    {
        use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_SET_VALUE};
        let root = winreg::RegKey::predef(HKEY_LOCAL_MACHINE);
        Some(match when {
            Some(when) => root
                .create_subkey(REQUEST_KEY)
                .and_then(|(key, _)| key.set_value(REQUEST_VALUE, &when.to_string())),
            None => match root.open_subkey_with_flags(REQUEST_KEY, KEY_SET_VALUE) {
                Ok(key) => match key.delete_value(REQUEST_VALUE) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e),
            },
        })
    }
    #[cfg(not(windows))]
    {
        let _ = when;
        None
    }
}

/// A key's values and subkeys as one JSON value: an object, or an array when every name
/// is a number (`1`, `2`, ...: how list policies are written), in that order. Shared by
/// the live registry and hive files (`doctor::regf`).
pub fn registry_value(map: serde_json::Map<String, serde_json::Value>) -> serde_json::Value {
    use serde_json::Value;
    let numbered: Option<Vec<(u32, Value)>> = map
        .iter()
        .map(|(k, v)| k.parse::<u32>().ok().map(|n| (n, v.clone())))
        .collect();
    match numbered {
        Some(mut items) if !items.is_empty() => {
            items.sort_by_key(|(n, _)| *n);
            Value::Array(items.into_iter().map(|(_, v)| v).collect())
        }
        _ => Value::Object(map),
    }
}

#[cfg(windows)]
fn registry_json(key: &winreg::RegKey, depth: usize) -> serde_json::Value {
    use serde_json::Value;
    use winreg::enums::RegType;
    use winreg::types::FromRegValue;
    let mut map = serde_json::Map::new();
    // Bounded: a policy key holds tens of values, not millions.
    for (name, value) in key.enum_values().filter_map(Result::ok).take(10_000) {
        let v = match value.vtype {
            RegType::REG_DWORD | RegType::REG_DWORD_BIG_ENDIAN => {
                u32::from_reg_value(&value).ok().map(Value::from)
            }
            RegType::REG_QWORD => u64::from_reg_value(&value).ok().map(Value::from),
            RegType::REG_MULTI_SZ => Vec::<String>::from_reg_value(&value)
                .ok()
                .map(|l| Value::Array(l.into_iter().map(Value::String).collect())),
            RegType::REG_SZ | RegType::REG_EXPAND_SZ => {
                String::from_reg_value(&value).ok().map(Value::String)
            }
            _ => None,
        };
        if let Some(v) = v {
            map.insert(name, v);
        }
    }
    if depth > 0 {
        for name in key.enum_keys().filter_map(Result::ok).take(1_000) {
            if let Ok(sub) = key.open_subkey_with_flags(&name, winreg::enums::KEY_READ) {
                map.insert(name, registry_json(&sub, depth - 1));
            }
        }
    }
    registry_value(map)
}

/// A network adapter that is up, as Windows lists it: its friendly name, the driver's
/// description and its interface type (IANA ifType: 23 PPP, 53 virtual, 131 tunnel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adapter {
    pub name: String,
    pub description: String,
    pub if_type: u32,
}

/// The adapters of this Windows machine that are up (`GetAdaptersAddresses`); `None` off
/// Windows or when they cannot be listed.
pub fn adapters_up() -> Option<Vec<Adapter>> {
    #[cfg(windows)]
    {
        use windows_sys::Win32::NetworkManagement::IpHelper::{
            GetAdaptersAddresses, GAA_FLAG_SKIP_ANYCAST, GAA_FLAG_SKIP_DNS_SERVER,
            GAA_FLAG_SKIP_MULTICAST, IP_ADAPTER_ADDRESSES_LH,
        };
        use windows_sys::Win32::NetworkManagement::Ndis::IfOperStatusUp;
        const AF_UNSPEC: u32 = 0;
        const ERROR_BUFFER_OVERFLOW: u32 = 111;
        let flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
        let mut size: u32 = 16 * 1024;
        for _ in 0..4 {
            // u64 words: the list's structures need 8-byte alignment.
            let mut buf = vec![0u64; (size as usize).div_ceil(8)];
            let first = buf.as_mut_ptr().cast::<IP_ADAPTER_ADDRESSES_LH>();
            // SAFETY: a buffer of `size` bytes; Windows fills it with a linked list that
            // lives in it, read below while `buf` is alive.
            let rc = unsafe {
                GetAdaptersAddresses(AF_UNSPEC, flags, std::ptr::null(), first, &mut size)
            };
            if rc == ERROR_BUFFER_OVERFLOW {
                continue;
            }
            if rc != 0 {
                return None;
            }
            let wide = |p: *const u16| -> String {
                if p.is_null() {
                    return String::new();
                }
                // SAFETY: a NUL-terminated string inside `buf`.
                unsafe {
                    let len = (0..).take_while(|&i| *p.add(i) != 0).count();
                    String::from_utf16_lossy(std::slice::from_raw_parts(p, len))
                }
            };
            let mut out = Vec::new();
            let mut at = first.cast_const();
            while !at.is_null() {
                // SAFETY: a node of the list Windows wrote into `buf`.
                let a = unsafe { &*at };
                if a.OperStatus == IfOperStatusUp {
                    out.push(Adapter {
                        name: wide(a.FriendlyName),
                        description: wide(a.Description),
                        if_type: a.IfType,
                    });
                }
                at = a.Next;
            }
            return Some(out);
        }
        None
    }
    #[cfg(not(windows))]
    {
        None
    }
}

/// The VPN services of this Mac and their state, as `scutil --nc list` prints them;
/// `None` off macOS or when it cannot be run.
pub fn scutil_nc_list() -> Option<String> {
    #[cfg(target_os = "macos")]
    {
        let out = std::process::Command::new("/usr/sbin/scutil")
            .args(["--nc", "list"])
            .stdin(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
    #[cfg(not(target_os = "macos"))]
    {
        None
    }
}

/// The OS's UI language as a locale name (`ja-JP`, `en_US`), where it lives outside the
/// environment: Windows' and Linux desktops' through `sys-locale`; on macOS the user's
/// `~/Library/Preferences/.GlobalPreferences.plist` (`AppleLanguages`' first, else
/// `AppleLocale`), read with the `plist` crate rather than CoreFoundation.
pub fn ui_locale() -> Option<String> {
    #[cfg(target_vendor = "apple")]
    {
        let home = std::env::var_os("HOME")?;
        let file = Path::new(&home).join("Library/Preferences/.GlobalPreferences.plist");
        let value = plist::Value::from_file(file).ok()?;
        let dict = value.as_dictionary()?;
        dict.get("AppleLanguages")
            .and_then(|l| l.as_array()?.first()?.as_string().map(str::to_string))
            .or_else(|| dict.get("AppleLocale")?.as_string().map(str::to_string))
    }
    #[cfg(not(target_vendor = "apple"))]
    {
        sys_locale::get_locale()
    }
}

/// Runs `handler` on a thread of its own at each Ctrl-C, SIGTERM and SIGHUP (and the
/// Windows console's close and break events), so it may take locks and remove files.
/// `false` when a handler could not be set. `ctrlc` (with `termination`) everywhere but
/// Apple's targets, where `signal-hook`'s iterator does the same without dispatch/objc.
pub fn on_interrupt_signals(handler: fn()) -> bool {
    #[cfg(target_vendor = "apple")]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return false;
        };
        std::thread::spawn(move || {
            for _ in signals.forever() {
                handler();
            }
        });
        true
    }
    #[cfg(not(target_vendor = "apple"))]
    {
        ctrlc::set_handler(handler).is_ok()
    }
}

// ---------------------------------------------------------------------------------------
// OS calls for the running-browser check.

/// This machine's host name, as browsers write it into their lock files.
pub fn hostname() -> Option<String> {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname NUL-terminates on success
        // when the name fits, and we also bound the read by the buffer length.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc != 0 {
            return None;
        }
        let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        Some(String::from_utf8_lossy(&buf[..end]).into_owned())
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").ok()
    }
}

/// Whether process `pid` exists on this machine. `None` when it cannot be told.
pub fn pid_alive(pid: u32) -> Option<bool> {
    #[cfg(unix)]
    {
        let pid = libc::pid_t::try_from(pid).ok()?;
        if pid <= 0 {
            return Some(false);
        }
        // SAFETY: signal 0 performs only the existence and permission check.
        let rc = unsafe { libc::kill(pid, 0) };
        if rc == 0 {
            return Some(true);
        }
        let err = std::io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::ESRCH) => Some(false),
            // It exists but belongs to someone else.
            Some(libc::EPERM) => Some(true),
            _ => None,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        None
    }
}

/// The pid holding a POSIX write lock on `path` (Firefox's `.parentlock`), if any.
/// Only tests for the lock (F_GETLK); never takes it.
pub fn posix_lock_holder(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // A FIFO here would block the open; only a regular file can carry the lock. Only
        // the lock's state is learnt, never the content, so a plain no-follow open does
        // (a directory walk per probe would cost more than the probe, for 10,000 profiles).
        let file = open_nofollow(path).ok()?;
        if !file.metadata().ok()?.is_file() {
            return None;
        }
        // SAFETY: flock is plain data; zeroed is a valid initial value.
        let mut fl: libc::flock = unsafe { std::mem::zeroed() };
        fl.l_type = libc::F_WRLCK as _;
        fl.l_whence = libc::SEEK_SET as _;
        fl.l_start = 0;
        fl.l_len = 0;
        // SAFETY: the fd is open for the duration of the call and fl is a valid flock.
        let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut fl) };
        // `l_type` and `F_UNLCK` are `c_short` on macOS, `c_short` and `c_int` on Linux.
        if rc == 0 && i64::from(fl.l_type) != i64::from(libc::F_UNLCK) {
            return u32::try_from(fl.l_pid).ok();
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Tries to take the exclusive run lock of the home `home` without waiting: the lock
/// handle, or `None` when another process holds it. Unix: `flock` on the home directory
/// itself, so no file has to be written for it (released when the process ends).
/// Windows: `lock_file` (in the home's data directory) opened without sharing, which
/// another opener cannot open while it is held.
pub fn try_lock_home(home: &Path, lock_file: &Path) -> std::io::Result<Option<std::fs::File>> {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        let _ = lock_file;
        let dir = std::fs::File::open(home)?;
        // SAFETY: the fd is open for the duration of the call.
        let rc = unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc == 0 {
            return Ok(Some(dir));
        }
        let err = std::io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EWOULDBLOCK) => Ok(None),
            _ => Err(err),
        }
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        let _ = home;
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .share_mode(0)
            .open(lock_file)
        {
            Ok(f) => Ok(Some(f)),
            // ERROR_SHARING_VIOLATION: another run holds it.
            Err(e) if e.raw_os_error() == Some(32) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Whether the run lock needs a file of its own (see [`try_lock_home`]).
pub const RUN_LOCK_NEEDS_A_FILE: bool = cfg!(windows);

/// Whether a Unix socket at `path` accepts a connection (Chromium's `SingletonSocket`,
/// a symlink to its socket in the temporary directory). Nothing is sent; the connection
/// is closed at once. Only a socket owned by the owner of `owned_like` (the browser's
/// data directory) is asked: run as root over a home, the link could name any service's
/// socket, which is none of loginfix's business. `None` where there are no Unix sockets.
pub fn socket_accepts(path: &Path, owned_like: &Path) -> Option<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let (Ok(socket), Ok(dir)) = (
            std::fs::metadata(path),
            std::fs::symlink_metadata(owned_like),
        ) else {
            return Some(false);
        };
        if !socket.file_type().is_socket() || socket.uid() != dir.uid() {
            return Some(false);
        }
        Some(std::os::unix::net::UnixStream::connect(path).is_ok())
    }
    #[cfg(not(unix))]
    {
        let _ = (path, owned_like);
        None
    }
}

/// Whether [`held_open_exclusively`] can tell anything on this OS (only Windows locks
/// files against other openers).
pub const EXCLUSIVE_OPENS_DETECTABLE: bool = cfg!(windows);

/// On Windows, whether another process holds `path` open without sharing (Chromium's
/// `lockfile`, Firefox's `parent.lock`, Chrome 114+'s cookie DB). `None` elsewhere.
pub fn held_open_exclusively(path: &Path) -> Option<bool> {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        if !path.exists() {
            return Some(false);
        }
        match std::fs::OpenOptions::new()
            .read(true)
            .share_mode(0)
            .open(path)
        {
            Ok(_) => Some(false),
            // ERROR_SHARING_VIOLATION (32) / ERROR_LOCK_VIOLATION (33)
            Err(e) if matches!(e.raw_os_error(), Some(32) | Some(33)) => Some(true),
            Err(_) => None,
        }
    }
    #[cfg(not(windows))]
    {
        let _ = path;
        None
    }
}

/// Whether this process is alone on its console: Windows made the console for it (a
/// double-click in Explorer) rather than it sharing a shell's, a script's or a parent
/// program's. False with no console (a service, a scheduled task) and off Windows.
pub fn alone_on_console() -> bool {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::GetConsoleProcessList;
        let mut pids = [0u32; 2];
        // SAFETY: the buffer holds `pids.len()` entries and the call writes at most that
        // many; it returns how many processes share the console (0 without a console).
        let n = unsafe { GetConsoleProcessList(pids.as_mut_ptr(), pids.len() as u32) };
        n == 1
    }
    #[cfg(not(windows))]
    {
        false
    }
}

/// Reads at `offset` without moving the file position (one `pread` on Unix).
pub fn pread(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        std::os::windows::fs::FileExt::seek_read(file, buf, offset)
    }
}

/// The users of a Mac's local directory service (`dscl . -list /Users`): name, uid and
/// home of each. `None` off macOS, or when dscl cannot be run.
pub fn dscl_users() -> Option<Vec<(String, u32, PathBuf)>> {
    #[cfg(target_os = "macos")]
    {
        let list = |attr: &str| -> Option<Vec<(String, String)>> {
            let out = std::process::Command::new("/usr/bin/dscl")
                .args([".", "-list", "/Users", attr])
                .stdin(std::process::Stdio::null())
                .output()
                .ok()?;
            if !out.status.success() {
                return None;
            }
            Some(
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .filter_map(|l| {
                        let (name, value) = l.split_once(char::is_whitespace)?;
                        Some((name.to_string(), value.trim().to_string()))
                    })
                    .collect(),
            )
        };
        let uids = list("UniqueID")?;
        let homes = list("NFSHomeDirectory")?;
        Some(
            uids.into_iter()
                .filter_map(|(name, uid)| {
                    let uid: u32 = uid.parse().ok()?;
                    let home = homes.iter().find(|(n, _)| *n == name)?.1.clone();
                    Some((name, uid, PathBuf::from(home)))
                })
                .collect(),
        )
    }
    #[cfg(not(target_os = "macos"))]
    {
        None
    }
}

/// Whether a process of this user with exactly this name runs. Only macOS is asked
/// (for Safari); `None` elsewhere or when it cannot be told.
pub fn process_running(name: &str) -> Option<bool> {
    #[cfg(target_os = "macos")]
    {
        // SAFETY: getuid cannot fail.
        let uid = unsafe { libc::getuid() };
        let status = std::process::Command::new("/usr/bin/pgrep")
            .args(["-x", "-U", &uid.to_string(), name])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        match status.code() {
            Some(0) => Some(true),
            Some(1) => Some(false),
            _ => None,
        }
    }
    #[cfg(not(target_os = "macos"))]
    {
        let _ = name;
        None
    }
}

/// Sets a file's permission bits where the OS has them (backups are private).
#[cfg(test)]
pub fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// A file's permission bits where the OS has them (kept in backups, so a restore that
/// creates a file anew gives it the browser's mode).
pub fn mode_of(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The permission bits of a file's metadata (`None` where the OS has no modes).
pub fn mode_of_meta(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The permission bits of a directory handle's metadata (`None` where the OS has none).
pub fn cap_mode(meta: &cap_std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use cap_std::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The inode number of a listed entry (0 where the OS has none), from the listing
/// itself: no `stat` per entry.
pub fn dir_entry_inode(entry: &cap_std::fs::DirEntry) -> u64 {
    #[cfg(unix)]
    {
        use rustix::fs::DirEntryExt;
        entry.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = entry;
        0
    }
}

/// The error of an open that refused to follow a symlink, said as such (the OS says
/// "too many levels of symbolic links").
pub fn explain_nofollow(err: std::io::Error) -> std::io::Error {
    #[cfg(unix)]
    if err.raw_os_error() == Some(libc::ELOOP) {
        return std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            crate::i18n::t("err-symlink-followed"),
        );
    }
    err
}

/// Opens `path` for reading without following a symlink at its last component and
/// without blocking on a FIFO. A symlink is an error that says so.
pub fn open_nofollow(path: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path);
        match opened {
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                crate::i18n::t("err-symlink-followed"),
            )),
            other => other,
        }
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                crate::i18n::t("err-symlink-followed"),
            ));
        }
        std::fs::File::open(path)
    }
}

/// Makes an open that must not block (a FIFO named like a store would hang the run).
pub fn nonblocking(opts: &mut cap_std::fs::OpenOptions) {
    #[cfg(unix)]
    {
        use cap_std::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        let _ = opts;
    }
}

/// A path to `name` in the directory `dir` that resolves through the open handle, for
/// libraries that only take paths (SQLite): on Linux `/proc/self/fd/<fd>/<name>`, which no
/// later swap of a directory on the way can redirect. Elsewhere `fallback`, the path the
/// handle was opened from.
pub fn path_through(dir: &cap_std::fs::Dir, name: &std::ffi::OsStr, fallback: &Path) -> PathBuf {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let proc = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd()));
        if proc.is_dir() {
            // SQLite's own VFS would turn this back into the directory's path.
            crate::sqlite_vfs::install();
            return proc.join(name);
        }
        fallback.to_path_buf()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (dir, name);
        fallback.to_path_buf()
    }
}

/// Gives `path` the owner and group of `like` (when run as root on another user's home,
/// files loginfix writes must stay that user's). Only root may change owners; others
/// leave files as they are, which is already right for them.
pub fn copy_owner(like: &std::fs::Metadata, path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let current = std::fs::symlink_metadata(path)?;
        if current.uid() == like.uid() && current.gid() == like.gid() {
            return Ok(());
        }
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return Ok(());
        }
        std::os::unix::fs::lchown(path, Some(like.uid()), Some(like.gid()))
    }
    #[cfg(not(unix))]
    {
        let _ = (like, path);
        Ok(())
    }
}

/// The file system a file is on, to tell a mount point inside a tree. `None` where the
/// OS does not say (Windows): no mount point is then detected.
pub fn device_id(meta: &std::fs::Metadata) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Creates the directory `path` readable only by its owner (0700 from the start on
/// Unix). Fails when anything, even a dangling symlink, is already there.
#[expect(
    clippy::disallowed_methods,
    reason = "loginfix's own scratch directory, outside any home"
)]
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path)
}

/// Creates the new file `path` readable only by its owner (0600 from the start on
/// Unix, never widened then narrowed). Fails when anything is already there.
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Whether the running user owns the file and nobody else may read or write it (owner
/// and mode on Unix; assumed where the OS has neither).
pub fn private_to_me(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        meta.uid() == me && meta.mode() & 0o077 == 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// Whether only the running user or root could rename or replace what is in this
/// directory: owned by one of them, and writable by nobody else unless sticky (`/tmp`).
pub fn safe_ancestor(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        (meta.uid() == me || meta.uid() == 0)
            && (meta.mode() & 0o022 == 0 || meta.mode() & 0o1000 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// The name of the user whose home `home` is: on Unix the name of the home's owner in
/// the passwd database; else (Windows, or a uid this machine does not know, as on a
/// mounted disk) the home directory's last component.
pub fn home_user(home: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Some(name) = std::fs::metadata(home)
            .ok()
            .and_then(|m| user_name(m.uid()))
        {
            return Some(name);
        }
    }
    home.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// The passwd name of `uid`, through `getpwuid_r`.
#[cfg(unix)]
fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    loop {
        // SAFETY: all-zero is a valid `passwd` (null pointers, zero ids).
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: `pwd`, `buf` (valid for its length) and `result` outlive the call; the
        // strings `pwd` points to live in `buf`, read below while `buf` is alive.
        let rc = unsafe {
            libc::getpwuid_r(
                uid,
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 4, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success `pw_name` is a NUL-terminated string inside `buf`.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        return Some(name.to_string_lossy().into_owned());
    }
}

/// The owner's uid of a file, where the OS has one.
pub fn owner_uid(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Whether the running user owns the file (assumed where the OS does not say).
pub fn owned_by_me(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid cannot fail.
        meta.uid() == unsafe { libc::geteuid() }
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// How many hard links a file has, where the OS says (`st_nlink`).
pub fn hard_links(meta: &std::fs::Metadata) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.nlink())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

// ---------------------------------------------------------------------------------------
// Making loginfix's own directories and files through handles (backups, rebuilds).

/// An owner and group to give what loginfix makes, where the OS has them.
pub type Owner = Option<(u32, u32)>;

/// The owner and group of a file (see [`Owner`]).
pub fn owner_of(meta: &std::fs::Metadata) -> Owner {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.uid(), meta.gid()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The owner and group of an opened directory (see [`Owner`]).
pub fn dir_owner(dir: &cap_std::fs::Dir) -> Owner {
    let file = dir.try_clone().ok()?.into_std_file();
    owner_of(&file.metadata().ok()?)
}

/// Creates the directory `name` in `parent`, 0700 whatever the umask; `false` when
/// something of that name is already there (the caller opens and judges it).
pub fn create_dir_at(parent: &cap_std::fs::Dir, name: &std::ffi::OsStr) -> std::io::Result<bool> {
    #[cfg(unix)]
    let made = rustix::fs::mkdirat(parent, name, rustix::fs::Mode::from_raw_mode(0o700))
        .map_err(std::io::Error::from);
    #[cfg(not(unix))]
    #[expect(
        clippy::disallowed_methods,
        reason = "the executor's mkdirat, on Windows"
    )]
    let made = parent.create_dir(name);
    match made {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Creates the new file `name` in `dir` (never one that exists, never through a
/// symlink), 0600 from the start, open for reading and writing (Windows flushes only a
/// handle open for writing).
pub fn create_file_at(
    dir: &cap_std::fs::Dir,
    name: &std::ffi::OsStr,
) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags};
        let flags =
            OFlags::RDWR | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        rustix::fs::openat(dir, name, flags, Mode::from_raw_mode(0o600))
            .map(std::fs::File::from)
            .map_err(std::io::Error::from)
    }
    #[cfg(not(unix))]
    {
        let mut opts = cap_std::fs::OpenOptions::new();
        opts.read(true).write(true).create_new(true);
        dir.open_with(name, &opts).map(cap_std::fs::File::into_std)
    }
}

/// Gives an open file or directory its owner, then exactly `mode` (permission bits
/// only: set-id and sticky bits never survive), on the descriptor: never by path, never
/// left to the umask. The owner is changed only by root and only when it differs.
#[cfg(unix)]
pub fn own_and_mode(fd: impl std::os::fd::AsFd, owner: Owner, mode: u32) -> std::io::Result<()> {
    use std::os::fd::AsFd;
    let stat = rustix::fs::fstat(&fd)?;
    // A directory handle may be a path-only descriptor (cap-std opens them so), which
    // `fchmod` refuses: the directory itself is opened again through it.
    let reopened;
    let fd = if rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Directory
    {
        reopened = reopen_dir(fd.as_fd())?;
        reopened.as_fd()
    } else {
        fd.as_fd()
    };
    if let Some((uid, gid)) = owner {
        // SAFETY: geteuid cannot fail.
        if (stat.st_uid != uid || stat.st_gid != gid) && unsafe { libc::geteuid() } == 0 {
            rustix::fs::fchown(
                fd,
                Some(rustix::fs::Uid::from_raw(uid)),
                Some(rustix::fs::Gid::from_raw(gid)),
            )?;
        }
    }
    // `RawMode` is `u16` on macOS, `u32` on Linux; the permission bits fit either.
    rustix::fs::fchmod(fd, rustix::fs::Mode::from_raw_mode((mode & 0o777) as _))?;
    Ok(())
}

/// The directory of a (possibly path-only) directory descriptor, opened for reading.
#[cfg(unix)]
fn reopen_dir(fd: impl std::os::fd::AsFd) -> std::io::Result<std::os::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(rustix::fs::openat(fd, ".", flags, Mode::empty())?)
}

/// Gives an open file or directory its owner and mode (see the Unix version): Windows
/// files inherit their directory's ACL, which is the owner's in a home.
#[cfg(not(unix))]
pub fn own_and_mode<T>(fd: T, owner: Owner, mode: u32) -> std::io::Result<()> {
    let _ = (fd, owner, mode);
    Ok(())
}

/// Whether the running user owns the opened directory: one loginfix has just created
/// must be its own, or someone swapped another in.
pub fn made_by_me(dir: &cap_std::fs::Dir) -> bool {
    dir.try_clone()
        .ok()
        .and_then(|d| d.into_std_file().metadata().ok())
        .is_some_and(|m| owned_by_me(&m))
}

/// Bytes an unprivileged user may still write on the file system of `dir` (root may
/// write past this into the reserved blocks, and must not); `None` where unknown.
pub fn free_bytes(dir: &cap_std::fs::Dir) -> Option<u64> {
    #[cfg(unix)]
    {
        let st = rustix::fs::fstatvfs(dir).ok()?;
        Some(st.f_bavail.saturating_mul(st.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// The bytes a file takes on disk (a sparse file's holes take none).
pub fn allocated_bytes(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.blocks().saturating_mul(512).min(meta.len())
    }
    #[cfg(not(unix))]
    {
        meta.len()
    }
}

/// Flushes an opened directory's entries to disk where the OS can (Windows has no
/// directory flush; its metadata journal covers renames and creations).
pub fn sync_dir_handle(dir: &cap_std::fs::Dir) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        Ok(rustix::fs::fsync(reopen_dir(dir)?)?)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Whether the file is a FIFO, socket or device: never a store, and never opened.
pub fn is_special(meta: &std::fs::Metadata) -> bool {
    let t = meta.file_type();
    !t.is_file() && !t.is_dir() && !t.is_symlink()
}

/// Whether an address written into a Firefox `lock` symlink is this machine's.
pub fn is_local_address(ip: &str) -> bool {
    use std::net::{IpAddr, ToSocketAddrs};
    let Ok(addr) = ip.trim_matches(['[', ']']).parse::<IpAddr>() else {
        return false;
    };
    if addr.is_loopback() || addr.is_unspecified() {
        return true;
    }
    // Firefox writes the address its own host name resolves to; resolve ours the same way.
    hostname()
        .and_then(|h| (h.as_str(), 0u16).to_socket_addrs().ok())
        .is_some_and(|mut addrs| addrs.any(|a| a.ip() == addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_of_a_home_is_its_owner_or_its_last_component() {
        // A home this machine does not have: its name stands for the user.
        assert_eq!(
            home_user(Path::new("/nonexistent-loginfix/ana")).as_deref(),
            Some("ana")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // A directory of the running user is theirs, by the passwd name of its uid.
            let dir = tempfile::tempdir().unwrap();
            let uid = std::fs::metadata(dir.path()).unwrap().uid();
            let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
            let listed = passwd.lines().find_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.len() > 2 && f[2] == uid.to_string()).then(|| f[0].to_string())
            });
            if let Some(name) = listed {
                assert_eq!(home_user(dir.path()), Some(name));
            }
        }
    }

    #[test]
    fn own_pid_is_alive() {
        if cfg!(unix) {
            assert_eq!(pid_alive(std::process::id()), Some(true));
            assert!(is_local_address("127.0.1.1"));
            assert!(!is_local_address("not an ip"));
        }
    }
}
