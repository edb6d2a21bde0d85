BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Cmd = 'MedImageCleaner.PowerShell.Commands.TestDeidentificationCommand'
    $script:Raw = Join-Path $TestDrive 'raw'
    # CT and MR samples (the third sample kind, US, declares burned-in text).
    $script:Inputs = @(New-SampleDicom -Path $Raw -Count 2)
    $script:Key = Join-Path $TestDrive 'site.key'
    New-DeidentificationKey -Path $Key | Out-Null
    $script:Audit = Join-Path $TestDrive 'audit.db'
    $script:Clean = Join-Path $TestDrive 'clean'
    $script:Deid = @($Inputs | Remove-DicomPhi -Destination $Clean -KeyFile $Key -AuditDatabase $Audit)

    # A copy of a clean output with "Doe^John" planted in Image Comments.
    function New-LeakyCopy([string] $Source, [string] $Name) {
        $file = [MedImageCleaner.Dicom.DicomFile]::Open($Source)
        try {
            $file.Dataset.AddOrUpdate([MedImageCleaner.Dicom.DicomTag]::new(0x0020, 0x4000), [MedImageCleaner.Dicom.DicomVR]::LT, 'pt Doe^John')
            $target = Join-Path $TestDrive $Name
            $file.Save($target, $null, $true)
            $target
        }
        finally {
            $file.Dispose()
        }
    }

    $script:Leaky = New-LeakyCopy $Deid[0].FullName 'leaky[1].dcm'
}

