# Remove-DicomPhi: a batch killed midway and rerun (issue 3, acceptance 4) and site profiles (-ProfileFile).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:CommandType = 'MedImageCleaner.PowerShell.Commands.RemoveDicomPhiCommand'
    $script:Manifest = (Resolve-Path -LiteralPath (Get-ModuleManifestPath)).Path
    $script:Raw = Join-Path $TestDrive 'raw'
    $script:SampleCount = 300
    $script:SamplePaths = New-SampleDicom -Path $Raw -Count $SampleCount
    $script:Key = Join-Path $TestDrive 'site.key'
    New-DeidentificationKey -Path $Key | Out-Null

    # Name -> SHA-256 of every file below a folder.
    function Get-HashTable([string] $Folder) {
        $table = @{}
        foreach ($f in Get-ChildItem -LiteralPath $Folder -Recurse -File -Force) {
            $table[[System.IO.Path]::GetRelativePath($Folder, $f.FullName)] = (Get-FileHash -LiteralPath $f.FullName -Algorithm SHA256).Hash
        }
        $table
    }

    function Write-Profile([string] $Name, [string] $Json) {
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllText($path, $Json)
        $path
    }
}

Describe 'Remove-DicomPhi resumes a killed batch' {
    BeforeAll {
        # The reference: the same batch run to completion, undisturbed.
        $script:A = Join-Path $TestDrive 'A'
        Remove-DicomPhi -Path $Raw -Destination $A -KeyFile $Key -ThrottleLimit 2 | Out-Null
        $script:Expected = Get-HashTable $A

        $script:B = Join-Path $TestDrive 'B'
        $script:Db = Join-Path $TestDrive 'audit.db'
        $child = Join-Path $TestDrive 'batch.ps1'
        Set-Content -LiteralPath $child -Value @'
param([string] $Manifest, [string] $Raw, [string] $Destination, [string] $KeyFile, [string] $AuditDatabase)
$ErrorActionPreference = 'Stop'
Import-Module -Name $Manifest
Remove-DicomPhi -Path $Raw -Destination $Destination -KeyFile $KeyFile -AuditDatabase $AuditDatabase -ThrottleLimit 2 | Out-Null
'@

        # The same batch into B in another pwsh process, killed once some outputs exist.
        $killed = Invoke-KilledRun -Script $child -Arguments '-Manifest', $Manifest, '-Raw', $Raw, '-Destination', $B, '-KeyFile', $Key, '-AuditDatabase', $Db -Folder $B -KillAfter ($SampleCount / 5)
        $script:ExitedBeforeKill = $killed.ExitedBeforeKill
        $script:ChildErrors = $killed.Errors

        $script:AtKill = Get-HashTable $B
        $script:PartialAtKill = @(Get-ChildItem -LiteralPath $B -Recurse -Force -Filter '*.mic-partial').Count
        $script:AuditAtKill = Test-DeidentificationAudit -AuditDatabase $Db

        # The rerun: the same command, into the same destination and audit database.
        $script:Rerun = Remove-DicomPhi -Path $Raw -Destination $B -KeyFile $Key -AuditDatabase $Db -ThrottleLimit 2 -ErrorVariable rerunErrors
        $script:RerunErrors = $rerunErrors
    }

    It 'made a complete reference batch' {
        $Expected.Count | Should -Be $SampleCount
    }

    It 'killed the batch midway' {
        $ExitedBeforeKill | Should -BeFalse -Because "the batch must still run when it is killed ($ChildErrors)"
        $AtKill.Count | Should -BeGreaterThan 0
        @($AtKill.Keys | Where-Object { $_ -like '*.dcm' }).Count | Should -BeLessThan $SampleCount
    }

    It 'left only complete outputs in the destination when killed (each identical to the reference)' {
        foreach ($name in $AtKill.Keys | Where-Object { $_ -notlike '*.mic-partial' }) {
            $name | Should -BeLike '*.dcm'
            $AtKill[$name] | Should -Be $Expected[$name] -Because "$name must be complete"
        }
    }

    It 'left a verifiable audit chain when killed' {
        $AuditAtKill.Passed | Should -BeTrue -Because $AuditAtKill.Message
    }

    It 'reruns without errors, writing what is missing and leaving finished outputs alone' {
        $RerunErrors | Should -BeNullOrEmpty
        $Rerun | Should -HaveCount $SampleCount
        ($Rerun | Where-Object Status -NotIn 'Written', 'Unchanged') | Should -BeNullOrEmpty
        $unchanged = @($Rerun | Where-Object Status -eq 'Unchanged')
        $unchanged.Count | Should -BeGreaterOrEqual @($AtKill.Keys | Where-Object { $_ -like '*.dcm' }).Count
        $unchanged.Count | Should -BeLessThan $SampleCount
    }

    It 'leaves no partial file after the rerun' {
        Get-ChildItem -LiteralPath $B -Recurse -Force -Filter '*.mic-partial' | Should -BeNullOrEmpty
    }

    It 'gives the same file names and bytes as the undisturbed batch' {
        $actual = Get-HashTable $B
        @($actual.Keys | Sort-Object) | Should -Be @($Expected.Keys | Sort-Object)
        foreach ($name in $Expected.Keys) {
            $actual[$name] | Should -Be $Expected[$name] -Because $name
        }
    }

    It 'writes complete DICOM files that read back' {
        $files = Get-ChildItem -LiteralPath $B -File | Get-DicomFile -ErrorVariable readErrors
        $readErrors | Should -BeNullOrEmpty
        $files | Should -HaveCount $SampleCount
        $files.PatientIdentityRemoved | Sort-Object -Unique | Should -Be $true
    }

    It 'keeps a consistent audit: the chain verifies and every output has its row in the rerun session' {
        $verification = Test-DeidentificationAudit -AuditDatabase $Db
        $verification.Passed | Should -BeTrue -Because $verification.Message
        $sessions = @(Get-DeidentificationAudit -AuditDatabase $Db)
        $sessions | Should -HaveCount 2
        $last = $sessions | Sort-Object Sequence | Select-Object -Last 1
        $last.FileCount | Should -Be $SampleCount
        $last.FailedCount | Should -Be 0
        $rows = Get-DeidentificationAudit -AuditDatabase $Db -SessionId $last.SessionId -Files
        $byName = @{}
        foreach ($row in $rows) { $byName[[System.IO.Path]::GetFileName($row.FullName)] = $row.OutputSha256 }
        foreach ($name in $Expected.Keys) {
            $byName[$name] | Should -Be $Expected[$name].ToLowerInvariant() -Because "$name is audited"
        }
    }
}

