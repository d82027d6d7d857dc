//! SYSTEM on Windows working in a user's home as that user (see `worker`): whose home it
//! is (a SID, from the profile list or the directory's owner), a token for them without
//! their password (their signed-in session's, else an S4U logon), and the child started
//! with that token, its three pipes the only handles it inherits. Windows only.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::windows::ffi::{OsStrExt, OsStringExt};
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::os::windows::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{
    LocalFree, SetHandleInformation, HANDLE, HANDLE_FLAG_INHERIT, LUID, WAIT_OBJECT_0, WAIT_TIMEOUT,
};
use windows_sys::Win32::Security::Authentication::Identity::{
    KerbS4ULogon, LsaDeregisterLogonProcess, LsaFreeReturnBuffer, LsaLogonUser,
    LsaLookupAuthenticationPackage, LsaNtStatusToWinError, LsaRegisterLogonProcess, MsV1_0S4ULogon,
    LSA_STRING, LSA_UNICODE_STRING, MSV1_0_S4U_LOGON, SECURITY_LOGON_TYPE,
};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSidToSidW, GetSecurityInfo, SE_FILE_OBJECT,
};
use windows_sys::Win32::Security::{
    AllocateLocallyUniqueId, DuplicateTokenEx, GetTokenInformation, LookupAccountSidW,
    SecurityImpersonation, TokenPrimary, TokenUser, OWNER_SECURITY_INFORMATION,
    PSECURITY_DESCRIPTOR, PSID, QUOTA_LIMITS, SECURITY_ATTRIBUTES, SID_NAME_USE, TOKEN_ALL_ACCESS,
    TOKEN_QUERY, TOKEN_SOURCE, TOKEN_USER,
};
use windows_sys::Win32::System::Pipes::CreatePipe;
use windows_sys::Win32::System::RemoteDesktop::{
    WTSActive, WTSDisconnected, WTSEnumerateSessionsW, WTSFreeMemory, WTSGetActiveConsoleSessionId,
    WTSQueryUserToken, WTS_SESSION_INFOW,
};
use windows_sys::Win32::System::Threading::{
    CreateProcessAsUserW, DeleteProcThreadAttributeList, GetCurrentProcess, GetExitCodeProcess,
    InitializeProcThreadAttributeList, OpenProcessToken, TerminateProcess,
    UpdateProcThreadAttribute, WaitForSingleObject, CREATE_NEW_PROCESS_GROUP, CREATE_NO_WINDOW,
    CREATE_UNICODE_ENVIRONMENT, EXTENDED_STARTUPINFO_PRESENT, INFINITE,
    LPPROC_THREAD_ATTRIBUTE_LIST, PROCESS_INFORMATION, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
    STARTF_USESTDHANDLES, STARTUPINFOEXW,
};
use windows_sys::Win32::System::WindowsProgramming::GetComputerNameW;

use crate::worker::AccountKind;

/// SYSTEM's SID.
pub const SYSTEM_SID: &str = "S-1-5-18";

/// A user's primary token, to start the child with.
pub struct Token(OwnedHandle);

fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(Some(0)).collect()
}

/// The text of a NUL-terminated UTF-16 string.
///
/// # Safety
/// `p` is null or points to a NUL-terminated UTF-16 string.
unsafe fn from_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut n = 0;
    // SAFETY: the caller's promise.
    while unsafe { *p.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: `n` units were read above.
    OsString::from_wide(unsafe { std::slice::from_raw_parts(p, n) })
        .to_string_lossy()
        .into_owned()
}

/// `S-1-5-...` for a SID.
fn sid_string(sid: PSID) -> Option<String> {
    let mut p = null_mut();
    // SAFETY: `sid` is a valid SID; the string is freed with LocalFree as documented.
    if sid.is_null() || unsafe { ConvertSidToStringSidW(sid, &mut p) } == 0 {
        return None;
    }
    let s = unsafe { from_wide(p) };
    unsafe { LocalFree(p.cast()) };
    Some(s)
}

