# Shared helpers for the Pester tests of MedImageCleaner.
Set-StrictMode -Version 3.0

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path

function Get-RepoRoot {
    $script:RepoRoot
}

# The module manifest under test: $env:MEDIMAGECLEANER_MODULE (set by build.ps1), else out/MedImageCleaner/<version>.
function Get-ModuleManifestPath {
    if ($env:MEDIMAGECLEANER_MODULE) {
        return $env:MEDIMAGECLEANER_MODULE
    }
    $version = (Import-PowerShellDataFile (Join-Path $script:RepoRoot 'module' 'MedImageCleaner.psd1')).ModuleVersion
    Join-Path $script:RepoRoot 'out' 'MedImageCleaner' $version 'MedImageCleaner.psd1'
}

function Import-MedImageCleaner {
    $manifest = Get-ModuleManifestPath
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "The module is not built at $manifest. Run: dotnet pwsh ./build.ps1 -Task Build"
    }
    # -Global: imported from inside this helper module, it would otherwise be visible to the helper only.
    Import-Module -Name $manifest -Force -Global -ErrorAction Stop
    # The sample generator lives in the Core dll of the module folder.
    Add-Type -LiteralPath (Join-Path (Split-Path $manifest) 'MedImageCleaner.Core.dll')
}

# A folder of ../shared/corpus (relative to the repository root), or $null when it is not there.
function Get-SharedCorpusPath([string] $Name) {
    $path = Join-Path $script:RepoRoot '..' 'shared' 'corpus' $Name
    if (Test-Path -LiteralPath $path -PathType Container) { (Resolve-Path -LiteralPath $path).Path } else { $null }
}

# Writes synthetic DICOM files (CT, MR, US in turn; fake patients such as DOE^JANE) and returns their paths.
function New-SampleDicom {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [int] $Count = 3,
        [int] $Seed = 0
    )
    [MedImageCleaner.Core.Samples.SampleCorpus]::Write($Path, $Count, $Seed)
}

# Writes the synthetic images with their header PHI burned into the pixels (burned_us_rgb.dcm, burned_ct16.dcm).
function New-BurnedInSample {
    param([Parameter(Mandatory)] [string] $Path, [int] $Seed = 0)
    [MedImageCleaner.Core.Samples.BurnedInSamples]::Write($Path, $Seed)
}

# Runs a script in another pwsh (the one running the tests) and kills it, with its child processes, once -Folder holds
# at least -KillAfter files matching -Filter (or after -TimeoutMinutes). Returns ExitedBeforeKill (the run ended on its
# own before the kill: the test then proves nothing) and the child's standard error.
function Invoke-KilledRun {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $Arguments = @(),
        [Parameter(Mandatory)] [string] $Folder,
        [string] $Filter = '*.dcm',
        [Parameter(Mandatory)] [int] $KillAfter,
        [int] $TimeoutMinutes = 3
    )
    # Under `dotnet pwsh` (the local tool) the process is the dotnet host running pwsh.dll.
    $pwsh = (Get-Process -Id $PID).Path
    $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @([Environment]::GetCommandLineArgs()[0]) } else { @() }
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
    foreach ($a in @($prefix) + @('-NoProfile', '-NonInteractive', '-File', $Script) + $Arguments) {
        $start.ArgumentList.Add($a)
    }
    $start.RedirectStandardError = $true
    $start.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $errors = $process.StandardError.ReadToEndAsync()
    $null = $process.StandardOutput.ReadToEndAsync()
    try {
        $deadline = [datetime]::UtcNow.AddMinutes($TimeoutMinutes)
        do {
            Start-Sleep -Milliseconds 5
            $n = if ([System.IO.Directory]::Exists($Folder)) { [System.IO.Directory]::GetFiles($Folder, $Filter).Count } else { 0 }
        } until ($n -ge $KillAfter -or $process.HasExited -or [datetime]::UtcNow -gt $deadline)
        $exited = $process.HasExited
    }
    finally {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.WaitForExit()
    }
    [pscustomobject]@{ ExitedBeforeKill = $exited; Errors = $errors.Result }
}

# Runs a script file in a fresh pwsh (the one running the tests: `dotnet pwsh` or pwsh), with extra environment
# variables, and kills it after -TimeoutSeconds. Returns ExitCode, Output, Errors and TimedOut (a hang is a result too).
function Invoke-FreshPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 300
    )
    $pwsh = (Get-Process -Id $PID).Path
    $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @([Environment]::GetCommandLineArgs()[0]) } else { @() }
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
    foreach ($a in @($prefix) + @('-NoProfile', '-NonInteractive', '-File', $Script) + $Arguments) {
        $start.ArgumentList.Add($a)
    }
    foreach ($k in $Environment.Keys) {
        $start.Environment[$k] = [string] $Environment[$k]
    }
    $start.RedirectStandardError = $true
    $start.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $errors = $process.StandardError.ReadToEndAsync()
    $output = $process.StandardOutput.ReadToEndAsync()
    $timedOut = -not $process.WaitForExit($TimeoutSeconds * 1000)
    if ($timedOut) {
        $process.Kill($true)
    }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $output.Result; Errors = $errors.Result; TimedOut = $timedOut }
}

Export-ModuleMember -Function Get-RepoRoot, Get-ModuleManifestPath, Import-MedImageCleaner, Get-SharedCorpusPath, New-SampleDicom, New-BurnedInSample, Invoke-KilledRun, Invoke-FreshPwsh
