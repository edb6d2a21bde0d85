BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:DcmdumpMissing = -not (Get-Command dcmdump -CommandType Application -ErrorAction Ignore)
    $script:BurnedCorpus = Get-SharedCorpusPath 'burned-in'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Raw = Join-Path $TestDrive 'raw'
    $script:Burned = New-BurnedInSample -Path $Raw
    $script:Key = Join-Path $TestDrive 'site.key'
    New-DeidentificationKey -Path $Key | Out-Null

    # One attribute of a file as dcmdump prints it (the text between the brackets).
    function Get-DicomValue([string] $Path, [string] $Tag) {
        $line = & dcmdump -q +P $Tag $Path 2>$null | Select-Object -First 1
        if ($line -match '\[(.*?)\]') { $Matches[1] } else { $null }
    }

    function New-Folder([string] $Name) {
        $path = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Path $path -Force | Out-Null
        $path
    }
}

Describe 'Remove-BurnedInText' {
    Context 'Pipeline from Remove-DicomPhi (in place on the de-identified outputs)' {
        BeforeAll {
            $script:Clean = Join-Path $TestDrive 'clean'
            $script:Deid = @(Get-ChildItem -LiteralPath $Raw -File | Remove-DicomPhi -Destination $Clean -KeyFile $Key)
            $script:Results = @($Deid | Remove-BurnedInText -ThrottleLimit 2 -WarningVariable script:Warnings)
        }

        It 'cleans every piped output in place and says what it did' {
            $Results | Should -HaveCount 2
            $Results[0] | Should -BeOfType ([MedImageCleaner.Core.Redaction.TextRedactionResult])
            $Results.Status | Sort-Object -Unique | Should -Be 'Redacted'
            ($Results.FullName | Sort-Object) | Should -Be ($Deid.FullName | Sort-Object)
            foreach ($r in $Results) {
                $r.Verified | Should -BeTrue
                $r.Boxes.Count | Should -BeGreaterThan 0
                $r.AlteredFraction | Should -BeLessThan 0.2
                $r.InputPath | Should -BeLike (Join-Path $Clean '*')
                $r.SourcePath | Should -BeLike (Join-Path $Raw '*')
            }
            @(Get-ChildItem -LiteralPath $Clean -File) | Should -HaveCount 2
            Test-Path -LiteralPath (Join-Path $TestDrive 'clean-quarantine') | Should -BeFalse
        }

        It 'finds text in every frame of the cine and never returns the text unless asked' {
            $us = $Results | Where-Object Frames -EQ 4
            $us | Should -Not -BeNullOrEmpty
            ($us.Boxes.Frame | Sort-Object -Unique) | Should -Be @(0, 1, 2, 3)
            $us.Boxes.Text | Where-Object { $_ } | Should -BeNullOrEmpty
        }

        It 'marks the cleaned and verified files BurnedInAnnotation NO' -Skip:$DcmdumpMissing {
            foreach ($r in $Results) {
                Get-DicomValue $r.FullName '0028,0301' | Should -Be 'NO'
                & dcmdump -q $r.FullName *> $null
                $LASTEXITCODE | Should -Be 0
            }
        }

        It 'leaves the raw inputs untouched' {
            foreach ($b in $Burned) {
                Get-DicomValue $b '0028,0301' | Should -Be 'YES'
            }
        }
    }

    Context 'Methods' {
        It 'finds the banner with <Method>' -TestCases @(
            @{ Method = 'Auto' }, @{ Method = 'Ocr' }, @{ Method = 'Edge' }
        ) {
            $dest = New-Folder "m-$Method"
            $r = Remove-BurnedInText -LiteralPath $Burned[0] -Destination $dest -Method $Method -ThrottleLimit 1
            $r.Status | Should -Be 'Redacted'
            $r.Boxes.Count | Should -BeGreaterThan 0
            $r.Boxes.Method | Sort-Object -Unique | Should -Be $Method
            # The banner holds four lines in the top-left corner: some box of frame 0 covers it.
            @($r.Boxes | Where-Object { $_.Frame -eq 0 -and $_.X -lt 40 -and $_.Y -lt 40 }).Count | Should -BeGreaterThan 0
        }

        It 'fills exactly the given -Region with -Method Region (no OCR needed)' {
            $dest = New-Folder 'm-region'
            $r = Remove-BurnedInText -LiteralPath $Burned[1] -Destination $dest -Method Region -Region '0,0,400,100' -SkipVerification
            $r.Status | Should -Be 'Redacted'
            $r.Boxes | Should -HaveCount 1
            $r.Boxes[0].X, $r.Boxes[0].Y, $r.Boxes[0].Width, $r.Boxes[0].Height | Should -Be @(0, 0, 400, 100)
            $r.AlteredPixels | Should -Be 40000
            $r.Verified | Should -BeNullOrEmpty
        }

        It 'keeps labels with -Mode PhiOnly and still removes the PHI' {
            $dest = New-Folder 'm-phionly'
            $all = Remove-BurnedInText -LiteralPath $Burned[0] -Destination (New-Folder 'm-all') -ThrottleLimit 1
            $phi = Remove-BurnedInText -LiteralPath $Burned[0] -Destination $dest -Mode PhiOnly -ThrottleLimit 1
            $phi.Status | Should -Be 'Redacted'
            $phi.Verified | Should -BeTrue
            $phi.AlteredPixels | Should -BeLessThan $all.AlteredPixels
        }

        It 'returns the recognized text only with -IncludeText' {
            $r = Remove-BurnedInText -LiteralPath $Burned[0] -Destination (New-Folder 'm-text') -IncludeText -ThrottleLimit 1
            @($r.Boxes.Text | Where-Object { $_ }).Count | Should -BeGreaterThan 0
        }
    }

    Context 'Verification and quarantine' {
        It 'quarantines a file whose text is still readable, with a reason file and nothing in the output' {
            $dest = Join-Path $TestDrive 'v-clean'
            $r = Remove-BurnedInText -LiteralPath $Burned[0] -Destination $dest -Method Region -Region '600,440,20,20' -WarningVariable w -WarningAction SilentlyContinue
            $r.Status | Should -Be 'Quarantined'
            $r.ErrorId | Should -Be 'TextRemains'
            $r.Verified | Should -BeFalse
            $w | Should -Not -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $dest -File -ErrorAction Ignore) | Should -HaveCount 0
            Test-Path -LiteralPath $r.QuarantinePath | Should -BeTrue
            $reason = Get-Content -LiteralPath ($r.QuarantinePath + '.reason.json') -Raw | ConvertFrom-Json
            $reason.reason | Should -Be 'TextRemains'
            # The reason never quotes the header values that were burned in.
            (Get-Content -LiteralPath ($r.QuarantinePath + '.reason.json') -Raw) | Should -Not -Match 'MUSTERMANN|DOE|MRN\d'
        }

        It 'puts the quarantine where -QuarantinePath says and refuses one inside the destination' {
            $q = Join-Path $TestDrive 'my-quarantine'
            $r = Remove-BurnedInText -LiteralPath $Burned[0] -Destination (Join-Path $TestDrive 'q2') -Method Region -Region '600,440,20,20' -QuarantinePath $q -WarningAction SilentlyContinue
            $r.QuarantinePath | Should -BeLike (Join-Path $q '*')
            { Remove-BurnedInText -LiteralPath $Burned[0] -Destination (Join-Path $TestDrive 'q3') -QuarantinePath (Join-Path $TestDrive 'q3' 'inner') -ErrorAction Stop } |
                Should -Throw -ErrorId 'QuarantineInsideDestination,MedImageCleaner.PowerShell.Commands.RemoveBurnedInTextCommand'
        }
    }

    Context 'Reruns, WhatIf and errors' {
        It 'says Unchanged when the output already holds the same result' {
            $dest = New-Folder 'rerun'
            $first = Remove-BurnedInText -LiteralPath $Burned[1] -Destination $dest -Method Region -Region '0,0,300,90' -SkipVerification
            $second = Remove-BurnedInText -LiteralPath $Burned[1] -Destination $dest -Method Region -Region '0,0,300,90' -SkipVerification
            $first.Status | Should -Be 'Redacted'
            $second.Status | Should -Be 'Unchanged'
            { Remove-BurnedInText -LiteralPath $Burned[1] -Destination $dest -Method Region -Region '0,0,10,10' -SkipVerification -ErrorAction Stop } |
                Should -Throw -ErrorId 'DestinationExists,MedImageCleaner.PowerShell.Commands.RemoveBurnedInTextCommand'
            (Remove-BurnedInText -LiteralPath $Burned[1] -Destination $dest -Method Region -Region '0,0,10,10' -SkipVerification -Force).Status | Should -Be 'Redacted'
        }

        It 'writes nothing with -WhatIf' {
            $dest = Join-Path $TestDrive 'whatif'
            Remove-BurnedInText -LiteralPath $Burned[0] -Destination $dest -WhatIf | Should -BeNullOrEmpty
            Test-Path -LiteralPath $dest | Should -BeFalse
        }

        It 'refuses to change a raw input in place (DestinationRequired)' {
            { Remove-BurnedInText -LiteralPath $Burned[0] -ErrorAction Stop } |
                Should -Throw -ErrorId 'DestinationRequired,MedImageCleaner.PowerShell.Commands.RemoveBurnedInTextCommand'
        }

        It 'reports a non-DICOM file (NotDicomFile) and goes on with the others' {
            $junk = Join-Path $TestDrive 'junk' 'notes.dcm'
            New-Item -ItemType Directory -Path (Split-Path $junk) -Force | Out-Null
            Set-Content -LiteralPath $junk -Value 'not a dicom file'
            $r = Remove-BurnedInText -LiteralPath $junk, $Burned[1] -Destination (Join-Path $TestDrive 'mixed') -Method Region -Region '0,0,50,50' -SkipVerification -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotDicomFile,*'
            $errs[0].Exception.Message | Should -Match 'notes\.dcm'
            $r.Status | Should -Be 'Redacted'
        }

        It 'rejects a malformed -Region (<Region>)' -TestCases @(@{ Region = '1,2,3' }, @{ Region = 'a,b,c,d' }, @{ Region = '0,0,0,10' }) {
            { Remove-BurnedInText -LiteralPath $Burned[0] -Destination (Join-Path $TestDrive 'bad') -Method Region -Region $Region -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidRegion,MedImageCleaner.PowerShell.Commands.RemoveBurnedInTextCommand'
        }

        It 'needs -Region for -Method Region (RegionRequired)' {
            { Remove-BurnedInText -LiteralPath $Burned[0] -Destination (Join-Path $TestDrive 'bad2') -Method Region -ErrorAction Stop } |
                Should -Throw -ErrorId 'RegionRequired,MedImageCleaner.PowerShell.Commands.RemoveBurnedInTextCommand'
        }

        It 'stops with OcrEngineUnavailable and the install command when OCR is asked for but has no language data' {
            $empty = New-Folder 'no-tessdata'
            $err = $null
            try {
                Remove-BurnedInText -LiteralPath $Burned[0] -Destination (Join-Path $TestDrive 'noocr') -TessdataPath $empty -ErrorAction Stop
            }
            catch {
                $err = $_
            }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'OcrEngineUnavailable,*'
            $err.Exception.Message | Should -Match 'apt-get install'
            # Without OCR the same settings work.
            (Remove-BurnedInText -LiteralPath $Burned[0] -Destination (Join-Path $TestDrive 'noocr2') -TessdataPath $empty -Method Region -Region '0,0,320,110' -SkipVerification).Status | Should -Be 'Redacted'
        }
    }

    Context 'Real burned-in files' -Skip:(-not $BurnedCorpus) {
        It 'cleans every file of ../shared/corpus/burned-in and verifies it' {
            $dest = Join-Path $TestDrive 'corpus'
            $r = @(Get-ChildItem -LiteralPath (Get-SharedCorpusPath 'burned-in') -Filter *.dcm | Remove-BurnedInText -Destination $dest)
            $r | Should -HaveCount 3
            $r.Status | Sort-Object -Unique | Should -Be 'Redacted'
            $r.Verified | Sort-Object -Unique | Should -BeTrue
        }
    }
}

Describe 'Remove-BurnedInText help' {
    It 'documents every parameter and shows examples' {
        $help = Get-Help Remove-BurnedInText -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        (Get-Help Remove-BurnedInText -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        $documented = @($help.parameters.parameter.name)
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command Remove-BurnedInText).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented | Should -Contain $p
        }
    }
}