/// The user a token is for, as a SID string.
fn token_user(token: HANDLE) -> Option<String> {
    let mut len = 0u32;
    // SAFETY: the first call only asks the size.
    unsafe { GetTokenInformation(token, TokenUser, null_mut(), 0, &mut len) };
    if len == 0 {
        return None;
    }
    // u64s: TOKEN_USER holds pointers, so the buffer is aligned for them.
    let mut buf = vec![0u64; (len as usize).div_ceil(8)];
    // SAFETY: `buf` holds `len` bytes.
    if unsafe { GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len) } == 0
    {
        return None;
    }
    // SAFETY: filled as a TOKEN_USER, whose SID points into `buf`, alive here.
    let user = unsafe { &*(buf.as_ptr() as *const TOKEN_USER) };
    sid_string(user.User.Sid)
}

/// The SID this process runs as.
pub fn own_sid() -> Option<String> {
    let mut t = null_mut();
    // SAFETY: the current process's pseudo-handle; the token handle is owned below.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut t) } == 0 {
        return None;
    }
    let t = unsafe { OwnedHandle::from_raw_handle(t) };
    token_user(t.as_raw_handle())
}

/// Whether this process runs as SYSTEM (as Intune and other fleet tools run it).
pub fn is_system() -> bool {
    own_sid().as_deref() == Some(SYSTEM_SID)
}

/// The owner of an open file or directory, as a SID string.
pub fn owner_sid(file: &File) -> Option<String> {
    let mut owner: PSID = null_mut();
    let mut sd: PSECURITY_DESCRIPTOR = null_mut();
    // SAFETY: an open handle; the descriptor (which `owner` points into) is freed after.
    let rc = unsafe {
        GetSecurityInfo(
            file.as_raw_handle(),
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION,
            &mut owner,
            null_mut(),
            null_mut(),
            null_mut(),
            &mut sd,
        )
    };
    if rc != 0 {
        return None;
    }
    let s = sid_string(owner);
    unsafe { LocalFree(sd) };
    s
}

/// Whose home `home` is: the account whose profile it is in the machine's profile list
/// (the profile service's own record), else the directory's owner.
pub fn home_sid(home: &Path, handle: &File) -> Option<String> {
    profile_sid(home).or_else(|| owner_sid(handle))
}

