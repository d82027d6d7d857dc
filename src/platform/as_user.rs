//! The OS calls of working in a home as its owner (see `worker`): the ids a process has,
//! becoming a user, starting the child with the home's handle and its control pipe,
//! telling a stopped child, and (Linux) making a home reachable whose path the user
//! cannot walk. Unix only; elsewhere each says it is not available.

use std::fs::File;
use std::io;
use std::path::Path;
use std::process::{Child, Command};

use serde::{Deserialize, Serialize};

/// The descriptor the home's handle has in the child.
pub const HOME_FD: i32 = 3;
/// The descriptor the child reads its instructions and answers from.
pub const CONTROL_FD: i32 = 4;

/// A process's ids: real, effective and saved uid and gid, and its groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ids {
    pub pid: u32,
    /// Real, effective, saved (saved where the OS tells it).
    pub uid: Vec<u32>,
    pub gid: Vec<u32>,
    pub groups: Vec<u32>,
    /// Windows: the SID the process runs as (no uids there).
    #[serde(default)]
    pub sid: Option<String>,
}

impl Ids {
    /// Whether every id is `uid` / `gid` and the only group is `gid`.
    pub fn are(&self, uid: u32, gid: u32) -> bool {
        !self.uid.is_empty()
            && self.uid.iter().all(|&u| u == uid)
            && !self.gid.is_empty()
            && self.gid.iter().all(|&g| g == gid)
            && self.groups.iter().all(|&g| g == gid)
    }
}

/// The owner (uid, gid) of an open file or directory.
pub fn handle_owner(file: &File) -> Option<(u32, u32)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = file.metadata().ok()?;
        Some((m.uid(), m.gid()))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        None
    }
}

/// The ids this process has now.
pub fn ids() -> Ids {
    #[cfg(unix)]
    {
        unix::ids()
    }
    #[cfg(not(unix))]
    {
        Ids {
            pid: std::process::id(),
            uid: Vec::new(),
            gid: Vec::new(),
            groups: Vec::new(),
            #[cfg(windows)]
            sid: crate::platform::token::own_sid(),
            #[cfg(not(windows))]
            sid: None,
        }
    }
}

/// Becomes `uid` with `gid` as its only group, for good: groups, then gid, then uid, then
/// checks that every id is the user's and that root cannot be had back. Not dumpable
/// afterwards (no ptrace, no core of what was read).
pub fn become_user(uid: u32, gid: u32) -> Result<Ids, String> {
    #[cfg(unix)]
    {
        unix::become_user(uid, gid)
    }
    #[cfg(not(unix))]
    {
        let _ = (uid, gid);
        Err("not available on this OS".to_string())
    }
}

