# loginfix installer for Windows (Windows PowerShell 5.1 and PowerShell 7):
#
#   irm https://github.com/OWNER/loginfix/releases/latest/download/install.ps1 | iex
#
# Downloads loginfix-x86_64-pc-windows-gnu.zip and SHA256SUMS, refuses the zip unless its
# SHA-256 is the one SHA256SUMS lists, checks that the loginfix.exe in it runs, installs it
# into %LOCALAPPDATA%\Programs\loginfix and adds that directory to the user's PATH. Nothing
# is installed when a step fails. Settings: $env:LOGINFIX_BASE_URL (where to download
# from) and $env:LOGINFIX_INSTALL_DIR (where to install).
#
# This file is ASCII only: Windows PowerShell 5.1's `irm` reads a download that names no
# charset as Latin-1, so the Japanese messages are written as \uXXXX escapes, decoded by
# [regex]::Unescape. Everything runs inside one script block, so that `iex` leaves no
# variables behind and a failure does not close the window (`exit` only when run as a
# file). No PowerShell runs in CI: tests/install.rs reads the names, the URL, the SHA256SUMS
# pattern and the messages out of this file and checks them.

& {
    $ErrorActionPreference = 'Stop'
    # Invoke-WebRequest's progress bar slows Windows PowerShell 5.1's downloads tenfold.
    $ProgressPreference = 'SilentlyContinue'

    # The GitHub account that publishes the releases: the one place it is named.
    $Owner = 'OWNER'
    $Target = 'x86_64-pc-windows-gnu'
    $Archive = "loginfix-$Target.zip"
    $Member = "loginfix-$Target\loginfix.exe"
    $DefaultBaseUrl = "https://github.com/$Owner/loginfix/releases/latest/download"
    # A SHA256SUMS line: "<64 hex>  <name>" (sha256sum's format; a "*" before the name marks
    # binary mode). PowerShell's -match ignores case.
    $SumsPattern = '^([0-9A-Fa-f]{64}) [ *](.+)$'

    $Text = @{
        en = @{
            Error = 'loginfix installer: error: {0}'
            Not64 = 'loginfix needs 64-bit Windows; this is 32-bit Windows.'
            Downloading = 'Downloading {0}'
            NoDownload = 'could not download {0} ({1})'
            NotListed = '{0} is not listed in SHA256SUMS, so it cannot be checked; nothing was installed.'
            Mismatch = 'the SHA-256 of {0} is not the one in SHA256SUMS; the download is damaged or was tampered with. Nothing was installed.'
            Expected = '  SHA256SUMS:      {0}'
            Actual = '  downloaded file: {0}'
            NotInArchive = '{0} does not hold {1}.'
            NotRunnable = 'the downloaded loginfix.exe does not run on this computer; nothing was installed.'
            Installed = 'Installed {0} to {1}'
            PathAdded = 'Added {0} to your PATH: run `loginfix` in this window or in a new one.'
            PathPresent = '{0} is on your PATH: run `loginfix` to start.'
        }
        ja = @{
            Error = 'loginfix \u30a4\u30f3\u30b9\u30c8\u30fc\u30e9\u30fc\uff1a\u30a8\u30e9\u30fc\uff1a{0}'
            Not64 = 'loginfix \u306b\u306f 64 \u30d3\u30c3\u30c8\u7248\u306e Windows \u304c\u5fc5\u8981\u3067\u3059\u3002\u3053\u306e Windows \u306f 32 \u30d3\u30c3\u30c8\u7248\u3067\u3059\u3002'
            Downloading = '\u30c0\u30a6\u30f3\u30ed\u30fc\u30c9\u3057\u3066\u3044\u307e\u3059\uff1a{0}'
            NoDownload = '\u30c0\u30a6\u30f3\u30ed\u30fc\u30c9\u3067\u304d\u307e\u305b\u3093\u3067\u3057\u305f\uff1a{0}\uff08{1}\uff09'
            NotListed = '{0} \u304c SHA256SUMS \u306b\u8f09\u3063\u3066\u3044\u306a\u3044\u305f\u3081\u3001\u78ba\u8a8d\u3067\u304d\u307e\u305b\u3093\u3002\u4f55\u3082\u30a4\u30f3\u30b9\u30c8\u30fc\u30eb\u3057\u3066\u3044\u307e\u305b\u3093\u3002'
            Mismatch = '{0} \u306e SHA-256 \u304c SHA256SUMS \u306e\u5024\u3068\u4e00\u81f4\u3057\u307e\u305b\u3093\u3002\u30c0\u30a6\u30f3\u30ed\u30fc\u30c9\u304c\u58ca\u308c\u3066\u3044\u308b\u304b\u3001\u6539\u3056\u3093\u3055\u308c\u3066\u3044\u307e\u3059\u3002\u4f55\u3082\u30a4\u30f3\u30b9\u30c8\u30fc\u30eb\u3057\u3066\u3044\u307e\u305b\u3093\u3002'
            Expected = '  SHA256SUMS \u306e\u5024\uff1a{0}'
            Actual = '  \u30c0\u30a6\u30f3\u30ed\u30fc\u30c9\u3057\u305f\u30d5\u30a1\u30a4\u30eb\u306e\u5024\uff1a{0}'
            NotInArchive = '{0} \u306b {1} \u304c\u5165\u3063\u3066\u3044\u307e\u305b\u3093\u3002'
            NotRunnable = '\u30c0\u30a6\u30f3\u30ed\u30fc\u30c9\u3057\u305f loginfix.exe \u306f\u3053\u306e\u30b3\u30f3\u30d4\u30e5\u30fc\u30bf\u30fc\u3067\u52d5\u304d\u307e\u305b\u3093\u3002\u4f55\u3082\u30a4\u30f3\u30b9\u30c8\u30fc\u30eb\u3057\u3066\u3044\u307e\u305b\u3093\u3002'
            Installed = '{0} \u3092 {1} \u306b\u30a4\u30f3\u30b9\u30c8\u30fc\u30eb\u3057\u307e\u3057\u305f\u3002'
            PathAdded = '{0} \u3092 PATH \u306b\u8ffd\u52a0\u3057\u307e\u3057\u305f\u3002\u3053\u306e\u30a6\u30a3\u30f3\u30c9\u30a6\u3067\u3082\u65b0\u3057\u3044\u30a6\u30a3\u30f3\u30c9\u30a6\u3067\u3082 `loginfix` \u3067\u8d77\u52d5\u3067\u304d\u307e\u3059\u3002'
            PathPresent = '{0} \u306f PATH \u306b\u542b\u307e\u308c\u3066\u3044\u307e\u3059\u3002`loginfix` \u3067\u8d77\u52d5\u3067\u304d\u307e\u3059\u3002'
        }
    }
    $Lang = 'en'
    if ((Get-UICulture).Name -like 'ja*') {
        $Lang = 'ja'
        foreach ($key in @($Text.ja.Keys)) { $Text.ja[$key] = [regex]::Unescape($Text.ja[$key]) }
    }
    function T([string]$Key) { return $Text[$Lang][$Key] -f $args }

    function Get-Url([string]$Base, [string]$Name) { return $Base.TrimEnd('/') + '/' + $Name }

    # A URL as it may be shown: without a user name or password before the host.
    function Show-Url([string]$Url) { return $Url -replace '^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@', '$1' }

    function Install-Loginfix {
        if (-not [Environment]::Is64BitOperatingSystem) { throw (T 'Not64') }
        $baseUrl = $env:LOGINFIX_BASE_URL
        if (-not $baseUrl) { $baseUrl = $DefaultBaseUrl }
        $installDir = $env:LOGINFIX_INSTALL_DIR
        if (-not $installDir) { $installDir = Join-Path $env:LOCALAPPDATA 'Programs\loginfix' }
        $installDir = [IO.Path]::GetFullPath($installDir)

        # GitHub needs TLS 1.2, which Windows PowerShell 5.1 may not offer by default.
        try {
            [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
        } catch { }

        $tmp = Join-Path ([IO.Path]::GetTempPath()) ('loginfix-install-' + [Guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $tmp | Out-Null
        try {
            foreach ($name in @('SHA256SUMS', $Archive)) {
                $url = Get-Url $baseUrl $name
                Write-Host (T 'Downloading' (Show-Url $url))
                try {
                    Invoke-WebRequest -UseBasicParsing -Uri $url -OutFile (Join-Path $tmp $name)
                } catch {
                    throw (T 'NoDownload' (Show-Url $url) $_.Exception.Message)
                }
            }

            $expected = $null
            foreach ($line in (Get-Content -LiteralPath (Join-Path $tmp 'SHA256SUMS'))) {
                if ($line.Trim() -match $SumsPattern -and $Matches[2] -eq $Archive) {
                    $expected = $Matches[1].ToLowerInvariant()
                    break
                }
            }
            if (-not $expected) { throw (T 'NotListed' $Archive) }
            $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $tmp $Archive)).Hash.ToLowerInvariant()
            if ($actual -ne $expected) {
                throw ((T 'Mismatch' $Archive), (T 'Expected' $expected), (T 'Actual' $actual) -join [Environment]::NewLine)
            }

            $unpacked = Join-Path $tmp 'x'
            Expand-Archive -LiteralPath (Join-Path $tmp $Archive) -DestinationPath $unpacked
            $exe = Join-Path $unpacked $Member
            if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) { throw (T 'NotInArchive' $Archive $Member) }

            # A copy under another name in the install directory, checked to run, then put
            # in place; a loginfix.exe that is running is renamed out of the way first
            # (Windows lets a running program be renamed, not replaced).
            New-Item -ItemType Directory -Force -Path $installDir | Out-Null
            $dest = Join-Path $installDir 'loginfix.exe'
            $staged = Join-Path $installDir 'loginfix.install.exe'
            $old = Join-Path $installDir 'loginfix.old.exe'
            Copy-Item -LiteralPath $exe -Destination $staged -Force
            $version = $null
            try {
                $output = @(& $staged --version)
                if ($LASTEXITCODE -eq 0) { $version = $output[0] }
            } catch { }
            if (-not $version) {
                Remove-Item -LiteralPath $staged -Force -ErrorAction SilentlyContinue
                throw (T 'NotRunnable')
            }
            if (Test-Path -LiteralPath $dest) {
                Remove-Item -LiteralPath $old -Force -ErrorAction SilentlyContinue
                Move-Item -LiteralPath $dest -Destination $old -Force
            }
            Move-Item -LiteralPath $staged -Destination $dest
            Remove-Item -LiteralPath $old -Force -ErrorAction SilentlyContinue
            Write-Host (T 'Installed' $version $dest)
        } finally {
            Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
        }

        # The user's PATH (HKCU\Environment), read as stored: entries such as
        # %USERPROFILE%\bin stay unexpanded, and the value keeps its registry type.
        $key = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Environment')
        try {
            $raw = [string]$key.GetValue('Path', '', 'DoNotExpandEnvironmentNames')
            $entries = @($raw -split ';' | Where-Object { $_ -ne '' })
            $expanded = @($entries | ForEach-Object { [Environment]::ExpandEnvironmentVariables($_).TrimEnd('\') })
            if ($expanded -contains $installDir.TrimEnd('\')) {
                Write-Host (T 'PathPresent' $installDir)
            } else {
                $kind = 'ExpandString'
                if ($raw -ne '') { $kind = $key.GetValueKind('Path') }
                $key.SetValue('Path', (@($entries + $installDir) -join ';'), $kind)
                # Tells Explorer, and so the windows opened from now on, that the
                # environment changed (SetEnvironmentVariable broadcasts WM_SETTINGCHANGE).
                [Environment]::SetEnvironmentVariable('LOGINFIX_INSTALLER', '1', 'User')
                [Environment]::SetEnvironmentVariable('LOGINFIX_INSTALLER', $null, 'User')
                $env:Path = ($env:Path.TrimEnd(';') + ';' + $installDir)
                Write-Host (T 'PathAdded' $installDir)
            }
        } finally {
            $key.Close()
        }
    }

    try {
        Install-Loginfix
    } catch {
        Write-Host (T 'Error' $_.Exception.Message) -ForegroundColor Red
        if ($PSCommandPath) { exit 1 }
    }
}