Describe 'Remove-DicomPhi -ProfileFile' {
    BeforeAll {
        $script:One = $SamplePaths[0]
        $script:Original = Get-DicomFile -LiteralPath $One -Tag InstitutionName, PatientSex, SOPInstanceUID
        $script:SiteProfile = Write-Profile 'site.json' @'
{
  "schema": "medimagecleaner-profile/1",
  "options": [ "RetainUids" ],
  "rules": [
    { "tag": "InstitutionName", "action": "Keep" },
    { "tag": "(0010,0040)", "action": "Keep" }
  ],
  "patientIdPrefix": "SITE9"
}
'@
        function Invoke-One([hashtable] $Extra) {
            $dest = Join-Path $TestDrive ('pf-' + [guid]::NewGuid().ToString('N'))
            $r = Remove-DicomPhi -LiteralPath $One -Destination $dest -KeyFile $Key @Extra
            Get-DicomFile -LiteralPath $r.FullName -Tag InstitutionName, PatientSex, PatientID, SOPInstanceUID
        }
    }

    It 'applies the site rules, options and prefix of a valid profile' {
        $basic = Invoke-One @{}
        $site = Invoke-One @{ ProfileFile = $SiteProfile }
        $basic.Attributes['InstitutionName'] | Should -Not -Be $Original.Attributes['InstitutionName']
        $site.Attributes['InstitutionName'] | Should -Be $Original.Attributes['InstitutionName']
        $site.Attributes['PatientSex'] | Should -Be $Original.Attributes['PatientSex']
        $site.Attributes['SOPInstanceUID'] | Should -Be $Original.Attributes['SOPInstanceUID']
        $site.Attributes['PatientID'] | Should -Match '^SITE9-'
    }

    It 'lets parameters given explicitly win over the file, and -CustomPhiTag over its rules' {
        $f = Invoke-One @{ ProfileFile = $SiteProfile; PatientIdPrefix = 'CLI'; Profile = @('CleanDescriptors'); CustomPhiTag = @{ InstitutionName = 'Remove' } }
        $f.Attributes['PatientID'] | Should -Match '^CLI-'
        $f.Attributes['SOPInstanceUID'] | Should -Not -Be $Original.Attributes['SOPInstanceUID']
        $f.Attributes['InstitutionName'] | Should -BeNullOrEmpty
        $f.Attributes['PatientSex'] | Should -Be $Original.Attributes['PatientSex']
    }

    It 'shows the profile rules in the -WhatIf plan' {
        $plan = Remove-DicomPhi -LiteralPath $One -Destination (Join-Path $TestDrive 'pf-whatif') -KeyFile $Key -ProfileFile $SiteProfile -WhatIf
        $row = $plan | Where-Object Keyword -eq 'InstitutionName'
        $row.Action | Should -Be 'Keep'
        $row.RuleId | Should -Be 'Custom'
        Test-Path -LiteralPath (Join-Path $TestDrive 'pf-whatif') | Should -BeFalse
    }

    It 'records the profile file hash in the audit session' {
        $db = Join-Path $TestDrive 'pf-audit.db'
        Remove-DicomPhi -LiteralPath $One -Destination (Join-Path $TestDrive 'pf-audit') -KeyFile $Key -ProfileFile $SiteProfile -AuditDatabase $db | Out-Null
        $sha = (Get-FileHash -LiteralPath $SiteProfile -Algorithm SHA256).Hash.ToLowerInvariant()
        (Get-DeidentificationAudit -AuditDatabase $db).Profile | Should -BeLike "*site.json sha256:$sha*"
    }

    It 'stops on an invalid profile with InvalidProfileFile, the code, the line and the field, and writes nothing' {
        $bad = Write-Profile 'bad[1].json' @'
{
  "schema": "medimagecleaner-profile/1",
  "rules": [
    { "tag": "InstitutionName", "action": "Delete" }
  ]
}
'@
        $dest = Join-Path $TestDrive 'pf-bad'
        $err = { Remove-DicomPhi -Path $Raw -Destination $dest -KeyFile $Key -ProfileFile $bad } |
            Should -Throw -ErrorId "InvalidProfileFile,$CommandType" -PassThru
        $err.Exception.Message | Should -Match '^MIC-PF004: .*line 4, column \d+, field ''rules\[0\]\.action'''
        $err.Exception.Code | Should -Be 'MIC-PF004'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -Be $bad
        Test-Path -LiteralPath $dest | Should -BeFalse
    }

    It 'reports <Name> as <Code>' -ForEach @(
        @{ Name = 'an unknown property'; Code = 'MIC-PF001'; Json = '{ "schema": "medimagecleaner-profile/1", "keepPrivate": true }' }
        @{ Name = 'an unknown option'; Code = 'MIC-PF002'; Json = '{ "schema": "medimagecleaner-profile/1", "options": [ "RetainUID" ] }' }
        @{ Name = 'malformed JSON'; Code = 'MIC-PF006'; Json = '{ "schema": "medimagecleaner-profile/1", ' }
        @{ Name = 'another schema'; Code = 'MIC-PF007'; Json = '{ "schema": "medimagecleaner-profile/9" }' }
        @{ Name = 'contradictory options'; Code = 'MIC-PF008'; Json = '{ "schema": "medimagecleaner-profile/1", "options": [ "RetainLongitudinalFullDates", "RetainLongitudinalModifiedDates" ] }' }
    ) {
        $path = Write-Profile "bad-$Code.json" $Json
        { Remove-DicomPhi -Path $Raw -Destination (Join-Path $TestDrive "pf-$Code") -KeyFile $Key -ProfileFile $path } |
            Should -Throw -ErrorId "InvalidProfileFile,$CommandType" -ExpectedMessage "$Code*"
    }

    It 'stops on a missing profile file with ProfileFileNotFound' {
        { Remove-DicomPhi -Path $Raw -Destination (Join-Path $TestDrive 'pf-missing') -KeyFile $Key -ProfileFile (Join-Path $TestDrive 'none.json') } |
            Should -Throw -ErrorId "ProfileFileNotFound,$CommandType"
    }

    It 'has a help example using -ProfileFile' {
        (Get-Help Remove-DicomPhi -Examples).examples.example.code -join "`n" | Should -Match '-ProfileFile'
    }
}
