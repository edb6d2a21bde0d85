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
    # The sample generators live in MedImageCleaner.Samples.dll (built with the solution, not shipped in the module);
    # it binds to the Core dll of the module folder, loaded first.
    # Its other dependency (OpenCvSharp, managed part only) is taken from the module folder too.
    Add-Type -LiteralPath (Join-Path (Split-Path $manifest) 'MedImageCleaner.Core.dll')
    Add-Type -LiteralPath (Join-Path (Split-Path $manifest) 'OpenCvSharp.dll')
    Add-Type -LiteralPath (Get-SamplesAssemblyPath)
}

# MedImageCleaner.Samples.dll: $env:MEDIMAGECLEANER_SAMPLES (set by build.ps1), else the Release or Debug build output.
function Get-SamplesAssemblyPath {
    if ($env:MEDIMAGECLEANER_SAMPLES -and (Test-Path -LiteralPath $env:MEDIMAGECLEANER_SAMPLES)) {
        return $env:MEDIMAGECLEANER_SAMPLES
    }
    foreach ($configuration in 'Release', 'Debug') {
        $dll = Join-Path $script:RepoRoot 'src' 'MedImageCleaner.Samples' 'bin' $configuration 'net10.0' 'MedImageCleaner.Samples.dll'
        if (Test-Path -LiteralPath $dll) { return $dll }
    }
    throw 'MedImageCleaner.Samples.dll is not built. Run: dotnet pwsh ./build.ps1 -Task Build'
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

# The ```powershell blocks of a markdown file: Index, Line, Code, NoOutput (a line <!-- example-output: none --> right
# after the block), Creates (the paths of a line <!-- example-creates: path, path --> right after it) and Skip (the
# reason of a <!-- example-skip: reason --> line just before the block).
function Get-DocExample {
    param([Parameter(Mandatory)] [string] $Path)
    $lines = Get-Content -LiteralPath $Path
    $index = 0
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i].Trim() -ne '```powershell') { continue }
        $start = $i
        $code = [System.Collections.Generic.List[string]]::new()
        for ($i++; $i -lt $lines.Count -and $lines[$i].Trim() -ne '```'; $i++) { $code.Add($lines[$i]) }
        $index++
        $before = if ($start -gt 0) { $lines[$start - 1].Trim() } else { '' }
        $markers = @(for ($j = $i + 1; $j -lt $lines.Count -and $lines[$j].Trim() -like '<!-- example-*'; $j++) { $lines[$j].Trim() })
        $creates = @($markers | Where-Object { $_ -match '^<!-- example-creates: (.+) -->$' } | ForEach-Object { $Matches[1] -split ',\s*' })
        [pscustomobject]@{
            Index    = $index
            Line     = $start + 1
            Code     = $code -join "`n"
            NoOutput = $markers -contains '<!-- example-output: none -->'
            Creates  = $creates
            Skip     = if ($before -match '^<!-- example-skip: (.+) -->$') { $Matches[1] } else { $null }
        }
    }
}

# The sample folder the documentation's examples run in (each in its own copy): what a sysadmin's working folder holds.
#   raw/        the demo corpus (headers, burned-in text, RLE / JPEG lossless / JPEG-LS copies) and raw/scan[1].dcm
#   scans/, study/, raw_dicoms/   copies of raw;  incoming/scan[1].dcm;  ct/ (CT files, ct/slice.dcm);  us/ (US files)
#   site.key, other.key           fixed keys (so the pseudonyms quoted in the help are the ones these files give)
#   clean/, audit.db              raw through the documented pipeline (Remove-DicomPhi with site.key and audit.db |
#                                 Remove-BurnedInText) into clean; archive/audit.db
function New-DocSampleFolder {
    param([Parameter(Mandatory)] [string] $Path)
    $raw = Join-Path $Path 'raw'
    $null = New-Item -ItemType Directory -Path $Path -Force
    $null = [MedImageCleaner.Core.Samples.DemoCorpus]::Write($raw)
    # A working folder of DICOM files only (the demo's notes.txt shows NotDicomFile in the demo, not here).
    Get-ChildItem -LiteralPath $raw -Recurse -File | Where-Object Extension -NE '.dcm' | Remove-Item -Force
    $ct = @(Get-ChildItem -LiteralPath (Join-Path $raw 'headers') -Filter '*_CT.dcm' -File)
    $us = @(Get-ChildItem -LiteralPath $raw -Recurse -File | Where-Object Name -Like '*us*')
    # Files of their own (other seeds): a copy would share its SOP Instance UID with the original (DuplicateSopInstanceUid).
    $extra = Join-Path $Path '.extra'
    $more = @([MedImageCleaner.Core.Samples.SampleCorpus]::Write($extra, 9, 7)) | Where-Object { $_ -like '*_CT.dcm' }
    Move-Item -LiteralPath $more[0] -Destination (Join-Path $raw 'scan[1].dcm')
    foreach ($copy in 'scans', 'study', 'raw_dicoms') {
        Copy-Item -LiteralPath $raw -Destination (Join-Path $Path $copy) -Recurse
    }
    $null = New-Item -ItemType Directory -Path (Join-Path $Path 'incoming'), (Join-Path $Path 'ct'), (Join-Path $Path 'us'), (Join-Path $Path 'archive')
    Move-Item -LiteralPath $more[1] -Destination (Join-Path $Path 'incoming' 'scan[1].dcm')
    $ct | Copy-Item -Destination (Join-Path $Path 'ct')
    Move-Item -LiteralPath $more[2] -Destination (Join-Path $Path 'ct' 'slice.dcm')
    Remove-Item -LiteralPath $extra -Recurse -Force
    $us | ForEach-Object { Copy-Item -LiteralPath $_.FullName -Destination (Join-Path $Path 'us' ("{0}_{1}" -f $_.Directory.Name, $_.Name)) }
    [MedImageCleaner.Core.Deidentification.DeidentificationKey]::FromBytes([byte[]](1..32)).Save((Join-Path $Path 'site.key'))
    [MedImageCleaner.Core.Deidentification.DeidentificationKey]::FromBytes([byte[]](101..132)).Save((Join-Path $Path 'other.key'))
    Push-Location -LiteralPath $Path
    try {
        $null = Get-ChildItem ./raw -Recurse -File |
            Remove-DicomPhi -Destination ./clean -KeyFile ./site.key -AuditDatabase ./audit.db -ErrorAction Stop |
            Remove-BurnedInText -ErrorAction Stop
    }
    finally {
        Pop-Location
    }
    Copy-Item -LiteralPath (Join-Path $Path 'audit.db') -Destination (Join-Path $Path 'archive' 'audit.db')
    $Path
}

# Links out/MedImageCleaner/<version> of a sample folder to the module under test (as after `dotnet pwsh ./build.ps1`).
function Add-ModuleLayoutLink {
    param([Parameter(Mandatory)] [string] $Path)
    $module = Split-Path (Get-ModuleManifestPath)
    $out = Join-Path $Path 'out' 'MedImageCleaner'
    $null = New-Item -ItemType Directory -Path $out -Force
    $null = New-Item -ItemType SymbolicLink -Path (Join-Path $out (Split-Path $module -Leaf)) -Target $module
}

Export-ModuleMember -Function Get-RepoRoot, Get-ModuleManifestPath, Import-MedImageCleaner, Get-SharedCorpusPath, New-SampleDicom, New-BurnedInSample, Invoke-KilledRun, Invoke-FreshPwsh, Get-DocExample, New-DocSampleFolder, Add-ModuleLayoutLink
