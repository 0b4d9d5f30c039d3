#!/usr/bin/env pwsh
# Entry point for PowerShell: the same steps as build.sh. Finds a .NET SDK that satisfies global.json,
# restores Cake, builds the toolkit's entry point when its sources changed, runs build/build.cake with every
# argument passed through, and exits with its exit code.
# Usage: ./build.ps1 [--target=Task] [--option=value ...]      (README.md lists tasks and options)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
# Relative paths in options (--serving-dir=../serving) mean the caller's folder, not the toolkit's.
$env:SERVINGBUILD_CALLER_DIR = (Get-Location).Path
Set-Location $root

function Fail([int]$code, [string]$message) {
    [Console]::Error.WriteLine("error: $message")
    exit $code
}

# .NET 10 needs glibc 2.27 or newer; CentOS 7 has 2.17 (see README, CentOS 7).
if ($IsLinux) {
    $glibc = (& getconf GNU_LIBC_VERSION 2>$null) -replace '^glibc\s+', ''
    if ($glibc -and ([version]$glibc -lt [version]'2.27')) {
        Fail 3 "this host has glibc $glibc and .NET 10 needs 2.27 or newer (CentOS 7 has 2.17), so the toolkit cannot run here; drive this host from a Linux machine with .NET: './build.sh --target=Provision --build-host=user@this-host', or write a plan to run here: './build.sh --target=Provision --emit-script=provision.sh' then 'sudo bash provision.sh' (README.md, CentOS 7)"
    }
}

$stamps = Join-Path $root 'artifacts/.stamps'
$logs = Join-Path $root 'artifacts/logs'
New-Item -ItemType Directory -Force -Path $stamps, $logs | Out-Null

# Linux and macOS, when this script is the file pwsh was started with (`pwsh -File ./build.ps1 ...`, `pwsh ./build.ps1`,
# `./build.ps1` through the #! line): the arguments as the user typed them, from pwsh's own argv. pwsh binds a script's
# arguments like PowerShell parameters first: '--server=host:8500' reaches $args as '--server=host:' and '8500', and
# a trailing tab is cut. pwsh's switches come first; the first word naming this script ends them (any other word is
# a switch's value, -ExecutionPolicy Bypass, or a -Command string). Inside an interactive session (or -NoExit) the
# script is not its own process: nothing here changes, $args is used and signals are left to pwsh.
$typedArgs = $null
if (-not $IsWindows) {
    $argv = [Environment]::GetCommandLineArgs()
    for ($i = 1; $i -lt $argv.Count; $i++) {
        if ($argv[$i] -match '^-noe') { break }
        if (-not $argv[$i].StartsWith('-') -and [System.IO.Path]::GetFullPath($argv[$i], $env:SERVINGBUILD_CALLER_DIR) -eq $PSCommandPath) {
            $typedArgs = [string[]]@($argv | Select-Object -Skip ($i + 1))
            break
        }
    }
}

# Linux and macOS: SIGINT, SIGTERM and SIGHUP sent to pwsh (a CI runner's cancel, systemd, a closed terminal) go
# to the child this script waits for, as build.sh's traps do, and the run exits 130, 143 or 129 once that child
# stopped what it started (build/pwsh/SignalForwarding.cs says why this is C#). Compiling it costs ~1 s, so the
# assembly is kept per .NET version and only loaded on later runs. Windows is left as it was: Ctrl+C reaches
# every process of the console there, and an interactive session handles Ctrl+C itself.
$forwarding = $null -ne $typedArgs
if ($forwarding) {
    $forwardingSource = Join-Path $root 'build/pwsh/SignalForwarding.cs'
    $forwardingDll = Join-Path $stamps "SignalForwarding-$([Environment]::Version).dll"
    if (-not (Test-Path $forwardingDll) -or (Get-Item $forwardingSource).LastWriteTimeUtc -gt (Get-Item $forwardingDll).LastWriteTimeUtc) {
        # Compiled beside its final name and renamed, so that a run starting meanwhile never loads half a file.
        $compiling = "$forwardingDll.$PID.tmp"
        Add-Type -Path $forwardingSource -OutputAssembly $compiling -OutputType Library
        Move-Item -Force -LiteralPath $compiling -Destination $forwardingDll
    }
    Add-Type -Path $forwardingDll
    [ServingBuild.EntryPoint.SignalForwarding]::Register()
}

# Runs a child and sets $LASTEXITCODE, as `&` does; every argument reaches it as one argv entry, as typed.
function Invoke-Child([string]$file, [string[]]$arguments, [string]$log) {
    if ($forwarding) {
        $global:LASTEXITCODE = [ServingBuild.EntryPoint.SignalForwarding]::Run($file, $arguments, (Get-Location).ProviderPath, $log)
    } elseif ($log) {
        & $file @arguments *> $log
    } else {
        & $file @arguments
    }
}

