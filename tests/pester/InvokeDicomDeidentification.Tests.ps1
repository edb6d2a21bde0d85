# Invoke-DicomDeidentification (issue 6): the seed's workflow in one line, resumable after a kill, reports.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:HasCorpus = $null -ne (Get-SharedCorpusPath 'pydicom')
    $script:HasChromium = $null -ne (Get-Command chromium -ErrorAction Ignore)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Manifest = (Resolve-Path -LiteralPath (Get-ModuleManifestPath)).Path
    $script:Key = Join-Path $TestDrive 'site.key'
    New-DeidentificationKey -Path $Key | Out-Null

    # The demo corpus: PHI in headers (CT, MR, US), burned-in text (US RGB, 16-bit CT), one file that is not DICOM.
    function New-DemoCorpus([string] $Path, [int] $Count = 6, [int] $BurnedSeeds = 1) {
        $null = New-SampleDicom -Path $Path -Count $Count -Seed 3
        for ($seed = 0; $seed -lt $BurnedSeeds; $seed++) {
            $folder = Join-Path $Path "burned$seed"
            $null = New-BurnedInSample -Path $folder -Seed $seed
        }
        Set-Content -LiteralPath (Join-Path $Path 'README.txt') -Value 'not a DICOM file'
    }

    function Get-HashTable([string] $Folder) {
        $table = @{}
        if (-not (Test-Path -LiteralPath $Folder)) { return $table }
        foreach ($f in Get-ChildItem -LiteralPath $Folder -Recurse -File -Force) {
            $table[[System.IO.Path]::GetRelativePath($Folder, $f.FullName)] = (Get-FileHash -LiteralPath $f.FullName -Algorithm SHA256).Hash
        }
        $table
    }

    $script:Demo = Join-Path $TestDrive 'demo'
    New-DemoCorpus $Demo
    $script:DemoDicomCount = @(Get-ChildItem -LiteralPath $Demo -Recurse -File -Filter '*.dcm').Count
}

