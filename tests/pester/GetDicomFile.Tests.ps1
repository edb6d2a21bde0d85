BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:CorpusMissing = -not (Get-SharedCorpusPath 'pydicom')
    $script:DcmdumpMissing = -not (Get-Command dcmdump -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:CommandType = 'MedImageCleaner.PowerShell.Commands.GetDicomFileCommand'
    $script:Corpus = Get-SharedCorpusPath 'pydicom'
    $script:CorpusSkipReason = '../shared/corpus/pydicom is not present (tests read it relative to the repository root)'

    # Three samples: CT (private tags at top level), MR (private tags only in a sequence item), US (2 frames, no private tags).
    $script:Samples = Join-Path $TestDrive 'samples'
    $script:SamplePaths = New-SampleDicom -Path $Samples -Count 3
}

Describe 'Get-DicomFile' {
    Context 'Output objects' {
        It 'describes each sample file from its header' {
            $r = Get-DicomFile -Path $Samples
            $r | Should -HaveCount 3
            $r[0] | Should -BeOfType ([MedImageCleaner.Core.Files.DicomFileInfo])
            $r.Name | Should -Be @('sample_0001_CT.dcm', 'sample_0002_MR.dcm', 'sample_0003_US.dcm')
            $r.Modality | Should -Be @('CT', 'MR', 'US')
            $r.SopClassUid | Should -Be @('1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.5.1.4.1.1.4', '1.2.840.10008.5.1.4.1.1.3.1')
            $r.SopClassName | Should -Be @('CT Image Storage', 'MR Image Storage', 'Ultrasound Multi-frame Image Storage')
            $r.TransferSyntaxUid | Should -Be (@('1.2.840.10008.1.2.1') * 3)
            $r.TransferSyntaxName | Should -Be (@('Explicit VR Little Endian') * 3)
            $r.Rows | Should -Be @(32, 24, 24)
            $r.Columns | Should -Be @(32, 32, 32)
            $r.NumberOfFrames | Should -Be @(1, 1, 2)
            $r.BitsAllocated | Should -Be @(16, 16, 8)
            $r.PhotometricInterpretation | Should -Be @('MONOCHROME2', 'MONOCHROME2', 'RGB')
            $r.BurnedInAnnotation | Should -Be @($false, $null, $true)
            $r.HasPrivateTags | Should -Be @($true, $true, $false)
            $r.PatientIdentityRemoved | Should -Be @($null, $null, $null)
            $r[0].PatientName | Should -Be 'DOE^JANE'
            $r[0].Length | Should -Be (Get-Item -LiteralPath $SamplePaths[0]).Length
            $r[0].FullName | Should -Be $SamplePaths[0]
            $r[0].ToString() | Should -Be $SamplePaths[0]
        }

        It 'shows a narrow default table without patient values' {
            $text = Get-DicomFile -Path $Samples | Format-Table | Out-String -Width 200
            $text | Should -Match 'Modality'
            $text | Should -Match 'SopClass'
            $text | Should -Match 'Rows\s+Columns'
            $text | Should -Match '\b32\s+32\b'
            $text | Should -Match 'sample_0001_CT\.dcm'
            $text | Should -Not -Match 'DOE'
        }

        It 'binds its own output back through FullName' {
            $again = Get-DicomFile -Path $Samples | Get-DicomFile
            $again.FullName | Should -Be $SamplePaths
        }

        It 'never writes patient values to the verbose stream' {
            $verbose = Get-DicomFile -Path $Samples -Tag PatientName, PatientID -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose | Should -Not -BeNullOrEmpty
            ($verbose.Message -join "`n") | Should -Not -MatchExactly 'DOE\^|ROE\^|MUSTERMANN|MRN[0-9]'
        }
    }

    Context 'Paths' {
        It 'expands wildcards in -Path' {
            $r = Get-DicomFile -Path (Join-Path $Samples 'sample_*_?R.dcm')
            $r.Name | Should -Be @('sample_0002_MR.dcm')
            (Get-DicomFile -Path (Join-Path $Samples '*.dcm')) | Should -HaveCount 3
        }

        It 'is silent when a wildcard matches nothing' {
            $r = Get-DicomFile -Path (Join-Path $Samples '*.nothing') -ErrorVariable errs
            $r | Should -BeNullOrEmpty
            $errs | Should -BeNullOrEmpty
        }

        It 'reports a missing path without wildcards' {
            $null = Get-DicomFile -Path (Join-Path $TestDrive 'missing.dcm') -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be "PathNotFound,$CommandType"
        }

        It 'refuses paths of other providers' {
            $null = Get-DicomFile -Path 'Env:PATH' -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be "NotFileSystemPath,$CommandType"
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'reads a name with [ ] through -LiteralPath and through the pipeline' {
            $dir = Join-Path $TestDrive 'brackets'
            $null = New-Item -ItemType Directory -Path $dir
            $odd = Join-Path $dir 'scan[1].dcm'
            Copy-Item -LiteralPath $SamplePaths[0] -Destination $odd
            Copy-Item -LiteralPath $SamplePaths[1] -Destination (Join-Path $dir 'scan1.dcm')

            $literal = Get-DicomFile -LiteralPath $odd
            $literal.Name | Should -Be 'scan[1].dcm'
            $literal.Modality | Should -Be 'CT'

            $piped = Get-Item -LiteralPath $odd | Get-DicomFile
            $piped.FullName | Should -Be $odd

            $lp = Get-DicomFile -LP $odd
            $lp.FullName | Should -Be $odd

            # With -Path, [1] is a wildcard class: it matches scan1.dcm, not scan[1].dcm.
            $wild = Get-DicomFile -Path $odd
            $wild.Name | Should -Be 'scan1.dcm'
        }

        It 'takes paths as strings from the pipeline' {
            $r = $SamplePaths[0], $SamplePaths[2] | Get-DicomFile
            $r.Modality | Should -Be @('CT', 'US')
        }
    }

    Context 'Folders and -Recurse' {
        BeforeAll {
            $script:Tree = Join-Path $TestDrive 'tree'
            $null = New-SampleDicom -Path $Tree -Count 2
            $null = New-SampleDicom -Path (Join-Path $Tree 'sub') -Count 2 -Seed 1
            $null = New-SampleDicom -Path (Join-Path $Tree 'sub' 'deeper') -Count 1 -Seed 2
            $null = New-SampleDicom -Path (Join-Path $Tree '.hidden') -Count 1 -Seed 3
        }

        It 'reads only the files directly in a folder without -Recurse' {
            $r = Get-DicomFile -Path $Tree
            $r | Should -HaveCount 2
            $r.FullName | ForEach-Object { Split-Path $_ } | Select-Object -Unique | Should -Be $Tree
        }

        It 'reads every file below a folder with -Recurse, sorted, hidden folders skipped' {
            $r = Get-DicomFile -Path $Tree -Recurse
            $r | Should -HaveCount 5
            $r.FullName | Should -Not -Match '\.hidden'
            $r[0].FullName | Should -Be (Join-Path $Tree 'sample_0001_CT.dcm')
            # Depth first: a folder's files, then each subfolder (ordinal order) with everything below it.
            $r.FullName[2] | Should -Be (Join-Path $Tree 'sub' 'sample_0001_CT.dcm')
            $r[-1].FullName | Should -Be (Join-Path $Tree 'sub' 'deeper' 'sample_0001_CT.dcm')
        }

        It 'emits each file once for Get-ChildItem -Recurse (folders from the pipeline are skipped)' {
            $r = Get-ChildItem -LiteralPath $Tree -Recurse | Get-DicomFile
            $r | Should -HaveCount 5
            ($r.FullName | Select-Object -Unique) | Should -HaveCount 5
        }

        It 'recurses into folders from the pipeline with -Recurse' {
            $r = Get-ChildItem -LiteralPath $Tree -Directory | Get-DicomFile -Recurse
            $r | Should -HaveCount 3
        }
    }

    Context 'Files that are not DICOM' {
        BeforeAll {
            $script:Mixed = Join-Path $TestDrive 'mixed'
            $script:MixedSamples = New-SampleDicom -Path $Mixed -Count 3
            $script:TextFile = Join-Path $Mixed 'notes.txt'
            Set-Content -LiteralPath $TextFile -Value 'PatientName DOE^JANE is not DICOM'
        }

        It 'writes one NotDicomFile error and still emits the other files' {
            $r = Get-DicomFile -Path $Mixed -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -HaveCount 3
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeExactly "NotDicomFile,$CommandType"
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errs[0].TargetObject | Should -Be $TextFile
            $errs[0].ToString() | Should -Match ([regex]::Escape('notes.txt'))
            $errs[0].ToString() | Should -Not -Match 'DOE\^JANE'
        }

        It 'does the same through the pipeline' {
            $r = Get-ChildItem -LiteralPath $Mixed -File | Get-DicomFile -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -HaveCount 3
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeExactly "NotDicomFile,$CommandType"
        }

        It 'is a non-terminating error' {
            $r = Get-DicomFile -LiteralPath $TextFile, $MixedSamples[0] -ErrorAction SilentlyContinue
            $r.FullName | Should -Be $MixedSamples[0]
        }
    }

    Context '-Tag' {
        It 'adds attributes by keyword and by (gggg,eeee), keyed by keyword' {
            $r = Get-DicomFile -LiteralPath $SamplePaths[0] -Tag PatientName, '(0028,0010)'
            $r.Attributes.Keys | Sort-Object | Should -Be @('PatientName', 'Rows')
            $r.Attributes['PatientName'] | Should -Be 'DOE^JANE'
            $r.Attributes['Rows'] | Should -Be 32
            $r.Attributes.PatientName | Should -Be 'DOE^JANE'
        }

        It 'accepts any letter case, other tag spellings, private and absent tags' {
            $r = Get-DicomFile -LiteralPath $SamplePaths[0] -Tag patientid, '00280011', '0009,1001', PatientAge
            $r.Attributes['PatientID'] | Should -Match '^MRN'
            $r.Attributes['Columns'] | Should -Be 32
            $r.Attributes['(0009,1001)'] | Should -Be 'SCANNER ROOM 2'
            $r.Attributes.ContainsKey('PatientAge') | Should -BeTrue
            $r.Attributes['PatientAge'] | Should -BeNullOrEmpty
        }

        It 'stops with InvalidTag for something that is neither a keyword nor a tag' {
            { Get-DicomFile -LiteralPath $SamplePaths[0] -Tag 'NoSuchKeyword' -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidTag,$CommandType"
        }
    }

    Context 'pydicom corpus' {
        It 'reads the corpus through the pipeline; each other file gives one error' -Skip:$CorpusMissing {
            $files = Get-ChildItem -LiteralPath $Corpus -File
            $r = $files | Get-DicomFile -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Count | Should -BeGreaterThan 60
            ($r.Count + $errs.Count) | Should -Be $files.Count
            $errs.FullyQualifiedErrorId | Should -Match "^(NotDicomFile|DicomReadFailed),$([regex]::Escape($CommandType))$"
            $notDicom = $errs | Where-Object FullyQualifiedErrorId -Like 'NotDicomFile,*' | ForEach-Object { Split-Path -Leaf $_.TargetObject }
            $notDicom | Should -Contain 'README.txt'
            $notDicom | Should -Contain 'test1.json'
            ($r | Where-Object Name -EQ 'CT_small.dcm').Modality | Should -Be 'CT'
        }

        It 'reads the corpus by -Path with wildcards' -Skip:$CorpusMissing {
            $small = Get-DicomFile -Path (Join-Path $Corpus 'MR_small*.dcm')
            $expected = Get-ChildItem -Path (Join-Path $Corpus 'MR_small*.dcm') -File
            $small | Should -HaveCount $expected.Count
            $small.Modality | Select-Object -Unique | Should -Be 'MR'
            $small.Rows | Select-Object -Unique | Should -Be 64

            $rt = Get-DicomFile -Path (Join-Path $Corpus 'rt*.dcm') -ErrorAction SilentlyContinue
            $rt.Name | Should -Contain 'rtplan.dcm'
            $rt.Name | Should -Contain 'rtdose.dcm'
        }

        It 'finds private tags (odd groups above 0007 only)' -Skip:$CorpusMissing {
            (Get-DicomFile -LiteralPath (Join-Path $Corpus 'priv_SQ.dcm')).HasPrivateTags | Should -BeTrue
            # Group 0001 is odd but not private (PS3.5 7.8.1): nested_priv_SQ.dcm only has (0001,xxxx) elements.
            (Get-DicomFile -LiteralPath (Join-Path $Corpus 'nested_priv_SQ.dcm')).HasPrivateTags | Should -BeFalse
        }

        It 'agrees with dcmdump on every file dcmdump reads' -Skip:($CorpusMissing -or $DcmdumpMissing) {
            $mismatches = [System.Collections.Generic.List[string]]::new()
            foreach ($file in Get-ChildItem -LiteralPath $Corpus -File) {
                $dump = & dcmdump -q -Un +L +p +P 0002,0010 +P 0008,0016 +P 0008,0060 +P 0028,0010 +P 0028,0011 $file.FullName 2>$null
                if ($LASTEXITCODE -ne 0) {
                    continue
                }
                $info = Get-DicomFile -LiteralPath $file.FullName -ErrorAction SilentlyContinue -ErrorVariable errs
                if (-not $info) {
                    $mismatches.Add("$($file.Name): dcmdump reads it, Get-DicomFile gave $($errs.FullyQualifiedErrorId)")
                    continue
                }
                # Top-level elements only (nested ones are printed with a parent path by +p).
                $top = @{}
                foreach ($line in $dump) {
                    if ($line -match '^\((?<tag>[0-9a-f]{4},[0-9a-f]{4})\) (?<vr>\w\w) (?<value>.*?)\s+#') {
                        $tag = $Matches.tag
                        $vr = $Matches.vr
                        $value = $Matches.value
                        if ($value -match '^\[(.*)\]$') { $value = $Matches[1] }
                        elseif ($vr -eq 'UN' -and $value -match '^[0-9a-f]{2}(\\[0-9a-f]{2})*$') {
                            # dcmdump prints UN values as hex bytes; we decode them with the dictionary's VR.
                            $value = -join ($value -split '\\' | ForEach-Object { [char][Convert]::ToByte($_, 16) })
                            $value = $value.TrimEnd([char]0, ' ')
                        }
                        if ($value -ne '(no value available)') { $top[$tag] = $value }
                    }
                }
                $expect = @{
                    '0002,0010' = $info.TransferSyntaxUid
                    '0008,0016' = $info.SopClassUid
                    '0008,0060' = $info.Modality
                    '0028,0010' = $info.Rows
                    '0028,0011' = $info.Columns
                }
                foreach ($tag in $top.Keys) {
                    if ("$($expect[$tag])" -ne $top[$tag]) {
                        $mismatches.Add("$($file.Name) ($tag): dcmdump '$($top[$tag])', Get-DicomFile '$($expect[$tag])'")
                    }
                }
            }
            $mismatches | Should -BeNullOrEmpty
        }
    }

    Context 'Help and manifest' {
        It 'has help with at least three examples, the last a pipeline' {
            $help = Get-Help Get-DicomFile -Examples
            $examples = @($help.examples.example)
            $examples.Count | Should -BeGreaterOrEqual 3
            $examples[-1].code | Should -Match '\|'
            (Get-Help Get-DicomFile).Synopsis | Should -Match 'DICOM'
            (Get-Help Get-DicomFile -Parameter LiteralPath).aliases | Should -Match 'PSPath'
        }

        It 'has the about topic' {
            Get-Help about_MedImageCleaner | Out-String | Should -Match 'Get-DicomFile'
        }

        It 'exports exactly the cmdlets the dll implements' {
            $manifestPath = Get-ModuleManifestPath
            $dll = Join-Path (Split-Path $manifestPath) 'MedImageCleaner.PowerShell.dll'
            $assembly = [System.AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { -not $_.IsDynamic -and $_.Location -eq $dll }
            $assembly | Should -Not -BeNullOrEmpty
            $implemented = $assembly.GetExportedTypes() |
                ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
                ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName } | Sort-Object
            $implemented | Should -Not -BeNullOrEmpty

            $declared = (Import-PowerShellDataFile -LiteralPath $manifestPath).CmdletsToExport | Sort-Object
            $declared | Should -Be $implemented
            (Get-Module MedImageCleaner).ExportedCmdlets.Keys | Sort-Object | Should -Be $implemented
        }

        It 'passes Test-ModuleManifest' {
            $m = Test-ModuleManifest -Path (Get-ModuleManifestPath) -ErrorAction Stop
            $m.Version | Should -Be ([version] (Import-PowerShellDataFile (Join-Path (Get-RepoRoot) 'module' 'MedImageCleaner.psd1')).ModuleVersion)
            $m.CompatiblePSEditions | Should -Be 'Core'
        }

        It 'has the same version in the manifest and the dll' {
            $manifestPath = Get-ModuleManifestPath
            $dll = Join-Path (Split-Path $manifestPath) 'MedImageCleaner.PowerShell.dll'
            $version = [System.Reflection.AssemblyName]::GetAssemblyName($dll).Version
            '{0}.{1}.{2}' -f $version.Major, $version.Minor, $version.Build |
                Should -Be (Import-PowerShellDataFile -LiteralPath $manifestPath).ModuleVersion
        }

        It 'does not ship System.Management.Automation.dll' {
            Join-Path (Split-Path (Get-ModuleManifestPath)) 'System.Management.Automation.dll' | Should -Not -Exist
        }
    }
}
