#Requires -Version 7.6
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates MedImageCleaner.

.DESCRIPTION
    Tasks:
      Build      dotnet build of the solution, then the module layout in out/MedImageCleaner/<version>/.
      Test       Bootstrap check, Build, xunit (every tests/*.Tests project) and Pester 5 (tests/pester), then one
                 closing line "N passed, N failed, N skipped"; exits non-zero when anything failed, and also when anything
                 was skipped if -FailOnSkip is given or the environment variable CI is set (CI installs every tool, so a
                 skipped test there means a check did not run).
      Demo       Build, write a synthetic corpus to out/demo (PHI in headers, nested sequences, private tags, burned-in
                 text, several transfer syntaxes), list it with Get-DicomFile, run Invoke-DicomDeidentification (headers,
                 burned-in text, validation, PNG export, audit) into out/demo-clean and print the summary and the report.
      Bench      Runs tests/MedImageCleaner.Benchmarks (header and de-identification throughput against gdcmanon, 1 GB
                 peak memory, OCR ms/frame, PNG export, the full workflow, the burned-in text benchmark of issue 11:
                 '--only', 'burnedin' runs it alone; a fresh pwsh importing the module against gdcmanon and dcmdump:
                 '--only', 'fresh'); builds the module layout first; results in out/bench/results.md and
                 results.json, and a full run also in docs/benchmarks.md. -BenchArguments '--quick' for smoke-test sizes.
      Package    Build, Test-ModuleManifest on the layout, a zip of it in out/ and a .nupkg in out/packages (a local
                 PSResourceGet repository: Install-PSResource installs from it, Publish-PSResource publishes it).
      Bootstrap  Checks the system tools the tests use (dcmdump, gdcmanon, dciodvfy, tesseract); installs the missing
                 ones with apt-get when running as root on Debian/Ubuntu, else prints the command to run.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Bootstrap')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Extra arguments for the benchmark program (-Task Bench), e.g. '--quick' or '--only', 'workflow'.
    [string[]] $BenchArguments = @(),

    # -Task Test: a skipped test fails the run (implied when the environment variable CI is set).
    [switch] $FailOnSkip
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleName = 'MedImageCleaner'
$ModuleSource = Join-Path $Root 'module'
$ModuleVersion = (Import-PowerShellDataFile (Join-Path $ModuleSource "$ModuleName.psd1")).ModuleVersion
$ModuleOut = Join-Path $OutDir $ModuleName $ModuleVersion
$PowerShellProject = Join-Path $Root 'src' 'MedImageCleaner.PowerShell'
$PesterVersion = '5.7.1'
$TestResults = Join-Path $OutDir 'TestResults'
# Demo and test data builders: built with the solution, never shipped in the module layout.
$SamplesAssembly = Join-Path $Root 'src' 'MedImageCleaner.Samples' 'bin' $Configuration 'net10.0' 'MedImageCleaner.Samples.dll'

# Runtime identifiers PowerShell 7 ships for: native libraries of other platforms are left out of the module.
$PowerShellRids = @(
    'win-x64', 'win-x86', 'win-arm64', 'linux-x64', 'linux-arm', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64',
    'osx-x64', 'osx-arm64'
)

# System tools the tests use as independent oracles, and the Debian packages that provide them.
$SystemTools = [ordered]@{
    dcmdump   = 'dcmtk'
    gdcmanon  = 'libgdcm-tools'
    dciodvfy  = 'dicom3tools'
    tesseract = 'tesseract-ocr'
    chromium  = 'chromium'
    Orthanc   = 'orthanc'
}

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

# Runs a native command from the repository root and throws when it fails.
function Invoke-Native {
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    Push-Location $Root
    try {
        & $FilePath @ArgumentList | Out-Host
        if ($LASTEXITCODE -ne 0) {
            throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
        }
    }
    finally {
        Pop-Location
    }
}

# Runs a script in a fresh 'dotnet pwsh' (so the module dll is never loaded, nor locked, in this process).
# The script goes through a file: with -EncodedCommand, pwsh writes its other streams as CLIXML when redirected.
# -Console lets the child write to this console directly (its tables then use the terminal's width).
function Invoke-ChildPowerShell {
    param([Parameter(Mandatory)] [string] $Script, [switch] $Console)
    $scripts = Join-Path $OutDir 'scripts'
    $null = New-Item -ItemType Directory -Path $scripts -Force
    $file = Join-Path $scripts ("child-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8NoBOM
    Push-Location $Root
    try {
        if ($Console) {
            $p = Start-Process -FilePath dotnet -ArgumentList 'pwsh', '-NoProfile', '-NonInteractive', '-File', "`"$file`"" `
                -NoNewWindow -Wait -PassThru
            return $p.ExitCode
        }
        & dotnet pwsh -NoProfile -NonInteractive -File $file | Out-Host
        return $LASTEXITCODE
    }
    finally {
        Pop-Location
        Remove-Item -LiteralPath $file -ErrorAction Ignore
    }
}

function ConvertTo-Literal([string] $Text) {
    "'" + $Text.Replace("'", "''") + "'"
}

#region Bootstrap

function Get-MissingTool {
    $missing = [System.Collections.Generic.List[string]]::new()
    foreach ($tool in $SystemTools.Keys) {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) {
            $missing.Add($tool)
        }
    }
    if ((Get-Command tesseract -CommandType Application -ErrorAction Ignore) -and -not (Test-TesseractEnglish)) {
        $missing.Add('tesseract-ocr-eng')
    }
    # The burned-in text benchmark renders its text with these Debian fonts.
    if ($IsLinux -and -not (Test-Path /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)) {
        $missing.Add('fonts-dejavu-core')
    }
    if ($IsLinux -and -not (Test-Path /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf)) {
        $missing.Add('fonts-liberation2')
    }
    # OpenCvSharp's native library (OpenCV with its highgui module) links against GTK 3.
    if ($IsLinux -and (Get-Command ldconfig -ErrorAction Ignore) -and -not ((& ldconfig -p | Out-String) -match 'libgtk-3\.so\.0')) {
        $missing.Add('libgtk-3-0')
    }
    , $missing
}

function Test-TesseractEnglish {
    $langs = & tesseract --list-langs 2>&1 | Out-String
    $langs -match '(?m)^eng\s*$'
}

function Get-AptPackage([string[]] $Tools) {
    $packages = foreach ($tool in $Tools) {
        if ($SystemTools.Contains($tool)) { $SystemTools[$tool] } else { $tool }
    }
    if ($packages -contains 'tesseract-ocr') { $packages += 'tesseract-ocr-eng' }
    $packages | Select-Object -Unique
}

function Invoke-Bootstrap {
    Write-Step 'Bootstrap: checking system tools'
    $missing = Get-MissingTool
    if ($missing.Count -eq 0) {
        Write-Host "All system tools found: $($SystemTools.Keys -join ', ')."
        return $true
    }

    $packages = @(Get-AptPackage $missing)
    $aptCommand = "apt-get update && apt-get install -y --no-install-recommends $($packages -join ' ')"
    $isDebian = $IsLinux -and (Test-Path /etc/debian_version) -and (Get-Command apt-get -ErrorAction Ignore)
    $isRoot = $IsLinux -and ((& id -u) -eq '0')
    Write-Host "Missing: $($missing -join ', ')."
    if ($isDebian -and $isRoot) {
        Write-Host "Installing with apt-get: $($packages -join ' ')"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get update | Out-Host
        if ($LASTEXITCODE -eq 0) {
            & apt-get install -y --no-install-recommends @packages | Out-Host
        }
        if ($LASTEXITCODE -ne 0) {
            Write-Warning "apt-get failed (exit code $LASTEXITCODE). Run as root: $aptCommand"
            return $false
        }
        $still = Get-MissingTool
        if ($still.Count -gt 0) {
            Write-Warning "Still missing after apt-get: $($still -join ', ')."
            return $false
        }
        return $true
    }

    if ($isDebian) {
        Write-Warning "Install them with: sudo sh -c '$aptCommand'"
    }
    elseif ($IsMacOS) {
        Write-Warning 'Install them with: brew install dcmtk gdcm tesseract (dciodvfy: see https://www.dclunie.com/dicom3tools.html)'
    }
    else {
        Write-Warning "Install the packages $($packages -join ', ') (Debian names) with your system's package manager."
    }
    Write-Warning 'Tests that use these tools as oracles will fail or be skipped without them.'
    return $false
}

#endregion

#region Build and layout

function Invoke-Build {
    Write-Step "Build ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $Root 'MedImageCleaner.sln'), '-c', $Configuration, '--nologo', '-v', 'minimal')
    Invoke-Layout
}

# The module folder: manifest, format and help files, our dlls and their dependencies, native runtimes.
function Invoke-Layout {
    Write-Step "Layout $ModuleOut"
    $bin = Join-Path $PowerShellProject 'bin' $Configuration 'net10.0'
    if (-not (Test-Path (Join-Path $bin 'MedImageCleaner.PowerShell.dll'))) {
        throw "The PowerShell project has not been built for $Configuration ($bin)."
    }

    if (Test-Path $ModuleOut) {
        Remove-Item $ModuleOut -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $ModuleOut -Force

    Copy-Item (Join-Path $ModuleSource "$ModuleName.psd1"), (Join-Path $ModuleSource "$ModuleName.Format.ps1xml"), (Join-Path $Root 'LICENSE') -Destination $ModuleOut
    Copy-Item (Join-Path $ModuleSource 'en-US') -Destination $ModuleOut -Recurse

    # pwsh provides System.Management.Automation (and the PowerShell SDK): never ship them.
    $hostProvided = @('System.Management.Automation.dll', 'Microsoft.PowerShell.*.dll', 'Microsoft.Management.Infrastructure*.dll')
    Get-ChildItem -LiteralPath $bin -File | Where-Object {
        $name = $_.Name
        ($_.Extension -in '.dll', '.pdb') -and -not ($hostProvided | Where-Object { $name -like $_ })
    } | Copy-Item -Destination $ModuleOut

    $runtimes = Join-Path $bin 'runtimes'
    if (Test-Path $runtimes) {
        # Native libraries only (runtimes/<rid>/native), for the platforms PowerShell 7 runs on; the module initializer
        # resolves them.
        foreach ($native in Get-ChildItem -Path (Join-Path $runtimes '*' 'native') -Directory -ErrorAction Ignore) {
            $rid = $native.Parent.Name
            if ($rid -notin $PowerShellRids) {
                continue
            }
            $target = Join-Path $ModuleOut 'runtimes' $rid
            $null = New-Item -ItemType Directory -Path $target -Force
            Copy-Item -LiteralPath $native.FullName -Destination $target -Recurse
        }
    }

    Invoke-ReadyToRun

    if (Test-Path (Join-Path $ModuleOut 'System.Management.Automation.dll')) {
        throw 'System.Management.Automation.dll must not be in the module folder.'
    }

    Invoke-HelpGeneration
}

# ReadyToRun (precompiled native code) for linux-x64 replaces the IL-only managed dlls of the layout: a fresh pwsh then
# skips most of the JIT work at first use (measured in docs/benchmarks.md, "fresh process"). An R2R image still holds
# its IL, so the same files run (JIT-compiled) on every other platform, and on a runtime whose version the precompiled
# code does not match. When the SDK cannot compile R2R here (no crossgen package), the IL-only dlls stay.
function Invoke-ReadyToRun {
    $rid = 'linux-x64'
    $r2r = Join-Path $OutDir 'r2r' $rid
    Write-Step "ReadyToRun ($rid)"
    if (Test-Path $r2r) {
        Remove-Item $r2r -Recurse -Force
    }
    Push-Location $Root
    try {
        & dotnet publish $PowerShellProject -c $Configuration -r $rid --self-contained false --nologo -v quiet `
            -p:PublishReadyToRun=true -o $r2r | Out-Host
        $exit = $LASTEXITCODE
    }
    finally {
        Pop-Location
    }
    if ($exit -ne 0) {
        Write-Warning "ReadyToRun compilation failed (exit code $exit): the module keeps IL-only dlls (JIT at first use)."
        return
    }
    # Only the managed dlls already in the layout are replaced (same names, same assembly versions).
    foreach ($dll in Get-ChildItem -LiteralPath $ModuleOut -Filter '*.dll' -File) {
        $compiled = Join-Path $r2r $dll.Name
        if (Test-Path -LiteralPath $compiled) {
            Copy-Item -LiteralPath $compiled -Destination $dll.FullName -Force
        }
    }
}

# MAML help generated from docs/help/<Cmdlet>.md (platyPS is not available); fails when a cmdlet or parameter lacks help.
function Invoke-HelpGeneration {
    Write-Step 'Help (docs/help -> MAML)'
    $generator = Join-Path $Root 'src' 'MedImageCleaner.Generator' 'Help' 'New-MamlHelp.ps1'
    $manifest = Join-Path $ModuleOut "$ModuleName.psd1"
    $out = Join-Path $ModuleOut 'en-US' 'MedImageCleaner.PowerShell.dll-Help.xml'
    $code = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
& $(ConvertTo-Literal $generator) -ModuleManifest $(ConvertTo-Literal $manifest) -HelpSource $(ConvertTo-Literal (Join-Path $Root 'docs' 'help')) -OutFile $(ConvertTo-Literal $out)
"@
    if ($code -ne 0) {
        throw 'Help generation failed (see above).'
    }
}

function Invoke-Package {
    Invoke-Build
    Write-Step 'Test-ModuleManifest'
    $manifest = Join-Path $ModuleOut "$ModuleName.psd1"
    $code = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
`$m = Test-ModuleManifest -Path $(ConvertTo-Literal $manifest)
'{0} {1}: cmdlets {2}' -f `$m.Name, `$m.Version, (`$m.ExportedCmdlets.Keys -join ', ')
"@
    if ($code -ne 0) {
        throw "Test-ModuleManifest failed for $manifest."
    }

    $zip = Join-Path $OutDir "$ModuleName-$ModuleVersion.zip"
    Compress-Archive -Path (Join-Path $OutDir $ModuleName) -DestinationPath $zip -Force
    Write-Host "Package: $zip"

    # The .nupkg that Publish-PSResource / Install-PSResource (PSResourceGet, shipped with PowerShell 7.4+) take from a
    # local file repository: out/packages is one (README, "Install").
    Write-Step 'Compress-PSResource (PSResourceGet)'
    $packages = Join-Path $OutDir 'packages'
    $null = New-Item -ItemType Directory -Path $packages -Force
    Remove-Item -Path (Join-Path $packages "$ModuleName.*.nupkg") -Force -ErrorAction Ignore
    $code = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet
Compress-PSResource -Path $(ConvertTo-Literal $ModuleOut) -DestinationPath $(ConvertTo-Literal $packages)
"@
    $nupkg = Join-Path $packages "$ModuleName.$ModuleVersion.nupkg"
    if ($code -ne 0 -or -not (Test-Path -LiteralPath $nupkg)) {
        throw "Compress-PSResource did not write $nupkg."
    }
    Write-Host "Package: $nupkg"
}

#endregion

#region Test

# Restores Pester through NuGet (a PackageDownload) and returns the path of Pester.psd1.
function Get-PesterManifest {
    Write-Step "Restore Pester $PesterVersion"
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests' 'pester' 'PesterRestore.csproj'), '--nologo', '-v', 'quiet')
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = & dotnet nuget locals global-packages --list | Select-Object -Last 1
        $packages = ($line -replace '^\s*global-packages:\s*', '').Trim()
    }
    $psd1 = Join-Path $packages 'pester' $PesterVersion 'tools' 'Pester.psd1'
    if (-not (Test-Path $psd1)) {
        throw "Pester $PesterVersion was not found at $psd1 after the restore."
    }
    $psd1
}

# Reads the counters of a TRX file: passed, failed, skipped (not executed).
function Read-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $ns = @{ t = 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010' }
    $c = (Select-Xml -Xml $trx -XPath '//t:ResultSummary/t:Counters' -Namespace $ns).Node
    [pscustomobject]@{
        Passed  = [int] $c.passed
        Failed  = [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        Skipped = [int] $c.notExecuted
    }
}

function Invoke-XunitTests {
    $results = [System.Collections.Generic.List[object]]::new()
    $projects = Get-ChildItem -Path (Join-Path $Root 'tests' '*' '*.csproj') -File |
        Where-Object { $_.BaseName -like '*.Tests' } | Sort-Object Name
    foreach ($project in $projects) {
        $name = $project.BaseName
        Write-Step "xunit: $name"
        $trx = Join-Path $TestResults "$name.trx"
        Remove-Item -LiteralPath $trx -ErrorAction Ignore
        Push-Location $Root
        try {
            & dotnet test $project.FullName -c $Configuration --no-build --nologo `
                --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=normal' --results-directory $TestResults | Out-Host
            $exit = $LASTEXITCODE
        }
        finally {
            Pop-Location
        }
        if (Test-Path -LiteralPath $trx) {
            $counts = Read-TrxCounts $trx
            if ($exit -ne 0 -and $counts.Failed -eq 0) {
                # The run failed without failing a test (crash, abort): count the project as one failure.
                Write-Warning "$name exited with code $exit without a failed test; counted as 1 failure."
                $counts.Failed = 1
            }
        }
        else {
            Write-Warning "$name produced no test results (exit code $exit); counted as 1 failure."
            $counts = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
        }
        $counts | Add-Member -NotePropertyName Suite -NotePropertyValue $name
        $results.Add($counts)
    }
    , $results
}

function Invoke-PesterTests([string] $PesterManifest) {
    Write-Step 'Pester: tests/pester'
    $json = Join-Path $TestResults 'pester-counts.json'
    $xml = Join-Path $TestResults 'pester.xml'
    Remove-Item -LiteralPath $json -ErrorAction Ignore
    $env:MEDIMAGECLEANER_MODULE = Join-Path $ModuleOut "$ModuleName.psd1"
    $env:MEDIMAGECLEANER_SAMPLES = $SamplesAssembly
    $code = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
Import-Module $(ConvertTo-Literal $PesterManifest) -RequiredVersion $PesterVersion
`$c = New-PesterConfiguration
`$c.Run.Path = $(ConvertTo-Literal (Join-Path $Root 'tests' 'pester'))
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Detailed'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputFormat = 'NUnitXml'
`$c.TestResult.OutputPath = $(ConvertTo-Literal $xml)
`$r = Invoke-Pester -Configuration `$c
[pscustomobject]@{
    Passed  = `$r.PassedCount
    Failed  = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount
    Skipped = `$r.SkippedCount + `$r.NotRunCount
} | ConvertTo-Json | Set-Content -LiteralPath $(ConvertTo-Literal $json)
"@
    if (Test-Path -LiteralPath $json) {
        $counts = Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
    }
    else {
        Write-Warning "Pester produced no results (exit code $code); counted as 1 failure."
        $counts = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    $counts | Add-Member -NotePropertyName Suite -NotePropertyValue 'Pester' -PassThru
}

function Invoke-Test {
    $null = Invoke-Bootstrap
    Invoke-Build
    $null = New-Item -ItemType Directory -Path $TestResults -Force
    $pester = Get-PesterManifest
    $suites = [System.Collections.Generic.List[object]]::new()
    $suites.AddRange((Invoke-XunitTests))
    $suites.Add((Invoke-PesterTests $pester))

    Write-Host ''
    Write-Step 'Summary'
    foreach ($s in $suites) {
        Write-Host ('  {0,-32} passed {1,5}   failed {2,5}   skipped {3,5}' -f $s.Suite, $s.Passed, $s.Failed, $s.Skipped)
    }
    $passed = ($suites | Measure-Object Passed -Sum).Sum
    $failed = ($suites | Measure-Object Failed -Sum).Sum
    $skipped = ($suites | Measure-Object Skipped -Sum).Sum
    if ($passed + $failed -eq 0) {
        Write-Warning 'No test ran.'
        $failed = 1
    }
    $skipFails = $FailOnSkip -or -not [string]::IsNullOrEmpty($env:CI)
    if ($skipped -gt 0 -and $skipFails) {
        Write-Warning "$skipped test(s) skipped, and skips fail this run (-FailOnSkip or CI set): install what they need (see Bootstrap) or run without CI."
    }
    # The one closing line CI reads.
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or ($skipped -gt 0 -and $skipFails)) { 1 } else { 0 }
}

#endregion

#region Demo and Bench

function Invoke-Demo {
    Invoke-Build
    $demo = Join-Path $OutDir 'demo'
    Write-Step "Demo: sample corpus in $demo, the whole workflow into $demo-clean"
    foreach ($folder in $demo, "$demo-clean", "$demo-clean-quarantine", "$demo-clean-report", "$demo-clean-images", (Join-Path $OutDir '.demo-clean.mic-staging')) {
        if (Test-Path $folder) {
            Remove-Item $folder -Recurse -Force
        }
    }
    Remove-Item (Join-Path $OutDir 'demo-clean.audit.db*') -Force -ErrorAction Ignore
    $code = Invoke-ChildPowerShell -Console @"
`$ErrorActionPreference = 'Stop'
Import-Module $(ConvertTo-Literal (Join-Path $ModuleOut "$ModuleName.psd1"))
Add-Type -LiteralPath $(ConvertTo-Literal (Join-Path $ModuleOut 'MedImageCleaner.Core.dll'))
Add-Type -LiteralPath $(ConvertTo-Literal (Join-Path $ModuleOut 'OpenCvSharp.dll'))
Add-Type -LiteralPath $(ConvertTo-Literal $SamplesAssembly)
`$demo = $(ConvertTo-Literal $demo)
`$files = [MedImageCleaner.Core.Samples.DemoCorpus]::Write(`$demo)
# The default view is 115 characters wide; when output is redirected pwsh assumes 80 columns.
`$width = 120
try { `$width = [Math]::Max(120, `$Host.UI.RawUI.WindowSize.Width) } catch { }

"PS> Get-DicomFile -Path out/demo -Recurse | Format-Table   # {0} files: PHI in headers, burned-in text, several transfer syntaxes" -f `$files.Count
Get-DicomFile -Path `$demo -Recurse -ErrorAction SilentlyContinue -ErrorVariable notDicom | Format-Table | Out-String -Width `$width
foreach (`$e in `$notDicom) { 'Error {0} on {1}' -f `$e.FullyQualifiedErrorId, (Split-Path -Leaf `$e.TargetObject) }

`$clean = Join-Path (Split-Path `$demo) 'demo-clean'
`$key = Join-Path (Split-Path `$demo) 'demo.key'
if (-not (Test-Path `$key)) { `$null = New-DeidentificationKey -Path `$key }
''
"PS> Invoke-DicomDeidentification -Path out/demo -Recurse -Destination out/demo-clean -KeyFile out/demo.key -RemoveBurnedInText -Validate -ConvertTo Png -Summary"
`$summary = Invoke-DicomDeidentification -Path `$demo -Recurse -Destination `$clean -KeyFile `$key -RemoveBurnedInText -Validate -ConvertTo Png -Summary -ErrorAction SilentlyContinue -ErrorVariable runErrors
foreach (`$e in `$runErrors) { 'Error {0} on {1}' -f `$e.FullyQualifiedErrorId.Split(',')[0], (Split-Path -Leaf `$e.TargetObject) }
`$summary | Format-List | Out-String -Width `$width
Get-Content -LiteralPath (Join-Path `$summary.ReportPath 'report.txt')
''
"Report: {0}" -f (Join-Path `$summary.ReportPath 'report.html')
''
"PS> Get-ChildItem out/demo-clean -File | Test-Deidentification -Quiet"
Get-ChildItem -LiteralPath `$clean -File -Recurse | Test-Deidentification -Quiet
"@
    if ($code -ne 0) {
        throw "The demo failed (exit code $code)."
    }
}

function Invoke-Bench {
    $project = Join-Path $Root 'tests' 'MedImageCleaner.Benchmarks'
    if (-not (Test-Path (Join-Path $project '*.csproj'))) {
        Write-Host "No benchmark project yet ($project): nothing to run."
        return
    }
    # The fresh-process section runs the module as users do: from the layout this build makes (ReadyToRun included).
    Invoke-Build
    $env:MEDIMAGECLEANER_MODULE = Join-Path $ModuleOut "$ModuleName.psd1"
    Write-Step 'Bench'
    # From bash (`dotnet pwsh ./build.ps1 -BenchArguments --only,burnedin`) the list arrives as one string: split it.
    $script:BenchArguments = @($BenchArguments | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
    Invoke-Native dotnet (@('run', '-c', 'Release', '--project', $project, '--') + $BenchArguments)
    $results = Join-Path $OutDir 'bench' 'results.md'
    $docs = Join-Path $Root 'docs' 'benchmarks.md'
    if ((Test-Path $results) -and $BenchArguments.Count -eq 0) {
        # Only a full run (every section, full sizes) becomes the published table.
        $note = "<!-- Generated by 'dotnet pwsh ./build.ps1 -Task Bench' from out/bench/results.md (figures in out/bench/results.json). -->`n"
        Set-Content -LiteralPath $docs -Value ($note + (Get-Content -LiteralPath $results -Raw)) -Encoding utf8NoBOM -NoNewline
        Write-Host "Benchmark table: $docs"
    }
}

#endregion

$exitCode = 0
switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { $exitCode = Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'Bootstrap' { if (-not (Invoke-Bootstrap)) { $exitCode = 1 } }
}
exit $exitCode
