# Intune Remediations: detection script, run on Intune's schedule as SYSTEM. It reports
# and never cleans: the portal shows the last line of stdout, loginfix's one-line
# `doctor` summary for every user of the machine. It asks Intune to remediate (exit 1)
# only when support requested a clean on this machine (`loginfix.exe request`, which
# writes HKLM\SOFTWARE\loginfix; no user can), so a finding that `fix` cannot change (an
# ad blocker, a proxy) never signs everyone out of ChatGPT on every cycle.
#   exit 0  no clean requested (whatever doctor found: see the summary line)
#   exit 1  a clean is requested: Intune runs remediate.ps1, which clears the request
#   exit 2  loginfix could not run (not found, or an error: see the line)
# Works in Windows PowerShell 5.1 and PowerShell 7, 32- and 64-bit: loginfix runs as a
# process whose stdout (UTF-8) and stderr are both read, so nothing it writes on stderr
# can stop the script. The JSON document goes to %ProgramData%\loginfix (see below).

$ErrorActionPreference = 'Continue'

# The command lines, one word per element (tests/fleet.rs reads these lines).
$LoginfixArgs = @('--all-users', '--summary', '--timeout', '30', 'doctor')
$RequestArgs = @('--summary', 'request', '--status')

# Where the Win32 app installs loginfix.exe: the 64-bit Program Files, also from the
# 32-bit PowerShell Intune uses by default (where $env:ProgramFiles is the x86 one).
function Find-Loginfix {
    foreach ($base in @($env:ProgramW6432, $env:ProgramFiles)) {
        if ($base) {
            $exe = Join-Path $base 'loginfix\loginfix.exe'
            if (Test-Path -LiteralPath $exe) { return $exe }
        }
    }
    return $null
}

# %ProgramData%\loginfix, for SYSTEM and Administrators only. One that a user made first
# (not owned by them) or that is a junction is not used: the document is then not kept.
function Get-PrivateDir {
    $dir = Join-Path $env:ProgramData 'loginfix'
    if (Test-Path -LiteralPath $dir) {
        $item = Get-Item -LiteralPath $dir -Force
        if ($item.Attributes -band [IO.FileAttributes]::ReparsePoint) { return $null }
        $owner = (Get-Acl -LiteralPath $dir).Owner
        if ($owner -notin @('NT AUTHORITY\SYSTEM', 'BUILTIN\Administrators')) { return $null }
        return $dir
    }
    New-Item -ItemType Directory -Path $dir | Out-Null
    $acl = New-Object Security.AccessControl.DirectorySecurity
    $acl.SetAccessRuleProtection($true, $false)
    foreach ($who in @('NT AUTHORITY\SYSTEM', 'BUILTIN\Administrators')) {
        $acl.AddAccessRule((New-Object Security.AccessControl.FileSystemAccessRule(
            $who, 'FullControl', 'ContainerInherit,ObjectInherit', 'None', 'Allow')))
    }
    Set-Acl -LiteralPath $dir -AclObject $acl
    return $dir
}

# Runs loginfix and returns its exit code and the last line of its stdout (UTF-8).
function Invoke-Loginfix([string]$Exe, [string[]]$Arguments) {
    $psi = New-Object Diagnostics.ProcessStartInfo
    $psi.FileName = $Exe
    $psi.Arguments = ($Arguments | ForEach-Object { '"' + ($_ -replace '"', '\"') + '"' }) -join ' '
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = [Text.Encoding]::UTF8
    $psi.StandardErrorEncoding = [Text.Encoding]::UTF8
    $p = [Diagnostics.Process]::Start($psi)
    $err = $p.StandardError.ReadToEndAsync()
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    $null = $err.Result
    $last = ($out -split "`r?`n" | Where-Object { $_ -ne '' } | Select-Object -Last 1)
    return @{ Code = $p.ExitCode; Line = $last }
}

$Loginfix = Find-Loginfix
if (-not $Loginfix) {
    Write-Output 'loginfix.exe not found in Program Files\loginfix'
    exit 2
}
$Dir = Get-PrivateDir
$Args1 = $LoginfixArgs
$Note = ''
if ($Dir) { $Args1 = @('--json-out', (Join-Path $Dir 'doctor.json')) + $LoginfixArgs }
else { $Note = ' [document not kept: %ProgramData%\loginfix is not private to SYSTEM and Administrators]' }
$Request = Invoke-Loginfix $Loginfix $RequestArgs
$Report = Invoke-Loginfix $Loginfix $Args1
# The doctor line last: the portal shows it.
if ($Request.Code -eq 1) { Write-Output $Request.Line }
Write-Output ($Report.Line + $Note)
switch ($Request.Code) {
    0 { exit 0 }
    1 { exit 1 }
    default { exit 2 }
}