Describe 'Test-Deidentification' {
    Context 'Gate for runbooks (-Quiet)' {
        It 'returns $true when every de-identified file passes' {
            Test-Deidentification -LiteralPath $Deid.FullName -Quiet | Should -BeTrue
        }

        It 'returns $false when one file leaks' {
            Test-Deidentification -LiteralPath @($Deid[1].FullName, $Leaky) -Quiet | Should -BeFalse
        }

        It 'returns $false for an original that was never de-identified' {
            Test-Deidentification -LiteralPath $Inputs[0] -Quiet | Should -BeFalse
        }

        It 'writes exactly one Boolean' {
            $r = @(Test-Deidentification -LiteralPath $Deid.FullName -Quiet)
            $r | Should -HaveCount 1
            $r[0] | Should -BeOfType ([bool])
        }
    }

    Context 'Pipeline from Remove-DicomPhi' {
        It 'checks the piped outputs against their originals (SourcePath) and passes' {
            $dest = Join-Path $TestDrive 'piped'
            $r = @(Get-ChildItem -LiteralPath $Raw -File | Remove-DicomPhi -Destination $dest -KeyFile $Key | Test-Deidentification)
            $r | Should -HaveCount 2
            $r[0] | Should -BeOfType ([MedImageCleaner.Core.Validation.DeidentificationReport])
            $r.Passed | Should -Not -Contain $false
            $r.ResidualSource | Sort-Object -Unique | Should -Be 'Original'
            $r.Score | Sort-Object -Unique | Should -Be 100
        }

        It 'finds the planted name, with the check id and the element path' {
            $r = Test-Deidentification -LiteralPath $Leaky
            $r.Passed | Should -BeFalse
            $f = @($r.Findings | Where-Object { $_.CheckId -eq 'PhiPattern' -and $_.Severity -eq 'Error' })
            $f.Count | Should -BeGreaterOrEqual 1
            $f[0].Path | Should -Be '(0020,4000)'
            $f[0].Keyword | Should -Be 'ImageComments'
        }

        It 'finds the original values through the audit vault (-AuditDatabase -KeyFile)' {
            $r = Test-Deidentification -LiteralPath $Deid[0].FullName -AuditDatabase $Audit -KeyFile $Key
            $r.ResidualSource | Should -Be 'AuditVault'
            $r.Passed | Should -BeTrue
        }
    }

    Context 'Values stay out of the output' {
        It 'never puts the offending value into findings by default' {
            $r = Test-Deidentification -LiteralPath $Leaky
            $r.Findings.Value | Where-Object { $_ } | Should -BeNullOrEmpty
            ($r | ConvertTo-Json -Depth 5) | Should -Not -Match 'Doe'
        }

        It 'puts it in with -IncludeValues' {
            $r = Test-Deidentification -LiteralPath $Leaky -IncludeValues
            ($r.Findings | Where-Object CheckId -eq 'PhiPattern').Value | Should -Contain 'pt Doe^John'
        }
    }

    Context 'Sampling and summary' {
        BeforeAll {
            $script:Many = Join-Path $TestDrive 'many'
            New-Item -ItemType Directory -Path $Many -Force | Out-Null
            foreach ($i in 1..12) { Copy-Item -LiteralPath $Deid[$i % 2].FullName -Destination (Join-Path $Many "f$i.dcm") }
        }

        It 'checks the same files for the same -Seed' {
            $a = (Test-Deidentification -Path $Many -SampleRate 0.4 -Seed 11).FullName
            $b = (Test-Deidentification -Path $Many -SampleRate 0.4 -Seed 11 -ThrottleLimit 1).FullName
            ($a | Sort-Object) | Should -Be ($b | Sort-Object)
            $a.Count | Should -BeLessThan 12
        }

        It 'checks at least one file when the sample takes none' {
            @(Test-Deidentification -Path $Many -SampleRate 0 -Seed 1) | Should -HaveCount 1
        }

        It 'writes one summary with -Summary' {
            $s = @(Test-Deidentification -LiteralPath @($Deid[0].FullName, $Deid[1].FullName, $Leaky) -Summary)
            $s | Should -HaveCount 1
            $s[0] | Should -BeOfType ([MedImageCleaner.Core.Validation.DeidentificationSummary])
            $s[0].Checked | Should -Be 3
            $s[0].Passed | Should -Be 2
            $s[0].Failed | Should -Be 1
            $s[0].ErrorsByCheck['PhiPattern'] | Should -BeGreaterOrEqual 1
        }
    }

    Context 'Errors' {
        It 'rejects -SampleRate outside 0..1 (InvalidSampleRate)' {
            { Test-Deidentification -LiteralPath $Deid[0].FullName -SampleRate 1.5 -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidSampleRate,$Cmd"
        }

        It 'reports a missing -Original (OriginalNotFound)' {
            { Test-Deidentification -LiteralPath $Deid[0].FullName -Original (Join-Path $TestDrive 'nope.dcm') -ErrorAction Stop } |
                Should -Throw -ErrorId "OriginalNotFound,$Cmd"
        }

        It 'refuses a key that does not open the audit database (AuditKeyMismatch)' {
            $other = Join-Path $TestDrive 'other.key'
            New-DeidentificationKey -Path $other | Out-Null
            { Test-Deidentification -LiteralPath $Deid[0].FullName -AuditDatabase $Audit -KeyFile $other -ErrorAction Stop } |
                Should -Throw -ErrorId "AuditKeyMismatch,$Cmd"
        }

        It 'needs -KeyFile with -AuditDatabase (AuditKeyFileRequired)' {
            { Test-Deidentification -LiteralPath $Deid[0].FullName -AuditDatabase $Audit -ErrorAction Stop } |
                Should -Throw -ErrorId "AuditKeyFileRequired,$Cmd"
        }

        It 'reports a non-DICOM file (NotDicomFile), goes on, and counts it as a failure' {
            $junk = Join-Path $TestDrive 'notes.dcm'
            Set-Content -LiteralPath $junk -Value 'not a dicom file'
            $r = @(Test-Deidentification -LiteralPath $junk, $Deid[0].FullName -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be "NotDicomFile,$Cmd"
            $r | Should -HaveCount 1
            $r[0].Passed | Should -BeTrue
            Test-Deidentification -LiteralPath $junk, $Deid[0].FullName -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
        }
    }

    Context 'Burned-in text (-CheckPixels, the independent reader)' {
        BeforeAll {
            $script:TesseractMissing = -not (Get-Command tesseract -CommandType Application -ErrorAction Ignore)
            $script:Burned = @(New-BurnedInSample -Path (Join-Path $TestDrive 'burned'))
            $script:BurnedDeid = @($Burned | Remove-DicomPhi -Destination (Join-Path $TestDrive 'burned-clean') -KeyFile $Key)

            # The same pixels with a header that hides them: a window far above every stored value, and
            # BurnedInAnnotation NO. Neither may be trusted.
            function New-HiddenCopy([string] $Source, [string] $Name) {
                $file = [MedImageCleaner.Dicom.DicomFile]::Open($Source)
                try {
                    $ds = $file.Dataset
                    $ds.AddOrUpdate([MedImageCleaner.Dicom.DicomTag]::new(0x0028, 0x1050), [MedImageCleaner.Dicom.DicomVR]::DS, '90000')
                    $ds.AddOrUpdate([MedImageCleaner.Dicom.DicomTag]::new(0x0028, 0x1051), [MedImageCleaner.Dicom.DicomVR]::DS, '400')
                    $ds.AddOrUpdate([MedImageCleaner.Dicom.DicomTag]::new(0x0028, 0x0301), [MedImageCleaner.Dicom.DicomVR]::CS, 'NO')
                    $target = Join-Path $TestDrive $Name
                    $file.Save($target, $null, $true)
                    $target
                }
                finally {
                    $file.Dispose()
                }
            }
        }

        It 'fails every de-identified output whose pixels still show the patient (planted by the sample)' -Skip:$TesseractMissing {
            $reports = @($BurnedDeid | Test-Deidentification -CheckPixels)
            $reports.Count | Should -Be $Burned.Count
            foreach ($r in $reports) {
                $r.Passed | Should -BeFalse
                @($r.Findings | Where-Object { $_.CheckId -eq 'PixelText' -and $_.Severity -eq 'Error' }).Count | Should -BeGreaterThan 0
            }
        }

        It 'fails it too when a header window hides the text and BurnedInAnnotation says NO' -Skip:$TesseractMissing {
            $ct = $BurnedDeid | Where-Object { $_.SourcePath -like '*burned_ct16*' } | Select-Object -First 1
            $ct | Should -Not -BeNullOrEmpty
            $hidden = New-HiddenCopy $ct.FullName 'hidden[1].dcm'
            $r = Test-Deidentification -LiteralPath $hidden -CheckPixels
            @($r.Findings | Where-Object { $_.CheckId -eq 'PixelText' -and $_.Severity -eq 'Error' }).Count | Should -BeGreaterThan 0
        }

        It 'reads no PHI in the pixels once Remove-BurnedInText has cleaned them' -Skip:$TesseractMissing {
            $cleaned = @($BurnedDeid | ForEach-Object { Remove-BurnedInText -LiteralPath $_.FullName -Destination (Join-Path $TestDrive 'burned-text-clean') })
            $cleaned.Status | Should -Not -Contain 'Quarantined'
            foreach ($c in $cleaned) {
                $r = Test-Deidentification -LiteralPath $c.FullName -CheckPixels
                @($r.Findings | Where-Object { $_.CheckId -eq 'PixelText' -and $_.Severity -eq 'Error' }) | Should -BeNullOrEmpty
            }
        }
    }

    Context 'Module surface' {
        It 'is exported by the manifest' {
            (Get-Command Test-Deidentification).ModuleName | Should -Be 'MedImageCleaner'
        }

        It 'declares its output types' {
            $types = (Get-Command Test-Deidentification).OutputType.Type
            $types | Should -Contain ([MedImageCleaner.Core.Validation.DeidentificationReport])
            $types | Should -Contain ([MedImageCleaner.Core.Validation.DeidentificationSummary])
            $types | Should -Contain ([bool])
        }

        It 'has help with a synopsis and at least three examples (needs the MAML generator)' {
            $help = Get-Help Test-Deidentification -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            (Get-Help Test-Deidentification -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