/// A pipe whose ends are closed on exec: (read, write).
pub fn pipe() -> io::Result<(File, File)> {
    #[cfg(unix)]
    {
        unix::pipe()
    }
    #[cfg(not(unix))]
    {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Starts `cmd` in a session of its own, with `home` as descriptor [`HOME_FD`] and
/// `control` as [`CONTROL_FD`] (every other descriptor closed on exec as Rust opens
/// them).
pub fn spawn_worker(cmd: &mut Command, home: &File, control: &File) -> io::Result<Child> {
    #[cfg(unix)]
    {
        unix::spawn_worker(cmd, home, control)
    }
    #[cfg(not(unix))]
    {
        let _ = (cmd, home, control);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Whether the child `pid` is stopped (SIGSTOP, SIGTSTP, a tracer), without reaping it.
pub fn is_stopped(pid: u32) -> bool {
    #[cfg(unix)]
    {
        unix::is_stopped(pid)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// Makes writes to `file` return `WouldBlock` rather than wait (the parent's end of the
/// control pipe: a child that stops reading must not hold root).
pub fn nonblocking(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: plain calls on an open descriptor.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Opens the directory `path` as root may: a directory only (a FIFO or a device put in
/// its place is refused at once, never waited on nor opened for its side effects).
pub fn open_dir(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_NONBLOCK)
            .open(path)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // FILE_FLAG_BACKUP_SEMANTICS: without it Windows opens no directory.
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(0x0200_0000)
            .open(path)
    }
    #[cfg(not(any(unix, windows)))]
    {
        File::open(path)
    }
}

/// Reads an inherited descriptor as a file (the child's side of [`spawn_worker`]).
pub fn inherited(fd: i32) -> Option<File> {
    #[cfg(unix)]
    {
        use std::os::fd::FromRawFd;
        // SAFETY: the parent passed these descriptors to us, and nothing else in this
        // process owns them.
        (unsafe { libc::fcntl(fd, libc::F_GETFD) } >= 0).then(|| unsafe { File::from_raw_fd(fd) })
    }
    #[cfg(not(unix))]
    {
        let _ = fd;
        None
    }
}

/// Whether `home` (a path) names the directory open as `handle`.
pub fn same_dir(home: &Path, handle: &File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(home), handle.metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (home, handle);
        false
    }
}

/// Makes `home` reachable by its path for `uid`/`gid` when a directory above it is not
/// (a home under a directory only root can walk): in a mount namespace of this process
/// alone, the highest such directory is covered by an empty directory tree leading down
/// to the home, bound in place once checked to be `handle` (what the parent opened). Nothing outside this
/// process sees it. Run as root, before [`become_user`]. Linux only; elsewhere a home the
/// user cannot reach stays unreachable and the run says so.
pub fn expose_home(home: &Path, handle: &File, uid: u32, gid: u32) -> Result<bool, String> {
    #[cfg(target_os = "linux")]
    {
        unix::expose_home(home, handle, uid, gid)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (home, handle, uid, gid);
        Ok(false)
    }
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;

    fn last_error(what: &str) -> String {
        format!("{what}: {}", io::Error::last_os_error())
    }

    pub fn ids() -> Ids {
        let (uid, gid);
        #[cfg(target_os = "linux")]
        {
            let (mut r, mut e, mut s) = (0, 0, 0);
            // SAFETY: plain out-parameters.
            unsafe { libc::getresuid(&mut r, &mut e, &mut s) };
            uid = vec![r, e, s];
            let (mut r, mut e, mut s) = (0, 0, 0);
            // SAFETY: as above.
            unsafe { libc::getresgid(&mut r, &mut e, &mut s) };
            gid = vec![r, e, s];
        }
        #[cfg(not(target_os = "linux"))]
        {
            // SAFETY: these cannot fail. The saved ids are not told here; that root
            // cannot be had back is checked by trying.
            unsafe {
                uid = vec![libc::getuid(), libc::geteuid()];
                gid = vec![libc::getgid(), libc::getegid()];
            }
        }
        let mut groups = vec![0 as libc::gid_t; 256];
        // SAFETY: the buffer holds 256 groups.
        let n = unsafe { libc::getgroups(groups.len() as i32, groups.as_mut_ptr()) };
        groups.truncate(n.max(0) as usize);
        Ids {
            pid: std::process::id(),
            uid,
            gid,
            groups,
            sid: None,
        }
    }

    pub fn become_user(uid: u32, gid: u32) -> Result<Ids, String> {
        if uid == 0 || gid == 0 {
            return Err("refusing to become root".to_string());
        }
        let group = [gid as libc::gid_t];
        // SAFETY: one group, from a live array.
        if unsafe { libc::setgroups(1, group.as_ptr()) } != 0 {
            return Err(last_error("setgroups"));
        }
        #[cfg(target_os = "linux")]
        {
            // SAFETY: plain calls.
            if unsafe { libc::setresgid(gid, gid, gid) } != 0 {
                return Err(last_error("setresgid"));
            }
            if unsafe { libc::setresuid(uid, uid, uid) } != 0 {
                return Err(last_error("setresuid"));
            }
            // SAFETY: as above; not dumpable: no ptrace by the user, no core file; and no
            // way to gain privileges back through a set-id program.
            unsafe {
                libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            }
            // Root's capabilities go with the uid change unless root kept them on purpose
            // (SECBIT_NO_SETUID_FIXUP): check.
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let kept = status
                .lines()
                .filter(|l| l.starts_with("CapPrm:") || l.starts_with("CapEff:"))
                .any(|l| {
                    l.split_whitespace()
                        .nth(1)
                        .is_some_and(|v| !v.trim_start_matches('0').is_empty())
                });
            if kept || !status.contains("CapEff:") {
                return Err("capabilities were kept after the change".to_string());
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            // As root, setgid and setuid set the real, effective and saved ids alike.
            // SAFETY: plain calls.
            if unsafe { libc::setgid(gid) } != 0 {
                return Err(last_error("setgid"));
            }
            if unsafe { libc::setuid(uid) } != 0 {
                return Err(last_error("setuid"));
            }
        }
        let now = ids();
        if !now.are(uid, gid) {
            return Err(format!(
                "the ids after the change are not the user's: {now:?}"
            ));
        }
        // SAFETY: plain calls; they must fail.
        if unsafe { libc::setuid(0) } == 0 || unsafe { libc::setgid(0) } == 0 {
            return Err("root could be had back after the change".to_string());
        }
        Ok(now)
    }

    pub fn pipe() -> io::Result<(File, File)> {
        let mut fds = [0; 2];
        // Closed on exec from the start (Linux), so no child another thread starts
        // meanwhile inherits them; macOS has no pipe2.
        #[cfg(target_os = "linux")]
        // SAFETY: two out-descriptors.
        let made = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
        #[cfg(not(target_os = "linux"))]
        // SAFETY: two out-descriptors.
        let made = unsafe { libc::pipe(fds.as_mut_ptr()) };
        if made != 0 {
            return Err(io::Error::last_os_error());
        }
        #[cfg(not(target_os = "linux"))]
        for fd in fds {
            // SAFETY: descriptors just made.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        use std::os::fd::FromRawFd;
        // SAFETY: descriptors just made, owned here.
        Ok(unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
    }

    pub fn spawn_worker(cmd: &mut Command, home: &File, control: &File) -> io::Result<Child> {
        let (home, control) = (home.as_raw_fd(), control.as_raw_fd());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setsid() < 0 {
                    return Err(io::Error::last_os_error());
                }
                // Move both out of the way first, so the second dup2 cannot overwrite
                // the first's source.
                let home2 = libc::fcntl(home, libc::F_DUPFD, 10);
                let control2 = libc::fcntl(control, libc::F_DUPFD, 10);
                if home2 < 0 || control2 < 0 {
                    return Err(io::Error::last_os_error());
                }
                // dup2 leaves the new descriptors open across exec.
                if libc::dup2(home2, HOME_FD) < 0 || libc::dup2(control2, CONTROL_FD) < 0 {
                    return Err(io::Error::last_os_error());
                }
                libc::close(home2);
                libc::close(control2);
                Ok(())
            })
        };
        cmd.spawn()
    }

    pub fn is_stopped(pid: u32) -> bool {
        // SAFETY: a zeroed siginfo is a valid out-parameter.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: WNOWAIT leaves the child to be waited for as before.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WSTOPPED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: reading the pid the kernel filled in (0 when nothing changed).
        r == 0 && unsafe { info.si_pid() } as u32 == pid && info.si_code == libc::CLD_STOPPED
    }

    #[cfg(target_os = "linux")]
    pub fn expose_home(home: &Path, handle: &File, uid: u32, gid: u32) -> Result<bool, String> {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::MetadataExt;
        // The highest directory above the home the user may not walk.
        // The kernel's rule: the owner's bits for the owner, the group's for the group,
        // the others' for everyone else (ACLs aside: a directory an ACL opens is
        // covered needlessly, which changes nothing the child sees).
        let walkable = |m: &std::fs::Metadata| {
            let mode = m.mode();
            if m.uid() == uid {
                mode & 0o100 != 0
            } else if m.gid() == gid {
                mode & 0o010 != 0
            } else {
                mode & 0o001 != 0
            }
        };
        let mut ancestors: Vec<&Path> = home.ancestors().skip(1).collect();
        ancestors.reverse();
        let Some(blocked) = ancestors.iter().position(|a| {
            std::fs::symlink_metadata(a)
                .map(|m| !walkable(&m))
                .unwrap_or(true)
        }) else {
            return Ok(false);
        };
        // Only on a path root alone controls down to the closed directory: a directory
        // on the way that someone else owns or may write could be swapped meanwhile (a
        // sticky one like /tmp lets nobody rename what root owns in it).
        for a in &ancestors[..=blocked] {
            let m = std::fs::symlink_metadata(a).map_err(|e| format!("`{}`: {e}", a.display()))?;
            let others_write = m.mode() & 0o022 != 0 && m.mode() & 0o1000 == 0;
            if !m.is_dir() || m.uid() != 0 || others_write {
                return Err(format!(
                    "the home's owner cannot reach `{}`, and `{}` on the way is not root's \
                     alone: not worked around",
                    home.display(),
                    a.display()
                ));
            }
        }
        let top = ancestors[blocked];
        let cstr = |p: &Path| {
            CString::new(p.as_os_str().as_bytes()).map_err(|_| format!("`{}`", p.display()))
        };
        // SAFETY: plain calls with valid C strings; this process alone sees the mounts.
        unsafe {
            if libc::unshare(libc::CLONE_NEWNS) != 0 {
                return Err(last_error("unshare(CLONE_NEWNS)"));
            }
            let root = cstr(Path::new("/"))?;
            if libc::mount(
                std::ptr::null(),
                root.as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ) != 0
            {
                return Err(last_error("mount --make-rprivate /"));
            }
        }
        // The home opened again in this namespace (a mount of another namespace cannot be
        // bound here), and checked to be the directory the parent opened.
        let again = File::open(home).map_err(|e| format!("`{}`: {e}", home.display()))?;
        let (a, b) = (
            again.metadata().map_err(|e| e.to_string())?,
            handle.metadata().map_err(|e| e.to_string())?,
        );
        if (a.dev(), a.ino()) != (b.dev(), b.ino()) {
            return Err(format!(
                "`{}` is no longer the directory loginfix opened as this home",
                home.display()
            ));
        }
        // SAFETY: as above.
        unsafe {
            let target = cstr(top)?;
            let fstype = CString::new("tmpfs").unwrap_or_default();
            let data = CString::new("mode=0755,size=64k").unwrap_or_default();
            if libc::mount(
                fstype.as_ptr(),
                target.as_ptr(),
                fstype.as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                data.as_ptr().cast(),
            ) != 0
            {
                return Err(last_error(&format!("mount tmpfs on `{}`", top.display())));
            }
        }
        let rel = home.strip_prefix(top).map_err(|e| e.to_string())?;
        // In the tmpfs just mounted, which only this process sees: no handle walk needed.
        // 0755 whatever root's umask, so that the user can walk them.
        // SAFETY: a plain call.
        unsafe { libc::umask(0o022) };
        #[allow(clippy::disallowed_methods)]
        std::fs::create_dir_all(top.join(rel)).map_err(|e| e.to_string())?;
        let source = cstr(Path::new(&format!("/proc/self/fd/{}", again.as_raw_fd())))?;
        let target = cstr(home)?;
        // SAFETY: as above.
        if unsafe {
            libc::mount(
                source.as_ptr(),
                target.as_ptr(),
                std::ptr::null(),
                // With the mounts inside the home, as the user sees it.
                libc::MS_BIND | libc::MS_REC,
                std::ptr::null(),
            )
        } != 0
        {
            return Err(last_error(&format!(
                "mount the home on `{}`",
                home.display()
            )));
        }
        Ok(true)
    }
}
