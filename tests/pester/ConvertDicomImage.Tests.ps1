BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Raw = Join-Path $TestDrive 'raw'
    $script:Samples = @(New-SampleDicom -Path $Raw -Count 3)
    $script:Ct = $Samples | Where-Object { $_ -like '*CT*' } | Select-Object -First 1

    function New-Folder([string] $Name) {
        $path = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Path $path -Force | Out-Null
        $path
    }

    # Reads the first bytes of a file.
    function Get-Head([string] $Path, [int] $Count = 8) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $bytes[0..($Count - 1)]
    }
}

Describe 'Convert-DicomImage' {
    Context 'Formats' {
        It 'writes an 8-bit PNG by default, named after the SOP Instance UID' {
            $dest = Join-Path $TestDrive 'png'
            $r = Convert-DicomImage -LiteralPath $Ct -Destination $dest
            $r | Should -BeOfType ([MedImageCleaner.Core.Imaging.Export.ConvertedImage])
            $r.Format | Should -Be 'Png'
            $r.BitDepth | Should -Be 8
            $r.Frames | Should -Be 1
            $r.SourcePath | Should -Be $Ct
            [System.IO.Path]::GetFileName($r.FullName) | Should -Match '^[0-9.]+\.png$'
            (Get-Head $r.FullName 8) | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        }

        It 'writes 16-bit PNG, JPEG, TIFF and NPY' {
            $dest = Join-Path $TestDrive 'formats'
            $png16 = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $dest 'p') -BitDepth 16
            $png16.BitDepth | Should -Be 16
            $jpg = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $dest 'j') -Format Jpeg -Quality 80
            $jpg.FullName | Should -BeLike '*.jpg'
            (Get-Head $jpg.FullName 2) | Should -Be @(0xFF, 0xD8)
            $tif = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $dest 't') -Format Tiff
            (Get-Head $tif.FullName 4) | Should -Be @(0x49, 0x49, 42, 0)
            $npy = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $dest 'n') -Format Npy -Raw
            $npy.DataType | Should -Match '^<[iu][124]$'
            [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($npy.FullName), 1, 5) | Should -Be 'NUMPY'
        }
    }

    Context '-Frame and -Size' {
        BeforeAll {
            # A small two-frame RLE file of the shared corpus, copied into the test drive (skipped when absent).
            $script:Multi = $null
            $corpus = Get-SharedCorpusPath 'pydicom'
            if ($corpus) {
                $copy = Join-Path (New-Folder 'multi') 'two frames.dcm'
                Copy-Item -LiteralPath (Join-Path $corpus 'SC_rgb_rle_2frame.dcm') -Destination $copy
                $script:Multi = Get-DicomFile -LiteralPath $copy
            }
        }

        It 'writes one PNG per selected frame with a frame suffix' {
            if (-not $Multi) { Set-ItResult -Skipped -Because 'no multi-frame sample'; return }
            $r = @(Convert-DicomImage -LiteralPath $Multi.FullName -Destination (Join-Path $TestDrive 'frames') -Frame 0-1)
            $r | Should -HaveCount 2
            $r[0].FullName | Should -BeLike '*_f0000.png'
            $r[1].FullName | Should -BeLike '*_f0001.png'
            $r[1].FrameIndex | Should -Be 1
        }

        It 'puts all frames into one multi-page TIFF' {
            if (-not $Multi) { Set-ItResult -Skipped -Because 'no multi-frame sample'; return }
            $r = Convert-DicomImage -LiteralPath $Multi.FullName -Destination (Join-Path $TestDrive 'tiffall') -Format Tiff
            $r.Frames | Should -Be $Multi.NumberOfFrames
        }

        It 'reports a frame that is not there as FrameOutOfRange and goes on' {
            $dest = Join-Path $TestDrive 'range'
            $r = @(Convert-DicomImage -LiteralPath $Ct -Destination $dest -Frame 99 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $r | Should -HaveCount 0
            $errs[0].FullyQualifiedErrorId | Should -Be 'FrameOutOfRange,MedImageCleaner.PowerShell.Commands.ConvertDicomImageCommand'
        }

        It 'resizes keeping the aspect ratio, or exactly with -IgnoreAspectRatio' {
            $full = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $TestDrive 's0')
            $r = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $TestDrive 's1') -Size 64x32
            $r.Height | Should -Be 32
            $r.Width | Should -Be ([int][Math]::Round($full.Width * 32 / $full.Height))
            $e = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $TestDrive 's2') -Size 64x32 -IgnoreAspectRatio
            @($e.Width, $e.Height) | Should -Be @(64, 32)
            $h = Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $TestDrive 's3') -Scale 0.5
            $h.Width | Should -Be ([int][Math]::Round($full.Width / 2))
        }

        It 'refuses a size it cannot read (terminating, InvalidSize)' {
            { Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $TestDrive 'bad') -Size 'big' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidSize,MedImageCleaner.PowerShell.Commands.ConvertDicomImageCommand'
        }
    }

    Context 'Pipeline and names' {
        It 'takes Remove-DicomPhi results from the pipeline' {
            $key = Join-Path $TestDrive 'site.key'
            New-DeidentificationKey -Path $key | Out-Null
            $clean = Join-Path $TestDrive 'clean'
            $deid = @(Get-ChildItem -LiteralPath $Raw -File | Remove-DicomPhi -Destination $clean -KeyFile $key)
            $r = @($deid | Convert-DicomImage -Destination (Join-Path $TestDrive 'fromphi') -ThrottleLimit 2)
            $r | Should -HaveCount $deid.Count
            ($r.SourcePath | Sort-Object) | Should -Be ($deid.FullName | Sort-Object)
        }

        It 'never names an output after the input file (it may be a patient name)' {
            $named = Join-Path $TestDrive 'DOE^JANE [MRN 12345].dcm'
            Copy-Item -LiteralPath $Ct -Destination $named
            $r = Convert-DicomImage -LiteralPath $named -Destination (Join-Path $TestDrive 'names')
            [System.IO.Path]::GetFileName($r.FullName) | Should -Not -Match 'DOE|JANE|12345'
        }
    }

    Context 'WhatIf, Force and errors' {
        It '-WhatIf writes nothing, not even the destination folder' {
            $dest = Join-Path $TestDrive 'whatif'
            $r = @(Convert-DicomImage -LiteralPath $Samples -Destination $dest -WhatIf)
            $r | Should -HaveCount 0
            Test-Path -LiteralPath $dest | Should -BeFalse
        }

        It 'reports DestinationExists, and overwrites with -Force' {
            $dest = Join-Path $TestDrive 'force'
            $first = Convert-DicomImage -LiteralPath $Ct -Destination $dest
            $again = @(Convert-DicomImage -LiteralPath $Ct -Destination $dest -ErrorVariable errs -ErrorAction SilentlyContinue)
            $again | Should -HaveCount 0
            $errs[0].FullyQualifiedErrorId | Should -Be 'DestinationExists,MedImageCleaner.PowerShell.Commands.ConvertDicomImageCommand'
            $forced = Convert-DicomImage -LiteralPath $Ct -Destination $dest -Force
            $forced.FullName | Should -Be $first.FullName
        }

        It 'reports a file that is not DICOM as NotDicomFile and converts the others' {
            $folder = New-Folder 'mixed'
            Copy-Item -LiteralPath $Ct -Destination $folder
            Set-Content -LiteralPath (Join-Path $folder 'notes.txt') -Value 'not an image'
            $r = @(Convert-DicomImage -Path $folder -Destination (Join-Path $TestDrive 'mixedout') -ThrottleLimit 1 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $r | Should -HaveCount 1
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'NotDicomFile,MedImageCleaner.PowerShell.Commands.ConvertDicomImageCommand'
            $errs[0].TargetObject | Should -BeLike '*notes.txt'
        }

        It 'refuses JPEG with -BitDepth 16 (terminating)' {
            { Convert-DicomImage -LiteralPath $Ct -Destination (Join-Path $TestDrive 'j16') -Format Jpeg -BitDepth 16 -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidParameterCombination,MedImageCleaner.PowerShell.Commands.ConvertDicomImageCommand'
            Test-Path -LiteralPath (Join-Path $TestDrive 'j16') | Should -BeFalse
        }
    }
}

Describe 'Convert-DicomImage help' {
    It 'has a synopsis and at least three examples' {
        $help = Get-Help Convert-DicomImage -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        (Get-Help Convert-DicomImage -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
    }

    It 'is exported by the manifest' {
        (Get-Command Convert-DicomImage).ModuleName | Should -Be 'MedImageCleaner'
    }
}