Describe 'The seed quick start as one line' {
    BeforeAll {
        $script:Clean = Join-Path $TestDrive 'clean'
        $script:Results = Invoke-DicomDeidentification -Path $Demo -Recurse -Destination $Clean -KeyFile $Key -RemoveBurnedInText -Validate -ConvertTo Png -ErrorVariable runErrors -ErrorAction SilentlyContinue
        $script:RunErrors = $runErrors
        $script:Report = Get-Content -LiteralPath (Join-Path "$Clean-report" 'report.json') -Raw | ConvertFrom-Json
    }

    It 'accounts for every DICOM input, and reports the file that is not DICOM as an error' {
        $Results | Should -HaveCount $DemoDicomCount
        ($Results | Where-Object Status -NotIn 'Completed', 'Quarantined') | Should -BeNullOrEmpty
        $RunErrors | Should -HaveCount 1
        $RunErrors[0].FullyQualifiedErrorId | Should -BeLike 'NotDicomFile,*'
    }

    It 'removes the burned-in text of both burned-in images and validates every released file' {
        $burned = @($Results | Where-Object { $_.SourcePath -like '*burned*' })
        $burned | Should -HaveCount 2
        foreach ($r in $burned) {
            $r.TextRedaction | Should -Be 'Redacted'
            $r.RedactedBoxes.Count | Should -BeGreaterThan 0
        }
        foreach ($r in $Results | Where-Object Status -eq 'Completed') {
            $r.Validation.Passed | Should -BeTrue -Because "$($r.SourcePath): $($r.Validation.Findings.CheckId -join ', ')"
        }
    }

    It 'releases only files that pass Test-Deidentification on their own' {
        $released = Get-ChildItem -LiteralPath $Clean -Recurse -File
        $released | Should -Not -BeNullOrEmpty
        $released | Test-Deidentification -Quiet | Should -BeTrue
    }

    It 'writes DICOM that dcmdump reads and PNG images of every released image' {
        foreach ($r in $Results | Where-Object Status -eq 'Completed') {
            & dcmdump -q $r.FullName | Out-Null
            $LASTEXITCODE | Should -Be 0 -Because $r.FullName
        }
        $images = @($Results.ConvertedFiles)
        $images.Count | Should -BeGreaterOrEqual $DemoDicomCount
        foreach ($image in $images) {
            Test-Path -LiteralPath $image | Should -BeTrue
            [System.IO.File]::ReadAllBytes($image)[1..3] | Should -Be ([byte[]][char[]]'PNG')
        }
    }

    It 'names no output after a patient' {
        foreach ($f in Get-ChildItem -LiteralPath $Clean, "$Clean-images" -Recurse -File) {
            $f.Name | Should -Not -Match 'DOE|SMITH|sample_'
        }
    }

    It 'writes report.json with totals that match the results' {
        $Report.schema | Should -Be 'medimagecleaner-report/1'
        $Report.summary.files | Should -Be ($DemoDicomCount + 1)
        $Report.summary.byStatus.Completed | Should -Be @($Results | Where-Object Status -eq 'Completed').Count
        $Report.summary.byError.NotDicomFile | Should -Be 1
        $Report.summary.filesRedacted | Should -Be 2
        $Report.files | Should -HaveCount ($DemoDicomCount + 1)
    }

    It 'writes report.txt and report.html without any header value' {
        $text = Get-Content -LiteralPath (Join-Path "$Clean-report" 'report.txt') -Raw
        $text | Should -Match 'Success rate'
        $html = Get-Content -LiteralPath (Join-Path "$Clean-report" 'report.html') -Raw
        $html | Should -Match 'id="summary"'
        $html | Should -Match 'data:image/png;base64,'
        # Thumbnails are base64: any three letters can occur in them by chance.
        $html = $html -replace 'data:image/png;base64,[A-Za-z0-9+/=]+', ''
        foreach ($file in Get-ChildItem -LiteralPath $Demo -Recurse -Filter '*.dcm' | Get-DicomFile) {
            if ($file.PatientName) {
                foreach ($part in ($file.PatientName -split '\^') | Where-Object Length -ge 3) {
                    $html | Should -Not -Match ([regex]::Escape($part))
                    $text | Should -Not -Match ([regex]::Escape($part))
                }
            }
        }
    }

    It 'leaves no staging folder behind' {
        Test-Path -LiteralPath (Join-Path $TestDrive '.clean.mic-staging') | Should -BeFalse
    }

    It 'draws only de-identified output in the report unless -IncludeOriginalThumbnails' {
        $html = Get-Content -LiteralPath (Join-Path "$Clean-report" 'report.html') -Raw
        ([regex]::Matches($html, 'alt="after"')).Count | Should -Be 2
        ([regex]::Matches($html, 'alt="before"')).Count | Should -Be 0
        $withOriginals = Join-Path $TestDrive 'with-originals'
        $null = Invoke-DicomDeidentification -Path (Join-Path $Demo 'burned0') -Destination $withOriginals -KeyFile $Key -RemoveBurnedInText -IncludeOriginalThumbnails
        $html2 = Get-Content -LiteralPath (Join-Path "$withOriginals-report" 'report.html') -Raw
        ([regex]::Matches($html2, 'alt="before"')).Count | Should -Be 2
        ([regex]::Matches($html2, 'alt="after"')).Count | Should -Be 2
    }

    It 'skips everything on a rerun with the same key and settings' {
        $again = Invoke-DicomDeidentification -Path $Demo -Recurse -Destination $Clean -KeyFile $Key -RemoveBurnedInText -Validate -ConvertTo Png -ErrorAction SilentlyContinue
        $again | Should -HaveCount $DemoDicomCount
        ($again | Where-Object Status -ne 'Skipped') | Should -BeNullOrEmpty
    }

    It 'redoes the files when a setting changes' {
        $other = Invoke-DicomDeidentification -Path $Demo -Recurse -Destination $Clean -KeyFile $Key -Profile RetainPatientCharacteristics -Force -ErrorAction SilentlyContinue
        ($other | Where-Object Status -eq 'Skipped') | Should -BeNullOrEmpty
    }
}

Describe 'The seed quick start on the shared corpus' -Skip:(-not $HasCorpus) {
    BeforeAll {
        $script:CorpusClean = Join-Path $TestDrive 'corpus-clean'
        $corpus = Split-Path -Parent (Get-SharedCorpusPath 'pydicom')
        $script:CorpusInputs = @(Get-ChildItem -LiteralPath $corpus -Recurse -File -Filter '*.dcm')
        $script:CorpusResults = Invoke-DicomDeidentification -Path $corpus -Recurse -Destination $CorpusClean -KeyFile $Key -RemoveBurnedInText -Validate -ThrottleLimit 2 -Summary -ErrorVariable corpusErrors -ErrorAction SilentlyContinue
        $script:CorpusErrors = $corpusErrors
    }

    It 'accounts for every file: released, quarantined with a reason, or an error naming it' {
        # Inputs with the same bytes as an earlier one are Skipped; different files of the corpus that share a SOP
        # Instance UID meet at one output name: the first in input order is released, the others fail
        # (DuplicateSopInstanceUid, naming both inputs).
        $s = $CorpusResults
        $s.Files | Should -BeGreaterOrEqual $CorpusInputs.Count
        $s.Count('Completed') | Should -BeGreaterThan ($CorpusInputs.Count / 2)
        ($s.Count('Completed') + $s.Count('Unchanged') + $s.Count('Skipped') + $s.Count('Quarantined') + $s.Count('Failed')) | Should -Be $s.Files
        $s.Count('Failed') | Should -Be $CorpusErrors.Count
        foreach ($e in $CorpusErrors) {
            $e.FullyQualifiedErrorId | Should -Match '^(NotDicomFile|DicomReadFailed|DestinationExists|DuplicateSopInstanceUid),'
            $e.TargetObject | Should -Not -BeNullOrEmpty
        }
        foreach ($q in Get-ChildItem -LiteralPath "$CorpusClean-quarantine" -Filter '*.dcm' -ErrorAction Ignore) {
            Test-Path -LiteralPath ($q.FullName + '.reason.json') | Should -BeTrue
        }
    }

    It 'releases only files that pass validation' {
        Get-ChildItem -LiteralPath $CorpusClean -Recurse -File | Test-Deidentification -Quiet | Should -BeTrue
    }
}

