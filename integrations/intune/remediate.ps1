# Intune Remediations: remediation script, run when detect.ps1 exited 1. Runs
# `loginfix fix --yes` for every user of the machine: it fixes what loginfix can fix
# (cookies, cache and site data of openai.com/chatgpt.com, with a backup in each user's
# own profile) and reports the rest. Exit codes as for detect.ps1: 0 fixed (or nothing to
# do), 1 something failed, 2+ could not run (3: a browser was running, close it and retry;
# 4: a user's home could not be read or timed out).

$ErrorActionPreference = 'Stop'

$Loginfix = Join-Path $PSScriptRoot 'loginfix.exe'
if (-not (Test-Path -LiteralPath $Loginfix)) {
    $Loginfix = Join-Path $env:ProgramFiles 'loginfix\loginfix.exe'
}
$DataDir = Join-Path $env:ProgramData 'loginfix'
New-Item -ItemType Directory -Force -Path $DataDir | Out-Null
$JsonOut = Join-Path $DataDir 'fix.json'
$Log = Join-Path $DataDir 'remediate.log'

# The command line, one word per element (tests/fleet.rs reads this line).
$LoginfixArgs = @('--all-users', '--summary', '--timeout', '120', 'fix', '--yes')

if (-not (Test-Path -LiteralPath $Loginfix)) {
    Write-Output "loginfix.exe not found next to the script or in $env:ProgramFiles\loginfix"
    exit 2
}
$Output = & $Loginfix @LoginfixArgs --json-out $JsonOut 2> $Log
$Code = $LASTEXITCODE
$Output | Select-Object -Last 1 | Write-Output
exit $Code
