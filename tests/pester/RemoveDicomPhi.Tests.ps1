BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:DcmdumpMissing = -not (Get-Command dcmdump -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:CommandType = 'MedImageCleaner.PowerShell.Commands.RemoveDicomPhiCommand'
    $script:Raw = Join-Path $TestDrive 'raw'
    $script:SamplePaths = New-SampleDicom -Path $Raw -Count 4
    $script:Key = Join-Path $TestDrive 'site.key'
    New-DeidentificationKey -Path $Key | Out-Null

    # Every byte string of a file, decoded as Latin-1 so ASCII values can be searched for.
    function Get-FileText([string] $Path) {
        [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($Path))
    }

    function Get-Hashes([string] $Folder) {
        Get-ChildItem -LiteralPath $Folder -Recurse -File | Sort-Object Name | ForEach-Object { (Get-FileHash -LiteralPath $_.FullName).Hash }
    }
}

Describe 'Remove-DicomPhi' {
    Context 'Pipelines' {
        It 'de-identifies files piped from Get-ChildItem and writes them under names without PHI' {
            $dest = Join-Path $TestDrive 'clean-gci'
            $r = Get-ChildItem -LiteralPath $Raw -File | Remove-DicomPhi -Destination $dest -KeyFile $Key
            $r | Should -HaveCount 4
            $r[0] | Should -BeOfType ([MedImageCleaner.Core.Deidentification.DeidentificationResult])
            $r.Status | Sort-Object -Unique | Should -Be 'Written'
            foreach ($x in $r) {
                Test-Path -LiteralPath $x.FullName | Should -BeTrue
                Split-Path -Leaf $x.FullName | Should -Match '^2\.25\.\d+\.dcm$'
                $x.PseudoPatientId | Should -Match '^ANON-[A-Z2-9]{16}$'
                $text = Get-FileText $x.FullName
                $text | Should -Not -Match 'DOE\^JANE|ROE\^RICHARD|MUSTERMANN|SMITH\^ALEX'
                $text | Should -Not -Match 'MRN\d{3}\d{5}'
                $text | Should -Not -Match 'SAMPLE GENERAL HOSPITAL'
                $text | Should -Not -Match 'SCANNER ROOM'
            }
        }

        It 'binds Get-DicomFile output and passes results on by FullName' {
            $dest = Join-Path $TestDrive 'clean-gdf'
            $r = Get-DicomFile -Path $Raw | Remove-DicomPhi -Destination $dest -KeyFile $Key | Get-DicomFile
            $r | Should -HaveCount 4
            $r.PatientIdentityRemoved | Sort-Object -Unique | Should -Be $true
            $r.HasPrivateTags | Sort-Object -Unique | Should -Be $false
        }

        It 'gives the same outputs with -ThrottleLimit 1 and 4 and across runs with the same key' {
            $a = Join-Path $TestDrive 'det-a'; $b = Join-Path $TestDrive 'det-b'
            Remove-DicomPhi -Path $Raw -Destination $a -KeyFile $Key -ThrottleLimit 1 | Out-Null
            Remove-DicomPhi -Path $Raw -Destination $b -KeyFile $Key -ThrottleLimit 4 | Out-Null
            Get-Hashes $a | Should -Be (Get-Hashes $b)
        }

        It 'gives other pseudonyms with another key' {
            $other = Join-Path $TestDrive 'other.key'
            New-DeidentificationKey -Path $other | Out-Null
            $x = Remove-DicomPhi -LiteralPath $SamplePaths[0] -Destination (Join-Path $TestDrive 'k1') -KeyFile $Key
            $y = Remove-DicomPhi -LiteralPath $SamplePaths[0] -Destination (Join-Path $TestDrive 'k2') -KeyFile $other
            $x.PseudoPatientId | Should -Not -Be $y.PseudoPatientId
            $x.SopInstanceUid | Should -Not -Be $y.SopInstanceUid
        }

        It 'reads a file whose name has brackets' {
            $odd = Join-Path $TestDrive 'odd[1]'
            New-Item -ItemType Directory -Path $odd | Out-Null
            Copy-Item -LiteralPath $SamplePaths[0] -Destination (Join-Path $odd 'scan[1].dcm')
            $r = Get-ChildItem -LiteralPath $odd | Remove-DicomPhi -Destination (Join-Path $TestDrive 'brackets') -KeyFile $Key
            $r.Status | Should -Be 'Written'
        }
    }

    Context 'Safety' {
        It '-WhatIf writes nothing and lists the plan without values' {
            $dest = Join-Path $TestDrive 'whatif'
            $plan = Remove-DicomPhi -LiteralPath $SamplePaths[0] -Destination $dest -KeyFile $Key -WhatIf
            Test-Path -LiteralPath $dest | Should -BeFalse
            $plan.Count | Should -BeGreaterThan 10
            $plan[0] | Should -BeOfType ([MedImageCleaner.Core.Deidentification.PlanEntry])
            ($plan | Where-Object Keyword -eq 'PatientName').Action | Should -Be 'Zero'
            ($plan | Where-Object Keyword -eq 'SOPInstanceUID').Action | Should -Be 'Uid'
            ($plan | Where-Object Keyword -eq 'PatientID').Action | Should -Be 'Dummy'
            ($plan | Where-Object { $_.Tag.Group -eq 0x0009 }).Action | Sort-Object -Unique | Should -Be 'Remove'
            $plan.SourcePath | Sort-Object -Unique | Should -Be $SamplePaths[0]
            ($plan | Out-String) | Should -Not -Match 'DOE'
        }

        It 'reports a non-DICOM file and goes on with the others' {
            $mixed = Join-Path $TestDrive 'mixed'
            New-Item -ItemType Directory -Path $mixed | Out-Null
            Copy-Item -LiteralPath $SamplePaths[0] -Destination $mixed
            Set-Content -LiteralPath (Join-Path $mixed 'notes.txt') -Value 'not dicom'
            $r = Remove-DicomPhi -Path $mixed -Destination (Join-Path $TestDrive 'mixed-out') -KeyFile $Key -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -HaveCount 1
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be "NotDicomFile,$CommandType"
            $errs[0].TargetObject | Should -BeLike '*notes.txt'
        }

        It 'reruns without rewriting, refuses changed outputs without -Force and overwrites with -Force' {
            $dest = Join-Path $TestDrive 'rerun'
            $first = Remove-DicomPhi -LiteralPath $SamplePaths[1] -Destination $dest -KeyFile $Key
            $first.Status | Should -Be 'Written'
            (Remove-DicomPhi -LiteralPath $SamplePaths[1] -Destination $dest -KeyFile $Key).Status | Should -Be 'Unchanged'
            [System.IO.File]::AppendAllText($first.FullName, 'x')
            $r = Remove-DicomPhi -LiteralPath $SamplePaths[1] -Destination $dest -KeyFile $Key -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -Be "DestinationExists,$CommandType"
            (Remove-DicomPhi -LiteralPath $SamplePaths[1] -Destination $dest -KeyFile $Key -Force).Status | Should -Be 'Written'
            (Get-FileHash -LiteralPath $first.FullName).Hash | Should -Be $first.OutputSha256.ToUpperInvariant()
        }

        It 'refuses inputs inside the destination and never modifies inputs' {
            $before = Get-Hashes $Raw
            Remove-DicomPhi -Path $Raw -Destination $Raw -KeyFile $Key -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -Be "InputInsideDestination,$CommandType"
            Get-Hashes $Raw | Should -Be $before
        }

        It 'leaves no partial files after an interrupted run' {
            $dest = Join-Path $TestDrive 'partial'
            New-Item -ItemType Directory -Path $dest | Out-Null
            Set-Content -LiteralPath (Join-Path $dest 'x.dcm.1234abcd.mic-partial') -Value 'half'
            Remove-DicomPhi -Path $Raw -Destination $dest -KeyFile $Key | Out-Null
            Get-ChildItem -LiteralPath $dest -Recurse -Force -Filter '*.mic-partial' | Should -BeNullOrEmpty
        }

        It 'stops on a missing key file' {
            { Remove-DicomPhi -Path $Raw -Destination (Join-Path $TestDrive 'nokey') -KeyFile (Join-Path $TestDrive 'missing.key') -ErrorAction Stop } |
                Should -Throw -ErrorId "KeyFileNotFound,$CommandType"
        }

        It 'warns that pseudonyms will not repeat without a key' {
            $r = Remove-DicomPhi -LiteralPath $SamplePaths[0] -Destination (Join-Path $TestDrive 'ephemeral') -WarningVariable w -WarningAction SilentlyContinue
            $r.Status | Should -Be 'Written'
            $w[0].Message | Should -Match 'ephemeral'
        }
    }

    Context 'Options' {
        BeforeAll {
            function Invoke-One([hashtable] $Extra) {
                $dest = Join-Path $TestDrive ('opt-' + [guid]::NewGuid().ToString('N'))
                $r = Remove-DicomPhi -LiteralPath $SamplePaths[0] -Destination $dest -KeyFile $Key @Extra
                Get-DicomFile -LiteralPath $r.FullName -Tag PatientAge, PatientSex, StudyDate, StationName, PatientID, SOPInstanceUID, InstitutionName, DeidentificationMethod, LongitudinalTemporalInformationModified
            }
            $script:Original = Get-DicomFile -LiteralPath $SamplePaths[0] -Tag PatientSex, StudyDate, SOPInstanceUID, InstitutionName
        }

        It 'Basic profile: sex emptied, dates removed, UIDs replaced, method recorded' {
            $f = Invoke-One @{}
            $f.Attributes['PatientSex'] | Should -BeNullOrEmpty
            $f.Attributes['StudyDate'] | Should -BeNullOrEmpty
            $f.Attributes['SOPInstanceUID'] | Should -Match '^2\.25\.'
            ($f.Attributes['DeidentificationMethod'] -join '\') | Should -Match 'Basic Application Level Confidentiality Profile'
            $f.Attributes['LongitudinalTemporalInformationModified'] | Should -Be 'REMOVED'
        }

        It '-PreserveSex keeps the sex' {
            (Invoke-One @{ PreserveSex = $true }).Attributes['PatientSex'] | Should -Be $Original.Attributes['PatientSex']
        }

        It '-DateOffsetDays shifts the dates by that many days' {
            $f = Invoke-One @{ DateOffsetDays = -10 }
            $expected = [datetime]::ParseExact($Original.Attributes['StudyDate'], 'yyyyMMdd', $null).AddDays(-10).ToString('yyyyMMdd')
            $f.Attributes['StudyDate'] | Should -Be $expected
            $f.Attributes['LongitudinalTemporalInformationModified'] | Should -Be 'MODIFIED'
        }

        It '-Profile RetainUids,RetainInstitutionIdentity keeps them' {
            $f = Invoke-One @{ Profile = 'RetainUids', 'RetainInstitutionIdentity' }
            $f.Attributes['SOPInstanceUID'] | Should -Be $Original.Attributes['SOPInstanceUID']
            $f.Attributes['InstitutionName'] | Should -Be $Original.Attributes['InstitutionName']
        }

        It '-KeepPrivateTags keeps private attributes' {
            (Invoke-One @{ KeepPrivateTags = $true }).HasPrivateTags | Should -BeTrue
        }

        It '-EmptyPatientId empties the patient ID and -PatientIdPrefix renames pseudonyms' {
            (Invoke-One @{ EmptyPatientId = $true }).Attributes['PatientID'] | Should -BeNullOrEmpty
            (Invoke-One @{ PatientIdPrefix = 'SITE7' }).Attributes['PatientID'] | Should -Match '^SITE7-'
        }

        It '-CustomPhiTag applies site rules by keyword or tag' {
            $f = Invoke-One @{ CustomPhiTag = @{ PatientSex = 'Keep'; '(0008,0080)' = 'Keep' } }
            $f.Attributes['PatientSex'] | Should -Be $Original.Attributes['PatientSex']
            $f.Attributes['InstitutionName'] | Should -Be $Original.Attributes['InstitutionName']
        }

        It 'rejects an unknown tag in -CustomPhiTag' {
            { Remove-DicomPhi -Path $Raw -Destination (Join-Path $TestDrive 'bad') -KeyFile $Key -CustomPhiTag @{ NoSuchKeyword = 'Keep' } } |
                Should -Throw -ErrorId "InvalidTag,$CommandType"
        }

        It 'rejects full and modified dates together' {
            { Remove-DicomPhi -Path $Raw -Destination (Join-Path $TestDrive 'bad2') -KeyFile $Key -Profile RetainLongitudinalFullDates, RetainLongitudinalModifiedDates } |
                Should -Throw -ErrorId "InvalidDeidentificationSettings,$CommandType"
        }

        It '-Layout Hierarchy nests outputs by pseudonymous patient, study and series' {
            $dest = Join-Path $TestDrive 'hier'
            $r = Remove-DicomPhi -LiteralPath $SamplePaths[0] -Destination $dest -KeyFile $Key -Layout Hierarchy
            $rel = [System.IO.Path]::GetRelativePath($dest, $r.FullName)
            $rel.Split([System.IO.Path]::DirectorySeparatorChar) | Should -HaveCount 4
            $rel | Should -Match '^ANON-'
        }
    }

    Context 'Independent checks' {
        It 'writes files dcmdump reads, without the patient name' -Skip:$DcmdumpMissing {
            $dest = Join-Path $TestDrive 'dcmdump'
            $r = Remove-DicomPhi -Path $Raw -Destination $dest -KeyFile $Key
            foreach ($x in $r) {
                $out = & dcmdump $x.FullName 2>&1 | Out-String
                $LASTEXITCODE | Should -Be 0
                $out | Should -Match 'PatientIdentityRemoved'
                $out | Should -Not -Match 'DOE\^JANE'
            }
        }
    }

    Context 'Help' {
        It 'has help with examples' {
            (Get-Help Remove-DicomPhi -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