Describe 'A run killed at a random point, then rerun' {
    BeforeAll {
        $script:KillRaw = Join-Path $TestDrive 'kill-raw'
        New-DemoCorpus $KillRaw -Count 40 -BurnedSeeds 4
        $script:KillCount = @(Get-ChildItem -LiteralPath $KillRaw -Recurse -File -Filter '*.dcm').Count

        # The reference: the same run, undisturbed.
        $script:RefDest = Join-Path $TestDrive 'ref'
        Invoke-DicomDeidentification -Path $KillRaw -Recurse -Destination $RefDest -KeyFile $Key -RemoveBurnedInText -ThrottleLimit 2 -ErrorAction SilentlyContinue | Out-Null
        $script:Expected = Get-HashTable $RefDest
        $script:ExpectedQuarantine = Get-HashTable "$RefDest-quarantine"

        $script:KillDest = Join-Path $TestDrive 'killed'
        $child = Join-Path $TestDrive 'workflow.ps1'
        Set-Content -LiteralPath $child -Value @'
param([string] $Manifest, [string] $Raw, [string] $Destination, [string] $KeyFile)
Import-Module -Name $Manifest
Invoke-DicomDeidentification -Path $Raw -Recurse -Destination $Destination -KeyFile $KeyFile -RemoveBurnedInText -ThrottleLimit 2 -ErrorAction SilentlyContinue | Out-Null
'@
        # Killed once a random number of outputs exist (between 1 and half of them).
        $script:KillAfter = Get-Random -Minimum 1 -Maximum ([int]($KillCount / 2))
        $killed = Invoke-KilledRun -Script $child -Arguments '-Manifest', $Manifest, '-Raw', $KillRaw, '-Destination', $KillDest, '-KeyFile', $Key -Folder $KillDest -KillAfter $KillAfter
        $script:ExitedBeforeKill = $killed.ExitedBeforeKill
        $script:ChildErrors = $killed.Errors

        $script:AtKill = Get-HashTable $KillDest
        $script:Rerun = Invoke-DicomDeidentification -Path $KillRaw -Recurse -Destination $KillDest -KeyFile $Key -RemoveBurnedInText -ThrottleLimit 2 -ErrorAction SilentlyContinue
    }

    It 'killed the run midway' {
        $ExitedBeforeKill | Should -BeFalse -Because "the run must still be going when it is killed ($ChildErrors)"
        $AtKill.Count | Should -BeGreaterOrEqual $KillAfter
        $AtKill.Count | Should -BeLessThan $Expected.Count
    }

    It 'had only finished files in the destination when killed, each identical to the reference' {
        foreach ($name in $AtKill.Keys) {
            $AtKill[$name] | Should -Be $Expected[$name] -Because "$name must be a finished output"
        }
    }

    It 'skips what the killed run finished and completes the rest' {
        @($Rerun | Where-Object Status -eq 'Skipped').Count | Should -BeGreaterOrEqual ($AtKill.Count - 2)
        @($Rerun | Where-Object Status -in 'Completed', 'Unchanged').Count | Should -BeGreaterThan 0
        $Rerun | Should -HaveCount $KillCount
    }

    It 'ends with the same outputs, names and bytes, as the undisturbed run' {
        $actual = Get-HashTable $KillDest
        @($actual.Keys | Sort-Object) | Should -Be @($Expected.Keys | Sort-Object)
        foreach ($name in $Expected.Keys) {
            $actual[$name] | Should -Be $Expected[$name] -Because $name
        }
        $quarantine = Get-HashTable "$KillDest-quarantine"
        @($quarantine.Keys | Sort-Object) | Should -Be @($ExpectedQuarantine.Keys | Sort-Object)
    }

    It 'leaves no staging folder behind' {
        Test-Path -LiteralPath (Join-Path $TestDrive '.killed.mic-staging') | Should -BeFalse
    }
}