# pwsh stops a running script on SIGINT (its Ctrl+C handling) before an `exit` could run; the finally block still
# does, and ends the run with the signal's code.
try {
    $wanted = (Get-Content (Join-Path $root 'global.json') -Raw | ConvertFrom-Json).sdk.version
    $candidates = @()
    if ($env:DOTNET_ROOT) { $candidates += (Join-Path $env:DOTNET_ROOT 'dotnet') }
    $onPath = Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { $candidates += $onPath.Source }
    $candidates += (Join-Path $HOME '.dotnet/dotnet'), '/usr/share/dotnet/dotnet', '/usr/lib/dotnet/dotnet'
    $dotnet = $candidates | Where-Object { $_ -and (Test-Path $_ -PathType Leaf) } | Select-Object -First 1
    if (-not $dotnet) {
        Fail 3 "no .NET SDK found; install .NET SDK $wanted or a later 10.0 feature band and put dotnet on PATH"
    }
    $sdk = & $dotnet --version 2>$null
    if ($LASTEXITCODE -ne 0) {
        Fail 3 "$dotnet has no SDK that satisfies global.json ($wanted, rollForward latestFeature); install .NET SDK $wanted or later in the 10.0 band"
    }
    $env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
    $env:DOTNET_NOLOGO = '1'

    function Test-Changed([string]$stamp, [string[]]$paths) {
        if (-not (Test-Path $stamp)) { return $true }
        $since = (Get-Item $stamp).LastWriteTimeUtc
        foreach ($p in $paths) {
            $full = Join-Path $root $p
            if (-not (Test-Path $full)) { continue }
            $newer = Get-ChildItem -Path $full -Recurse -File -ErrorAction SilentlyContinue |
                Where-Object { $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1
            if ((Get-Item $full).LastWriteTimeUtc -gt $since -or $newer) { return $true }
        }
        return $false
    }

    function Touch([string]$path) {
        if (Test-Path $path) { (Get-Item $path).LastWriteTimeUtc = [DateTime]::UtcNow } else { New-Item -ItemType File -Path $path | Out-Null }
    }

    # Cake.Tool from the tool manifest. Its Cake.dll is run directly, as build.sh does: `dotnet tool run` adds ~0.2 s and
    # a process of its own between this script and Cake, which a forwarded signal would stop at instead of Cake.
    $cakeVersion = (Get-Content (Join-Path $root '.config/dotnet-tools.json') -Raw | ConvertFrom-Json).tools.'cake.tool'.version
    $nugetPackages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $cakeDll = Join-Path $nugetPackages "cake.tool/$cakeVersion/tools/net10.0/any/Cake.dll"
    if (-not (Test-Path $cakeDll) -or (Test-Changed (Join-Path $stamps 'tools') @('.config/dotnet-tools.json', 'global.json'))) {
        Invoke-Child $dotnet @('tool', 'restore') (Join-Path $logs 'tool-restore.log')
        if ($LASTEXITCODE -ne 0) { Fail 3 "'dotnet tool restore' failed (Cake.Tool $cakeVersion from NuGet); see artifacts/logs/tool-restore.log" }
        Touch (Join-Path $stamps 'tools')
    }

    $cli = Join-Path $root 'artifacts/dotnet/bin/ServingBuild.Cli/release/ServingBuild.Cli.dll'
    if (-not (Test-Path $cli) -or (Test-Changed (Join-Path $stamps 'cli') @('src/ServingBuild', 'src/ServingBuild.Cli', 'Directory.Build.props', 'Directory.Packages.props', 'global.json'))) {
        Write-Host 'Building the toolkit (src/ServingBuild.Cli) ...'
        Invoke-Child $dotnet @('build', 'src/ServingBuild.Cli/ServingBuild.Cli.csproj', '-c', 'Release', '--nologo', '-v', 'quiet', '-clp:NoSummary') (Join-Path $logs 'toolkit-build.log')
        if ($LASTEXITCODE -ne 0) {
            Select-String -Path (Join-Path $logs 'toolkit-build.log') -Pattern ': error ' | Select-Object -First 5 | ForEach-Object { [Console]::Error.WriteLine($_.Line) }
            Fail 1 'building the toolkit failed; see artifacts/logs/toolkit-build.log'
        }
        Touch (Join-Path $stamps 'cli')
    }

    $env:SERVINGBUILD_ROOT = $root
    $env:SERVINGBUILD_CLI = $cli
    $env:SERVINGBUILD_SDK = $sdk

    # The one parse of the command line (see build.sh): validated once, written to this run's file; Cake gets only
    # its own arguments, read back NUL-separated so that no value is re-quoted.
    $runDir = Join-Path $root "artifacts/run/$PID"
    # From the caller's folder, so relative paths in options mean what the user meant.
    Push-Location $env:SERVINGBUILD_CALLER_DIR
    try { Invoke-Child $dotnet (@('exec', $cli, 'prepare', $runDir) + @(if ($forwarding) { $typedArgs } else { $args })) } finally { Pop-Location }
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    $cakeArgsFile = Join-Path $runDir 'cake.args'
    if (-not (Test-Path $cakeArgsFile)) { exit 0 }   # --help: printed, nothing to run
    $cakeArgs = @(([System.IO.File]::ReadAllText($cakeArgsFile)).Split([char]0, [System.StringSplitOptions]::RemoveEmptyEntries))
    $env:SERVINGBUILD_RUN = Join-Path $runDir 'run.json'

    $env:CAKE_SETTINGS_ENABLESCRIPTCACHE = 'true'
    $env:CAKE_PATHS_CACHE = Join-Path $root 'artifacts/cake-cache'
    if (Test-Path $cakeDll) {
        Invoke-Child $dotnet (@('exec', $cakeDll, 'build/build.cake') + $cakeArgs)
    } else {
        Invoke-Child $dotnet (@('tool', 'run', 'dotnet-cake', '--', 'build/build.cake') + $cakeArgs)
    }
    exit $LASTEXITCODE
} finally {
    if ($forwarding) { [ServingBuild.EntryPoint.SignalForwarding]::ExitIfSignalled() }
}
