# Intune Remediations: remediation script, run as SYSTEM when detect.ps1 exited 1 (a
# clean was requested with `loginfix.exe request`). Runs `loginfix fix --yes
# --if-requested` for every user of the machine: it cleans only while the request stands
# and clears it, so a clean happens once per request (cookies, cache and site data of
# openai.com/chatgpt.com, with a backup in each user's own profile; `loginfix.exe
# --all-users restore` undoes it). The portal shows the last line: the summary.
#   exit 0  done, or nothing requested
#   exit 1  something failed, or a user's browser was open (those profiles were skipped)
#   exit 2  loginfix could not run
# Works in Windows PowerShell 5.1 and PowerShell 7, 32- and 64-bit (see detect.ps1).

$ErrorActionPreference = 'Continue'

# The command line, one word per element (tests/fleet.rs reads this line).
$LoginfixArgs = @('--all-users', '--summary', '--timeout', '120', 'fix', '--yes', '--if-requested')

function Find-Loginfix {
    foreach ($base in @($env:ProgramW6432, $env:ProgramFiles)) {
        if ($base) {
            $exe = Join-Path $base 'loginfix\loginfix.exe'
            if (Test-Path -LiteralPath $exe) { return $exe }
        }
    }
    return $null
}

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
if ($Dir) { $Args1 = @('--json-out', (Join-Path $Dir 'fix.json')) + $LoginfixArgs }
else { $Note = ' [document not kept: %ProgramData%\loginfix is not private to SYSTEM and Administrators]' }
$Run = Invoke-Loginfix $Loginfix $Args1
Write-Output ($Run.Line + $Note)
switch ($Run.Code) {
    0 { exit 0 }
    2 { exit 2 }
    default { exit 1 }
}