Describe 'The HTML report in a browser' -Skip:(-not $HasChromium) {
    BeforeAll {
        $script:ShotDest = Join-Path $TestDrive 'shot'
        $null = Invoke-DicomDeidentification -Path $Demo -Recurse -Destination $ShotDest -KeyFile $Key -RemoveBurnedInText -ErrorAction SilentlyContinue
        $html = Join-Path "$ShotDest-report" 'report.html'
        $script:Shot = Join-Path $TestDrive 'report.png'
        $profileDir = Join-Path $TestDrive 'chromium-profile'
        & chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$profileDir" --window-size=1280,1800 "--screenshot=$Shot" ([System.Uri]::new($html).AbsoluteUri) 2>&1 | Out-Null
        $script:ShotText = if (Test-Path -LiteralPath $Shot) { (& tesseract $Shot - 2>$null) -join "`n" } else { '' }
    }

    It 'renders to a screenshot' {
        Test-Path -LiteralPath $Shot | Should -BeTrue
        (Get-Item -LiteralPath $Shot).Length | Should -BeGreaterThan 20000
    }

    It 'shows the summary (read back from the screenshot by the tesseract CLI)' {
        $ShotText | Should -Match 'Summary'
        $ShotText | Should -Match 'Released'
        $ShotText | Should -Match 'Success rate'
    }

    It 'shows the thumbnails of the redacted images' {
        $ShotText | Should -Match 'Burned-in text removed'
        $ShotText | Should -Match 'boxes'
        $ShotText | Should -Match 'verified'
    }
}

Describe 'Bad settings and -WhatIf' {
    It 'refuses a destination that is a file' {
        $file = Join-Path $TestDrive 'afile'
        Set-Content -LiteralPath $file -Value x
        { Invoke-DicomDeidentification -Path $Demo -Destination $file -KeyFile $Key } | Should -Throw -ErrorId 'DestinationIsFile,MedImageCleaner.PowerShell.Commands.InvokeDicomDeidentificationCommand'
    }

    It 'refuses a quarantine inside the destination' {
        $dest = Join-Path $TestDrive 'q-dest'
        { Invoke-DicomDeidentification -Path $Demo -Destination $dest -QuarantinePath (Join-Path $dest 'q') -KeyFile $Key } | Should -Throw -ErrorId 'QuarantineInsideDestination,MedImageCleaner.PowerShell.Commands.InvokeDicomDeidentificationCommand'
    }

    It 'refuses a report folder inside the destination' {
        $dest = Join-Path $TestDrive 'r-dest'
        { Invoke-DicomDeidentification -Path $Demo -Destination $dest -ReportPath (Join-Path $dest 'r') -KeyFile $Key } | Should -Throw -ErrorId 'ReportInsideDestination,MedImageCleaner.PowerShell.Commands.InvokeDicomDeidentificationCommand'
    }

    It 'refuses a missing key file before it creates anything' {
        $dest = Join-Path $TestDrive 'k'
        { Invoke-DicomDeidentification -Path $Demo -Destination $dest -KeyFile (Join-Path $TestDrive 'nokey.key') } | Should -Throw -ErrorId 'KeyFileNotFound,MedImageCleaner.PowerShell.Commands.InvokeDicomDeidentificationCommand'
        Test-Path -LiteralPath $dest | Should -BeFalse
    }

    It 'refuses a file that is not a key before it creates anything' {
        $dest = Join-Path $TestDrive 'k2'
        $bad = Join-Path $TestDrive 'bad.key'
        Set-Content -LiteralPath $bad -Value 'not a key'
        { Invoke-DicomDeidentification -Path $Demo -Destination $dest -KeyFile $bad } | Should -Throw -ErrorId 'InvalidKeyFile,MedImageCleaner.PowerShell.Commands.InvokeDicomDeidentificationCommand'
        Test-Path -LiteralPath $dest | Should -BeFalse
        Test-Path -LiteralPath "$dest.audit.db" | Should -BeFalse
    }

    It 'writes nothing with -WhatIf' {
        $dest = Join-Path $TestDrive 'whatif'
        Invoke-DicomDeidentification -Path $Demo -Recurse -Destination $dest -KeyFile $Key -WhatIf
        Test-Path -LiteralPath $dest | Should -BeFalse
        Test-Path -LiteralPath "$dest-report" | Should -BeFalse
        Test-Path -LiteralPath "$dest.audit.db" | Should -BeFalse
    }

    It 'writes one summary object with -Summary' {
        $summary = Invoke-DicomDeidentification -Path $Demo -Recurse -Destination (Join-Path $TestDrive 'sum') -KeyFile $Key -Summary -ErrorAction SilentlyContinue
        $summary | Should -HaveCount 1
        $summary.GetType().Name | Should -Be 'WorkflowSummary'
        $summary.Files | Should -Be ($DemoDicomCount + 1)
    }
}
