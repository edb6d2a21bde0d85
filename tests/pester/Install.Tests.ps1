# Installing like any module (issue 12, item 11): the package build.ps1 -Task Package makes (Compress-PSResource of the
# module layout) installs with the README's "Install" commands, as typed, into an empty module path in a fresh pwsh,
# and runs a pipeline; the manifest carries what a gallery shows.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Manifest = Get-ModuleManifestPath
    $script:Layout = Split-Path $Manifest
}

Describe 'Install-PSResource from the package' {
    BeforeAll {
        $script:Work = Join-Path $TestDrive 'install'
        $packages = Join-Path $Work 'out' 'packages'
        $null = New-Item -ItemType Directory -Path $packages, (Join-Path $Work 'raw') -Force
        # The same command build.ps1 -Task Package runs.
        Import-Module Microsoft.PowerShell.PSResourceGet
        Compress-PSResource -Path $Layout -DestinationPath $packages
        $null = New-SampleDicom -Path (Join-Path $Work 'raw') -Count 2
        $null = New-BurnedInSample -Path (Join-Path $Work 'raw')

        # A home of its own: the repository registration and the installed module stay in the test drive.
        $sandbox = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory -Path $sandbox
        $script:Environment = @{
            HOME            = $sandbox
            XDG_DATA_HOME   = Join-Path $sandbox '.local' 'share'
            XDG_CONFIG_HOME = Join-Path $sandbox '.config'
            XDG_CACHE_HOME  = Join-Path $sandbox '.cache'
            PSModulePath    = ''
        }
        # .NET gives no LocalApplicationData for a folder that does not exist (PSResourceGet then keeps its store elsewhere).
        $null = New-Item -ItemType Directory -Path $Environment.XDG_DATA_HOME, $Environment.XDG_CONFIG_HOME, $Environment.XDG_CACHE_HOME -Force
        $readme = Get-DocExample -Path (Join-Path (Get-RepoRoot) 'README.md') | Where-Object { $_.Skip -like '*Install.Tests.ps1*' }
        $script:InstallBlocks = @($readme)
        $script:Script = Join-Path $TestDrive 'install.ps1'
        Set-Content -LiteralPath $Script -Encoding utf8NoBOM -Value @"
`$ErrorActionPreference = 'Stop'
Set-Location '$Work'
'BEFORE ' + @(Get-Module -ListAvailable MedImageCleaner).Count
# README, Install:
$($InstallBlocks[0].Code)
'INSTALLED ' + (Get-Module MedImageCleaner).ModuleBase
'VERSION ' + (Get-Module MedImageCleaner).Version
New-DeidentificationKey -Path ./site.key | Out-Null
'GATE ' + (Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean -KeyFile ./site.key | Remove-BurnedInText | Test-Deidentification -Quiet)
# README, Install (a team share):
$($InstallBlocks[1].Code)
'SHARE ' + (Get-ChildItem ./team-modules -Filter *.nupkg).Name
"@
        $script:Run = Invoke-FreshPwsh -Script $Script -Environment $Environment -TimeoutSeconds 600
    }

    It 'the README has the two Install blocks' {
        $InstallBlocks | Should -HaveCount 2
        $InstallBlocks[0].Code | Should -Match 'Register-PSResourceRepository'
        $InstallBlocks[0].Code | Should -Match 'Install-PSResource'
        $InstallBlocks[1].Code | Should -Match 'Publish-PSResource'
    }

    It 'runs without errors' {
        $Run.TimedOut | Should -BeFalse
        $Run.Errors | Should -BeNullOrEmpty
        $Run.ExitCode | Should -Be 0
    }

    It 'installs into the empty module path of the fresh pwsh' {
        $Run.Output | Should -Match 'BEFORE 0'
        $Run.Output | Should -Match ('INSTALLED ' + [regex]::Escape((Join-Path $Environment.XDG_DATA_HOME 'powershell' 'Modules' 'MedImageCleaner')))
        $Run.Output | Should -Match ('VERSION ' + [regex]::Escape((Import-PowerShellDataFile $Manifest).ModuleVersion))
    }

    It 'runs a pipeline from the installed module (natives included)' {
        $Run.Output | Should -Match 'GATE True'
    }

    It 'publishes the package to a team share' {
        $Run.Output | Should -Match 'SHARE MedImageCleaner\.[0-9.]+\.nupkg'
    }
}

Describe 'Manifest, license and online help' {
    It 'has what PSResourceGet and a gallery show' {
        $data = Import-PowerShellDataFile $Manifest
        $data.PowerShellVersion | Should -Be '7.6'
        $data.CompatiblePSEditions | Should -Be @('Core')
        $psData = $data.PrivateData.PSData
        $psData.Tags | Should -Contain 'DICOM'
        $psData.Tags | Should -Contain 'PSEdition_Core'
        $psData.ProjectUri | Should -Match '^https://'
        $psData.LicenseUri | Should -Match '^https://.*LICENSE$'
        $psData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $data.Description | Should -Match 'linux-x64'
        $m = Test-ModuleManifest -Path $Manifest
        $m.ProjectUri | Should -Be $psData.ProjectUri
        $m.LicenseUri | Should -Be $psData.LicenseUri
    }

    It 'ships the MIT LICENSE of the MedImageCleaner contributors' {
        $license = Get-Content -LiteralPath (Join-Path $Layout 'LICENSE') -Raw
        $license | Should -Match '^MIT License'
        $license | Should -Match 'Copyright \(c\) MedImageCleaner contributors'
        $license | Should -Be (Get-Content -LiteralPath (Join-Path (Get-RepoRoot) 'LICENSE') -Raw)
    }

    It 'every cmdlet has an online help page (Get-Help -Online) under the ProjectUri' {
        $project = (Import-PowerShellDataFile $Manifest).PrivateData.PSData.ProjectUri
        foreach ($c in Get-Command -Module MedImageCleaner -CommandType Cmdlet) {
            $c.HelpUri | Should -Be "$project/blob/main/docs/help/$($c.Name).md" -Because $c.Name
            Test-Path (Join-Path (Get-RepoRoot) 'docs' 'help' "$($c.Name).md") | Should -BeTrue -Because $c.Name
        }
    }
}
