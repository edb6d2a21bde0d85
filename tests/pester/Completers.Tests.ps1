# Tab completion of profile options, formats, key files, profile/rules files, audit databases and OCR languages.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }

    $script:Folder = Join-Path $TestDrive 'files'
    New-Item -ItemType Directory -Path (Join-Path $Folder 'sub') -Force | Out-Null
    foreach ($name in 'site.key', 'site-profile.json', 'audit.db', 'notes.txt') {
        Set-Content -LiteralPath (Join-Path $Folder $name) -Value x
    }
    Push-Location $Folder
}

AfterAll {
    Pop-Location
}

Describe 'Argument completion' {
    It 'completes profile options' {
        $c = Get-Completion 'Remove-DicomPhi -Profile RetainL'
        $c | Should -Contain 'RetainLongitudinalFullDates'
        $c | Should -Contain 'RetainLongitudinalModifiedDates'
        $c | Should -Not -Contain 'CleanGraphics'
    }

    It 'completes profile options of the workflow and of Test-Deidentification' {
        Get-Completion 'Invoke-DicomDeidentification -Profile Clean' | Should -Contain 'CleanDescriptors'
        Get-Completion 'Test-Deidentification -Profile RetainU' | Should -Contain 'RetainUids'
    }

    It 'completes export formats' {
        $c = Get-Completion 'Convert-DicomImage -Format '
        foreach ($f in 'Png', 'Jpeg', 'Tiff', 'Npy') { $c | Should -Contain $f }
        Get-Completion 'Invoke-DicomDeidentification -ConvertTo T' | Should -Contain 'Tiff'
    }

    It 'completes text detection methods and modes' {
        Get-Completion 'Remove-BurnedInText -Method O' | Should -Contain 'Ocr'
        Get-Completion 'Remove-BurnedInText -Mode P' | Should -Contain 'PhiOnly'
    }

    It 'offers only key files (and folders) for -KeyFile' {
        $c = Get-Completion 'Remove-DicomPhi -KeyFile ./'
        ($c -match 'site\.key') | Should -Not -BeNullOrEmpty
        ($c -match 'sub') | Should -Not -BeNullOrEmpty
        ($c -match 'notes\.txt|audit\.db|\.json') | Should -BeNullOrEmpty
    }

    It 'offers JSON files for -ProfileFile and -RulesFile, databases for -AuditDatabase' {
        (Get-Completion 'Remove-DicomPhi -ProfileFile ./') -match 'site-profile\.json' | Should -Not -BeNullOrEmpty
        (Get-Completion 'Remove-BurnedInText -RulesFile ./') -match 'site-profile\.json' | Should -Not -BeNullOrEmpty
        $db = Get-Completion 'Get-DeidentificationAudit -AuditDatabase ./'
        ($db -match 'audit\.db') | Should -Not -BeNullOrEmpty
        ($db -match 'site\.key') | Should -BeNullOrEmpty
    }

    It 'completes installed OCR languages' -Skip:(-not (Get-Command tesseract -ErrorAction Ignore)) {
        Get-Completion 'Remove-BurnedInText -Language e' | Should -Contain 'eng'
    }

    It 'completes DICOM keywords for -Tag' {
        Get-Completion 'Get-DicomFile -Tag PatientAg' | Should -Contain 'PatientAge'
    }
}