fn profile_sid(home: &Path) -> Option<String> {
    let list = winreg::RegKey::predef(winreg::enums::HKEY_LOCAL_MACHINE)
        .open_subkey(r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList")
        .ok()?;
    let drive = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".to_string());
    let norm = |p: &str| p.trim_end_matches('\\').to_lowercase();
    let wanted = norm(&home.to_string_lossy());
    list.enum_keys().flatten().find(|sid| {
        list.open_subkey(sid)
            .and_then(|k| k.get_value::<String, _>("ProfileImagePath"))
            .is_ok_and(|p| {
                norm(
                    &p.replace("%SystemDrive%", &drive)
                        .replace("%systemdrive%", &drive),
                ) == wanted
            })
    })
}

/// An account's name and domain (the machine's name for a local account).
fn account(sid: &str) -> Option<(String, String)> {
    let text = wide(OsStr::new(sid));
    let mut psid: PSID = null_mut();
    // SAFETY: a NUL-terminated string; the SID is freed with LocalFree.
    if unsafe { ConvertStringSidToSidW(text.as_ptr(), &mut psid) } == 0 {
        return None;
    }
    let mut name = [0u16; 256];
    let mut domain = [0u16; 256];
    let (mut n, mut d) = (name.len() as u32, domain.len() as u32);
    let mut kind: SID_NAME_USE = 0;
    // SAFETY: buffers of the sizes given.
    let ok = unsafe {
        LookupAccountSidW(
            null(),
            psid,
            name.as_mut_ptr(),
            &mut n,
            domain.as_mut_ptr(),
            &mut d,
            &mut kind,
        )
    };
    unsafe { LocalFree(psid) };
    (ok != 0).then(|| unsafe { (from_wide(name.as_ptr()), from_wide(domain.as_ptr())) })
}

fn computer_name() -> String {
    let mut buf = [0u16; 64];
    let mut n = buf.len() as u32;
    // SAFETY: a buffer of the size given.
    if unsafe { GetComputerNameW(buf.as_mut_ptr(), &mut n) } == 0 {
        return String::new();
    }
    String::from_utf16_lossy(&buf[..n as usize])
}

/// What kind of account `sid` is: local when its domain is this machine.
pub fn account_kind(sid: &str) -> AccountKind {
    let machine = match account(sid) {
        Some((_, domain)) if domain.eq_ignore_ascii_case(&computer_name()) => sid
            .rsplit_once('-')
            .map(|(m, _)| m.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    };
    AccountKind::of_sid(sid, &machine)
}

/// The token of a session `sid` is signed in to (active or disconnected), if any.
pub fn session_token(sid: &str) -> Option<Token> {
    let mut sessions = Vec::new();
    let mut info: *mut WTS_SESSION_INFOW = null_mut();
    let mut count = 0u32;
    // SAFETY: the list is freed with WTSFreeMemory, read within `count`.
    if unsafe { WTSEnumerateSessionsW(null_mut(), 0, 1, &mut info, &mut count) } != 0
        && !info.is_null()
    {
        for s in unsafe { std::slice::from_raw_parts(info, count as usize) } {
            if s.State == WTSActive || s.State == WTSDisconnected {
                sessions.push(s.SessionId);
            }
        }
        unsafe { WTSFreeMemory(info.cast()) };
    }
    // SAFETY: no arguments.
    let console = unsafe { WTSGetActiveConsoleSessionId() };
    if console != u32::MAX && !sessions.contains(&console) {
        sessions.push(console);
    }
    sessions.into_iter().find_map(|id| {
        let mut t = null_mut();
        // SAFETY: the token handle is owned at once.
        if unsafe { WTSQueryUserToken(id, &mut t) } == 0 || t.is_null() {
            return None;
        }
        let t = unsafe { OwnedHandle::from_raw_handle(t) };
        (token_user(t.as_raw_handle()).as_deref() == Some(sid)).then(|| Token(t))
    })
}

/// An LSA_STRING over a NUL-terminated byte string.
fn lsa_string(s: &'static [u8]) -> LSA_STRING {
    LSA_STRING {
        Length: (s.len() - 1) as u16,
        MaximumLength: s.len() as u16,
        Buffer: s.as_ptr() as *mut u8,
    }
}

/// A token for `sid` without their password: an S4U logon (as Task Scheduler's "do not
/// store password"), through the local account package or Kerberos. Needs SYSTEM (the
/// registration takes SeTcbPrivilege, without which the token could not run a process).
pub fn s4u_token(sid: &str, kind: AccountKind) -> Result<Token, String> {
    let (name, domain) = account(sid).ok_or_else(|| format!("{sid} names no account here"))?;
    let status = |what: &str, s: i32| {
        // SAFETY: a plain conversion.
        let code = unsafe { LsaNtStatusToWinError(s) };
        format!("{what}: {}", io::Error::from_raw_os_error(code as i32))
    };
    let process = lsa_string(b"loginfix\0");
    let mut lsa: HANDLE = null_mut();
    let mut mode = 0u32;
    // SAFETY: out-pointers to locals; the handle is deregistered below.
    let s = unsafe { LsaRegisterLogonProcess(&process, &mut lsa, &mut mode) };
    if s != 0 {
        return Err(status("LsaRegisterLogonProcess", s));
    }
    struct Lsa(HANDLE);
    impl Drop for Lsa {
        fn drop(&mut self) {
            // SAFETY: registered above.
            unsafe { LsaDeregisterLogonProcess(self.0) };
        }
    }
    let lsa = Lsa(lsa);
    let package_name = match kind {
        AccountKind::Domain => lsa_string(b"Kerberos\0"),
        _ => lsa_string(b"MICROSOFT_AUTHENTICATION_PACKAGE_V1_0\0"),
    };
    let mut package = 0u32;
    // SAFETY: a registered handle and a valid LSA_STRING.
    let s = unsafe { LsaLookupAuthenticationPackage(lsa.0, &package_name, &mut package) };
    if s != 0 {
        return Err(status("LsaLookupAuthenticationPackage", s));
    }
    // MSV1_0_S4U_LOGON and KERB_S4U_LOGON share one layout: the message type, flags,
    // then the user's name and their domain (realm), the strings after the header in
    // the same buffer.
    let header = std::mem::size_of::<MSV1_0_S4U_LOGON>();
    let user: Vec<u16> = name.encode_utf16().collect();
    let realm: Vec<u16> = domain.encode_utf16().collect();
    let units = header.div_ceil(2) + user.len() + realm.len();
    let mut buf = vec![0u64; (units * 2).div_ceil(8)];
    let base = buf.as_mut_ptr() as *mut u8;
    // SAFETY: `buf` holds the header and both strings, written within it.
    let logon = unsafe {
        let strings = base.add(header.div_ceil(2) * 2) as *mut u16;
        std::ptr::copy_nonoverlapping(user.as_ptr(), strings, user.len());
        let realm_at = strings.add(user.len());
        std::ptr::copy_nonoverlapping(realm.as_ptr(), realm_at, realm.len());
        let unicode = |p: *mut u16, n: usize| LSA_UNICODE_STRING {
            Length: (n * 2) as u16,
            MaximumLength: (n * 2) as u16,
            Buffer: p,
        };
        let logon = base as *mut MSV1_0_S4U_LOGON;
        (*logon).MessageType = if kind == AccountKind::Domain {
            KerbS4ULogon
        } else {
            MsV1_0S4ULogon
        };
        (*logon).Flags = 0;
        (*logon).UserPrincipalName = unicode(strings, user.len());
        (*logon).DomainName = unicode(realm_at, realm.len());
        logon
    };
    let mut source = TOKEN_SOURCE {
        SourceName: b"loginfx\0".map(|b| b as i8),
        SourceIdentifier: LUID::default(),
    };
    // SAFETY: an out-pointer to a local.
    unsafe { AllocateLocallyUniqueId(&mut source.SourceIdentifier) };
    let origin = lsa_string(b"loginfix\0");
    let mut profile = null_mut();
    let mut profile_len = 0u32;
    let mut logon_id = LUID::default();
    let mut token: HANDLE = null_mut();
    let mut quotas = QUOTA_LIMITS::default();
    let mut sub = 0i32;
    // SAFETY: every pointer is to a local or to `buf`, alive for the call.
    let s = unsafe {
        LsaLogonUser(
            lsa.0,
            &origin,
            SECURITY_LOGON_TYPE(3), // Network: no password, no interactive rights needed
            package,
            logon.cast(),
            (units * 2) as u32,
            null(),
            &source,
            &mut profile,
            &mut profile_len,
            &mut logon_id,
            &mut token,
            &mut quotas,
            &mut sub,
        )
    };
    if !profile.is_null() {
        unsafe { LsaFreeReturnBuffer(profile) };
    }
    if s != 0 {
        return Err(status("LsaLogonUser (S4U)", s));
    }
    let token = unsafe { OwnedHandle::from_raw_handle(token) };
    // A network logon's token may be an impersonation token: CreateProcessAsUser needs a
    // primary one.
    let mut primary: HANDLE = null_mut();
    // SAFETY: a valid token; the copy is owned below.
    if unsafe {
        DuplicateTokenEx(
            token.as_raw_handle(),
            TOKEN_ALL_ACCESS,
            null(),
            SecurityImpersonation,
            TokenPrimary,
            &mut primary,
        )
    } == 0
    {
        return Err(format!("DuplicateTokenEx: {}", io::Error::last_os_error()));
    }
    Ok(Token(unsafe { OwnedHandle::from_raw_handle(primary) }))
}

/// A process started with a token, and its exit.
pub struct Process {
    handle: OwnedHandle,
    pid: u32,
}

impl Process {
    pub fn id(&self) -> u32 {
        self.pid
    }

    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        // SAFETY: an open process handle.
        match unsafe { WaitForSingleObject(self.handle.as_raw_handle(), 0) } {
            WAIT_OBJECT_0 => self.code().map(Some),
            WAIT_TIMEOUT => Ok(None),
            _ => Err(io::Error::last_os_error()),
        }
    }

    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        // SAFETY: an open process handle.
        unsafe { WaitForSingleObject(self.handle.as_raw_handle(), INFINITE) };
        self.code()
    }

    pub fn kill(&mut self) -> io::Result<()> {
        // SAFETY: an open process handle.
        if unsafe { TerminateProcess(self.handle.as_raw_handle(), 1) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    fn code(&self) -> io::Result<ExitStatus> {
        let mut code = 0u32;
        // SAFETY: an open process handle.
        if unsafe { GetExitCodeProcess(self.handle.as_raw_handle(), &mut code) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(ExitStatus::from_raw(code))
    }
}

/// The child as started: the process, the write end of its stdin (the control pipe),
/// and the read ends of its stdout and stderr.
pub struct Spawned {
    pub process: Process,
    pub control: File,
    pub stdout: File,
    pub stderr: File,
}

/// A pipe whose ends are both inheritable (the handle list says which the child gets);
/// `parent` picks the end kept here, which is made not inheritable.
fn pipe(parent_reads: bool) -> io::Result<(OwnedHandle, OwnedHandle)> {
    let sa = SECURITY_ATTRIBUTES {
        nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: null_mut(),
        bInheritHandle: 1,
    };
    let (mut r, mut w) = (null_mut(), null_mut());
    // SAFETY: out-pointers to locals, owned at once. 64 KiB: room for every message
    // the parent sends, so it never waits on a child that stopped reading.
    if unsafe { CreatePipe(&mut r, &mut w, &sa, 1 << 16) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let (r, w) = unsafe {
        (
            OwnedHandle::from_raw_handle(r),
            OwnedHandle::from_raw_handle(w),
        )
    };
    let (mine, theirs) = if parent_reads { (r, w) } else { (w, r) };
    // SAFETY: an open handle.
    if unsafe { SetHandleInformation(mine.as_raw_handle(), HANDLE_FLAG_INHERIT, 0) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((mine, theirs))
}

/// Starts `exe args` as `token`'s user: no window, a window station of its own (an empty
/// desktop name: the system finds or makes one for that logon), an environment of `env`
/// only, the three pipes its only handles.
pub fn spawn(
    token: &Token,
    exe: &Path,
    args: &[&OsStr],
    env: &[(&str, OsString)],
    dir: &Path,
) -> io::Result<Spawned> {
    let (control, child_in) = pipe(false)?;
    let (stdout, child_out) = pipe(true)?;
    let (stderr, child_err) = pipe(true)?;
    // A path cannot hold `"`, and the arguments here are a flag and a SID: quoting the
    // program is all the command line needs.
    let mut line = OsString::from("\"");
    line.push(exe.as_os_str());
    line.push("\"");
    for a in args {
        line.push(" ");
        line.push(a);
    }
    let mut line = wide(&line);
    let mut block: Vec<u16> = Vec::new();
    let mut env = env.to_vec();
    env.sort_by_key(|(k, _)| k.to_uppercase());
    for (k, v) in env {
        let mut kv = OsString::from(k);
        kv.push("=");
        kv.push(v);
        block.extend(kv.encode_wide());
        block.push(0);
    }
    block.push(0);
    let dir = wide(dir.as_os_str());
    let mut desktop = [0u16; 1];
    let handles = [
        child_in.as_raw_handle(),
        child_out.as_raw_handle(),
        child_err.as_raw_handle(),
    ];
    let mut size = 0usize;
    // SAFETY: the first call only asks the size.
    unsafe { InitializeProcThreadAttributeList(null_mut(), 1, 0, &mut size) };
    let mut attrs = vec![0u64; size.div_ceil(8)];
    let list = attrs.as_mut_ptr() as LPPROC_THREAD_ATTRIBUTE_LIST;
    // SAFETY: `attrs` holds `size` bytes; `handles` outlives the list's use.
    if unsafe { InitializeProcThreadAttributeList(list, 1, 0, &mut size) } == 0 {
        return Err(io::Error::last_os_error());
    }
    struct List(LPPROC_THREAD_ATTRIBUTE_LIST);
    impl Drop for List {
        fn drop(&mut self) {
            // SAFETY: initialised above.
            unsafe { DeleteProcThreadAttributeList(self.0) };
        }
    }
    let list = List(list);
    if unsafe {
        UpdateProcThreadAttribute(
            list.0,
            0,
            PROC_THREAD_ATTRIBUTE_HANDLE_LIST as usize,
            handles.as_ptr().cast(),
            std::mem::size_of_val(&handles),
            null_mut(),
            null(),
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    let mut si = STARTUPINFOEXW::default();
    si.StartupInfo.cb = std::mem::size_of::<STARTUPINFOEXW>() as u32;
    si.StartupInfo.lpDesktop = desktop.as_mut_ptr();
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = handles[0];
    si.StartupInfo.hStdOutput = handles[1];
    si.StartupInfo.hStdError = handles[2];
    si.lpAttributeList = list.0;
    let mut pi = PROCESS_INFORMATION::default();
    // SAFETY: every buffer is NUL-terminated and alive for the call; the handles it
    // returns are owned below.
    let ok = unsafe {
        CreateProcessAsUserW(
            token.0.as_raw_handle(),
            null(),
            line.as_mut_ptr(),
            null(),
            null(),
            1,
            CREATE_NO_WINDOW
                | CREATE_UNICODE_ENVIRONMENT
                | EXTENDED_STARTUPINFO_PRESENT
                | CREATE_NEW_PROCESS_GROUP,
            block.as_ptr().cast(),
            dir.as_ptr(),
            &si.StartupInfo,
            &mut pi,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    drop(list);
    let process = unsafe { OwnedHandle::from_raw_handle(pi.hProcess) };
    drop(unsafe { OwnedHandle::from_raw_handle(pi.hThread) });
    // The child's ends are closed here: its exit ends the parent's reads.
    drop((child_in, child_out, child_err));
    Ok(Spawned {
        process: Process {
            handle: process,
            pid: pi.dwProcessId,
        },
        control: File::from(control),
        stdout: File::from(stdout),
        stderr: File::from(stderr),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_made_here_is_owned_by_the_account_this_runs_as() {
        let own = own_sid().expect("this process's SID");
        assert!(own.starts_with("S-1-5-"), "{own}");
        assert_eq!(is_system(), own == SYSTEM_SID);
        let dir = tempfile::tempdir().unwrap();
        let handle = crate::platform::as_user::open_dir(dir.path()).unwrap();
        assert_eq!(owner_sid(&handle).as_deref(), Some(own.as_str()));
        assert_eq!(home_sid(dir.path(), &handle).as_deref(), Some(own.as_str()));
    }

    #[test]
    fn a_sid_that_names_no_account_gets_no_logon() {
        let err = s4u_token("S-1-5-21-1-2-3-999999", AccountKind::Local)
            .err()
            .expect("no token for an account that does not exist");
        assert!(err.contains("names no account"), "{err}");
        assert_eq!(account_kind("S-1-5-21-1-2-3-999999"), AccountKind::Domain);
        assert!(session_token("S-1-5-21-1-2-3-999999").is_none());
    }
}
