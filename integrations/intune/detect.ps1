# Intune Remediations: detection script. Runs `loginfix doctor` for every user of the
# machine (Intune runs this as SYSTEM, whose own profile has no browser) and tells Intune:
#   exit 0  nothing found, no remediation needed
#   exit 1  a finding of severity warning or worse: Intune runs remediate.ps1
#   exit 2+ could not check (2 usage, 3 a browser was running, 4 partial: a user's home
#           could not be read or timed out); Intune reports the run as failed
# The portal shows the last line of stdout: loginfix's --summary line. Diagnostics go to
# a log file, not stderr (anything on stderr can turn the run into a script error).
# The whole JSON document is kept in %ProgramData%\loginfix\doctor.json (mode 0600).

$ErrorActionPreference = 'Stop'

# loginfix.exe next to this script (Win32 app), else where the installer puts it.
$Loginfix = Join-Path $PSScriptRoot 'loginfix.exe'
if (-not (Test-Path -LiteralPath $Loginfix)) {
    $Loginfix = Join-Path $env:ProgramFiles 'loginfix\loginfix.exe'
}
$DataDir = Join-Path $env:ProgramData 'loginfix'
New-Item -ItemType Directory -Force -Path $DataDir | Out-Null
$JsonOut = Join-Path $DataDir 'doctor.json'
$Log = Join-Path $DataDir 'detect.log'

# The command line, one word per element (tests/fleet.rs reads this line).
$LoginfixArgs = @('--all-users', '--summary', '--timeout', '30', 'doctor')

if (-not (Test-Path -LiteralPath $Loginfix)) {
    Write-Output "loginfix.exe not found next to the script or in $env:ProgramFiles\loginfix"
    exit 2
}
$Output = & $Loginfix @LoginfixArgs --json-out $JsonOut 2> $Log
$Code = $LASTEXITCODE
# The summary is loginfix's only stdout line; print it last for the portal.
$Output | Select-Object -Last 1 | Write-Output
exit $Code
