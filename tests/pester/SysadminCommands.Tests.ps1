# What a sysadmin types must work as written (issue 12): each Describe is one numbered item of the issue, run with the
# commands exactly as a user types them, from a folder holding ./raw and ./site.key.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Pydicom = Get-SharedCorpusPath 'pydicom'
    # A private mount namespace (root on Linux) hides libtesseract from one process only. The library file is the one
    # that is not a symbolic link (a hard link to it, e.g. perf's build-id cache in ~/.debug, must not hide it).
    $script:Tesseract = @(Get-ChildItem -Path /usr/lib/*/libtesseract.so.5* -File -ErrorAction Ignore | Where-Object { $_.LinkType -ne 'SymbolicLink' }) | Select-Object -First 1 -ExpandProperty FullName
    $script:NoPrivateMount = $true
    if ($IsLinux -and $Tesseract -and (Get-Command unshare -ErrorAction Ignore)) {
        & unshare -m sh -c 'mount --bind /dev/null /dev/null' 2>$null
        $script:NoPrivateMount = $LASTEXITCODE -ne 0
    }
    $script:NoDuplicatePair = -not ($Pydicom -and (Test-Path (Join-Path $Pydicom 'MR_small.dcm')) -and (Test-Path (Join-Path $Pydicom 'MR_small_RLE.dcm')))
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Manifest = Get-ModuleManifestPath

    # A fresh working folder with ./raw (synthetic CT, MR, US and the two burned-in images) and ./site.key.
    function New-WorkFolder([string] $Name, [int] $Count = 3, [switch] $BurnedIn) {
        $work = Join-Path $TestDrive $Name
        $raw = Join-Path $work 'raw'
        $null = New-Item -ItemType Directory -Path $raw -Force
        $null = New-SampleDicom -Path $raw -Count $Count
        if ($BurnedIn) {
            $null = New-BurnedInSample -Path $raw
        }
        $null = New-DeidentificationKey -Path (Join-Path $work 'site.key')
        $work
    }

    function Get-Hashes([string] $Folder) {
        Get-ChildItem -LiteralPath $Folder -File -Recurse | Sort-Object FullName | ForEach-Object { '{0} {1}' -f $_.Name, (Get-FileHash -LiteralPath $_.FullName).Hash }
    }
}

Describe 'Item 1: one pipeline-binding design (FullName -> LiteralPath, SourcePath -> the original)' {
    BeforeAll {
        $script:Work = New-WorkFolder 'binding' -BurnedIn
        Push-Location $Work
    }
    AfterAll { Pop-Location }

    It 'Remove-DicomPhi | Remove-BurnedInText | Test-Deidentification checks every output against its original' {
        $reports = @(Get-ChildItem ./raw -File |
            Remove-DicomPhi -Destination ./clean -KeyFile ./site.key |
            Remove-BurnedInText |
            Test-Deidentification -ErrorVariable errs)
        $errs | Should -BeNullOrEmpty
        $reports | Should -HaveCount 5
        $reports[0] | Should -BeOfType ([MedImageCleaner.Core.Validation.DeidentificationReport])
        $reports.ResidualSource | Sort-Object -Unique | Should -Be 'Original'
        ($reports.FullName | Sort-Object) | Should -Be (@(Get-ChildItem ./clean -File).FullName | Sort-Object)
        $reports | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
    }

    It 'the -Quiet gate of a runbook says True for the cleaned outputs' {
        Get-ChildItem ./raw -File |
            Remove-DicomPhi -Destination ./clean-q -KeyFile ./site.key |
            Remove-BurnedInText |
            Test-Deidentification -Quiet | Should -BeExactly $true
    }

    It 'a TextRedactionResult carries the original as SourcePath and the file it read as InputPath' {
        $r = @(Get-ChildItem ./raw -File | Select-Object -First 1 | Remove-DicomPhi -Destination ./clean-s -KeyFile ./site.key | Remove-BurnedInText)
        $r[0].SourcePath | Should -Be (Get-ChildItem ./raw -File | Select-Object -First 1).FullName
        $r[0].InputPath | Should -Be $r[0].FullName
        $r[0].ToString() | Should -Be $r[0].FullName
    }

    It 'one design: -Original (alias SourcePath) binds from the pipeline only together with -LiteralPath' {
        foreach ($name in 'Remove-BurnedInText', 'Test-Deidentification') {
            $original = (Get-Command $name).Parameters['Original']
            $original.Aliases | Should -Contain 'SourcePath' -Because $name
            $original.ParameterSets['LiteralPath'].ValueFromPipelineByPropertyName | Should -BeTrue -Because $name
            $original.ParameterSets['Path'].ValueFromPipelineByPropertyName | Should -BeFalse -Because $name
        }
    }

    It 'results of one cmdlet pipe into the next by FullName (Remove-BurnedInText | Convert-DicomImage)' {
        $images = @(Get-ChildItem ./raw -File | Select-Object -First 1 | Remove-DicomPhi -Destination ./clean-c -KeyFile ./site.key |
            Remove-BurnedInText | Convert-DicomImage -Destination ./png -Format Png -ErrorVariable errs)
        $errs | Should -BeNullOrEmpty
        $images.Count | Should -BeGreaterThan 0
    }

    It 'a plain string still binds -Path (wildcards)' {
        @('./raw/*.dcm' | Get-DicomFile).Count | Should -BeGreaterThan 0
    }
}

Describe 'Item 2: missing native libraries stop the command at once with what is missing and how to install it' {
    BeforeAll {
        $script:Work = New-WorkFolder 'native'
        # A copy of the module layout without OpenCV's native library.
        $source = Split-Path $Manifest
        $script:Copy = Join-Path $TestDrive 'modules' 'MedImageCleaner' (Split-Path $source -Leaf)
        $null = New-Item -ItemType Directory -Path (Split-Path $Copy) -Force
        Copy-Item -LiteralPath $source -Destination $Copy -Recurse
        Remove-Item -Path (Join-Path $Copy 'runtimes' '*' 'native' '*OpenCvSharpExtern*') -Force
        $script:Script = Join-Path $TestDrive 'no-opencv.ps1'
        Set-Content -LiteralPath $Script -Encoding utf8NoBOM -Value @'
param([string] $Manifest, [string] $Work, [string] $Command)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
Set-Location $Work
try {
    switch ($Command) {
        'Parallel' { Get-ChildItem ./raw -File | Remove-BurnedInText -Destination ./out -ThrottleLimit 4 | Out-Null }
        'Region' { Get-ChildItem ./raw -File | Remove-BurnedInText -Destination ./out -Method Region -Region 0,0,10,10 -ThrottleLimit 1 | Out-Null }
        'Workflow' { Invoke-DicomDeidentification -Path ./raw -Destination ./wf -KeyFile ./site.key -RemoveBurnedInText | Out-Null }
        # No check before the first file here: OpenCV is first needed by a worker (the resize), so these go through
        # the pipeline's one failure path for a worker exception, in parallel and in sequence.
        'ConvertParallel' { Get-ChildItem ./raw -File | Convert-DicomImage -Destination ./out-convert4 -Format Png -Size 8x8 -ThrottleLimit 4 | Out-Null }
        'ConvertSequential' { Get-ChildItem ./raw -File | Convert-DicomImage -Destination ./out-convert1 -Format Png -Size 8x8 -ThrottleLimit 1 | Out-Null }
    }
    'NO ERROR'
}
catch {
    'ERRORID ' + $_.FullyQualifiedErrorId
    'CATEGORY ' + $_.CategoryInfo.Category
    'MESSAGE ' + $_.Exception.Message
}
'@
    }

    It '<Command> ends (no hang) with NativeLibraryMissing naming OpenCvSharpExtern and the install step' -ForEach @(
        @{ Command = 'Parallel' }, @{ Command = 'Region' }, @{ Command = 'Workflow' }, @{ Command = 'ConvertParallel' }, @{ Command = 'ConvertSequential' }
    ) {
        $r = Invoke-FreshPwsh -Script $Script -Arguments @((Join-Path $Copy 'MedImageCleaner.psd1'), $Work, $Command) -TimeoutSeconds 120
        $r.TimedOut | Should -BeFalse -Because 'a missing native library must not hang the command'
        $r.Output | Should -Match 'ERRORID NativeLibraryMissing,'
        $r.Output | Should -Match 'CATEGORY NotInstalled'
        $r.Output | Should -Match 'OpenCvSharpExtern'
        $r.Output | Should -Match 'runtimes/linux-x64/native'
        $r.Output | Should -Match 'libgtk-3-0'
        @(Get-ChildItem (Join-Path $Work 'out*') -Recurse -File -ErrorAction Ignore) | Should -HaveCount 0
    }
}

Describe 'Item 2: without libtesseract, OCR stops at once with the install command' -Skip:$NoPrivateMount {
    BeforeAll {
        $script:Tesseract = @(Get-ChildItem -Path /usr/lib/*/libtesseract.so.5* -File | Where-Object { $_.LinkType -ne 'SymbolicLink' }) | Select-Object -First 1 -ExpandProperty FullName
    }

    It 'Remove-BurnedInText -Method Auto in a mount namespace where libtesseract is /dev/null' {
        $work = New-WorkFolder 'no-tesseract' -Count 1
        $script = Join-Path $TestDrive 'no-tesseract.ps1'
        Set-Content -LiteralPath $script -Encoding utf8NoBOM -Value @'
param([string] $Manifest, [string] $Work)
Import-Module $Manifest
Set-Location $Work
try { Get-ChildItem ./raw -File | Remove-BurnedInText -Destination ./out -Method Auto -ErrorAction Stop | Out-Null; 'NO ERROR' }
catch { 'ERRORID ' + $_.FullyQualifiedErrorId; 'MESSAGE ' + $_.Exception.Message }
'@
        $pwsh = (Get-Process -Id $PID).Path
        $prefix = if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { "'$([Environment]::GetCommandLineArgs()[0])'" } else { '' }
        $inner = "mount --bind /dev/null '$Tesseract' && exec '$pwsh' $prefix -NoProfile -NonInteractive -File '$script' '$Manifest' '$work'"
        $output = & unshare -m sh -c $inner 2>&1 | Out-String
        $output | Should -Match 'ERRORID OcrEngineUnavailable,'
        $output | Should -Match 'apt-get install'
        $output | Should -Match 'tesseract-ocr'
        @(Get-ChildItem (Join-Path $work 'out') -Recurse -File -ErrorAction Ignore) | Should -HaveCount 0
    }
}

Describe 'Item 3: damaged inputs are never silent' {
    BeforeAll {
        $script:Work = New-WorkFolder 'damaged' -Count 1
        Push-Location $Work
        # head -c 20000 CT.dcm > trunc.dcm
        $ct = (Get-ChildItem ./raw -File | Select-Object -First 1).FullName
        $bytes = [System.IO.File]::ReadAllBytes($ct)
        $null = New-Item -ItemType Directory -Path ./damaged
        # The synthetic files are small: cut inside the pixel data (the last 500 bytes are missing).
        [System.IO.File]::WriteAllBytes((Join-Path $Work 'damaged' 'trunc.dcm'), $bytes[0..($bytes.Length - 501)])
        $script:PatientName = (Get-DicomFile -LiteralPath $ct).PatientName
    }
    AfterAll { Pop-Location }

    It 'Remove-DicomPhi writes a warning naming the file and the problem (no value) and marks the result' {
        $r = Remove-DicomPhi -Path ./damaged/trunc.dcm -Destination ./clean -KeyFile ./site.key -WarningVariable w
        $r.InputDamaged | Should -BeTrue
        $r.Damage -join ' ' | Should -Match 'ValueTruncated'
        $w | Should -HaveCount 1
        "$w" | Should -Match 'trunc\.dcm'
        "$w" | Should -Match 'ValueTruncated'
        "$w" | Should -Not -Match ([regex]::Escape($PatientName.Split('^')[0]))
    }

    It 'a sound input gives no damage warning' {
        $r = Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean-ok -KeyFile ./site.key -WarningVariable w
        $r.InputDamaged | Should -BeFalse
        $w | Should -BeNullOrEmpty
    }

    It 'Invoke-DicomDeidentification quarantines it as InputDamaged and releases nothing' {
        $r = Invoke-DicomDeidentification -Path ./damaged -Destination ./wf -KeyFile ./site.key -WarningVariable w
        $r.Status | Should -Be 'Quarantined'
        $r.ErrorId | Should -Be 'InputDamaged'
        $r.InputDamaged | Should -BeTrue
        "$w" | Should -Match 'trunc\.dcm'
        @(Get-ChildItem ./wf -File -ErrorAction Ignore) | Should -HaveCount 0
        Test-Path -LiteralPath ($r.QuarantinePath + '.reason.json') | Should -BeTrue
    }

    It '-AllowDamagedInput releases it with a warning' {
        $r = Invoke-DicomDeidentification -Path ./damaged -Destination ./wf-allow -KeyFile ./site.key -AllowDamagedInput -WarningVariable w
        $r.Status | Should -Be 'Completed'
        $r.InputDamaged | Should -BeTrue
        "$w" | Should -Match 'trunc\.dcm'
    }
}

Describe 'Item 4: reruns of documented pipelines are idempotent' {
    BeforeAll {
        $script:Work = New-WorkFolder 'rerun' -BurnedIn
        Push-Location $Work
    }
    AfterAll { Pop-Location }

    It 'Remove-DicomPhi | Remove-BurnedInText twice into one folder: Unchanged, no errors, same bytes' {
        $first = @(Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean -KeyFile ./site.key | Remove-BurnedInText -ErrorVariable e1)
        $e1 | Should -BeNullOrEmpty
        ($first.Status | Where-Object { $_ -eq 'Redacted' }) | Should -Not -BeNullOrEmpty -Because 'the burned-in samples are redacted in place, which is what a rerun must recognise'
        $before = Get-Hashes ./clean

        $second = @(Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean -KeyFile ./site.key -OutVariable deid | Remove-BurnedInText -ErrorVariable e2)
        $e2 | Should -BeNullOrEmpty
        $deid.Status | Sort-Object -Unique | Should -Be 'Unchanged'
        for ($i = 0; $i -lt $first.Count; $i++) {
            # What was cleaned is Unchanged; what had no text is left as it was (bytes compared below).
            if ($first[$i].Status -eq 'Redacted') {
                $second[$i].Status | Should -Be 'Unchanged' -Because $second[$i].SourceName
            }
            $second[$i].Status | Should -BeIn 'Unchanged', 'NoTextFound', 'NoPixelData' -Because $second[$i].SourceName
        }
        Get-Hashes ./clean | Should -Be $before
    }

    It 'the check pipeline runs again on a rerun without errors' {
        $reports = @(Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean -KeyFile ./site.key | Remove-BurnedInText | Test-Deidentification -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $reports | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
    }

    It 'Invoke-DicomDeidentification twice: Skipped or Unchanged, no errors' {
        $null = Invoke-DicomDeidentification -Path ./raw -Destination ./wf -KeyFile ./site.key -RemoveBurnedInText
        $again = @(Invoke-DicomDeidentification -Path ./raw -Destination ./wf -KeyFile ./site.key -RemoveBurnedInText -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $again.Status | Where-Object { $_ -notin 'Skipped', 'Unchanged' } | Should -BeNullOrEmpty
    }
}

Describe 'Item 5: two inputs with one SOP Instance UID' -Skip:$NoDuplicatePair {
    BeforeAll {
        $script:Work = Join-Path $TestDrive 'duplicate'
        $null = New-Item -ItemType Directory -Path (Join-Path $Work 'raw') -Force
        Copy-Item (Join-Path $Pydicom 'MR_small.dcm'), (Join-Path $Pydicom 'MR_small_RLE.dcm') -Destination (Join-Path $Work 'raw')
        $null = New-DeidentificationKey -Path (Join-Path $Work 'site.key')
        Push-Location $Work
    }
    AfterAll { Pop-Location }

    It 'the first input wins every time and the other gets an error naming both (run <_>)' -ForEach 1, 2, 3 {
        $r = @(Remove-DicomPhi -Path ./raw -Destination "./clean$_" -KeyFile ./site.key -ThrottleLimit 4 -ErrorVariable e -ErrorAction SilentlyContinue)
        $r | Should -HaveCount 1
        $r[0].SourceName | Should -Be 'MR_small.dcm'
        $e | Should -HaveCount 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'DuplicateSopInstanceUid,*'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $e[0].TargetObject | Should -BeLike '*MR_small_RLE.dcm'
        $e[0].Exception.Message | Should -Match 'MR_small\.dcm'
        $e[0].Exception.Message | Should -Match 'MR_small_RLE\.dcm'
        $e[0].Exception.Message | Should -Match 'share a SOP Instance UID'
    }

    It 'input order decides: given the other way round, the other input wins' {
        $r = @(Remove-DicomPhi -LiteralPath ./raw/MR_small_RLE.dcm, ./raw/MR_small.dcm -Destination ./clean-rev -KeyFile ./site.key -ThrottleLimit 4 -ErrorVariable e -ErrorAction SilentlyContinue)
        $r.SourceName | Should -Be 'MR_small_RLE.dcm'
        $e[0].TargetObject | Should -BeLike '*MR_small.dcm'
    }

    It 'the workflow counts the duplicate as Failed, with burned-in text removal too' {
        $s = Invoke-DicomDeidentification -Path ./raw -Destination ./wf -KeyFile ./site.key -RemoveBurnedInText -Summary -ErrorVariable e -ErrorAction SilentlyContinue
        $s.Count('Failed') | Should -Be 1
        $s.Count('Completed') | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'DuplicateSopInstanceUid,*'
        $e[0].Exception.Message | Should -Match 'MR_small\.dcm'
    }
}

Describe 'Item 6: views whose columns are properties, exports with flat cells' {
    BeforeAll {
        # CT and MR (the synthetic US declares burned-in text: validation would quarantine it without -RemoveBurnedInText).
        $script:Work = New-WorkFolder 'views' -Count 2
        Push-Location $Work
    }
    AfterAll { Pop-Location }

    It 'Export-Csv of Invoke-DicomDeidentification output has no type names and flat counts' {
        Invoke-DicomDeidentification -Path ./raw -Destination ./clean -KeyFile ./site.key -Validate | Export-Csv ./results.csv
        $rows = @(Import-Csv ./results.csv)
        $rows | Should -HaveCount 2
        $text = Get-Content ./results.csv -Raw
        $text | Should -Not -Match 'System\.Collections'
        $text | Should -Not -Match 'WorkflowValidation \{'
        foreach ($row in $rows) {
            $row.ActionCounts | Should -Match '^[A-Za-z]+=\d+(;[A-Za-z]+=\d+)*$'
            $row.ValidationPassed | Should -Be 'True'
            $row.SourceName | Should -BeIn (Get-ChildItem ./raw -File).Name
        }
    }

    It 'Export-Csv of Remove-DicomPhi and Remove-BurnedInText output has no type names' {
        Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean2 -KeyFile ./site.key | Remove-BurnedInText | Export-Csv ./text.csv
        Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean3 -KeyFile ./site.key | Export-Csv ./deid.csv
        Get-Content ./text.csv, ./deid.csv -Raw | Should -Not -Match 'System\.Collections|Generic\.'
    }

    It 'Select-Object Name and SourceName give what the table shows' {
        $r = @(Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean4 -KeyFile ./site.key)
        ($r | Select-Object -ExpandProperty Name) | Should -Be ($r.FullName | Split-Path -Leaf)
        ($r | Select-Object -ExpandProperty SourceName) | Should -Be ($r.SourcePath | Split-Path -Leaf)
        ($r | Format-Table | Out-String -Width 250) | Should -Match 'SourceName'
    }

    It 'every table column of the format file is a property of its type, labelled with its name' {
        [xml] $format = Get-Content -LiteralPath (Join-Path (Split-Path $Manifest) 'MedImageCleaner.Format.ps1xml') -Raw
        $views = @($format.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl })
        $views.Count | Should -BeGreaterThan 5
        # The module's assemblies (the network types' one loads on first use of a network cmdlet: not yet, in this file).
        Get-ChildItem -LiteralPath (Split-Path $Manifest) -Filter 'MedImageCleaner.*.dll' | ForEach-Object { $null = [System.Reflection.Assembly]::LoadFrom($_.FullName) }
        foreach ($view in $views) {
            $type = [System.AppDomain]::CurrentDomain.GetAssemblies().ForEach({ $_.GetType($view.ViewSelectedBy.TypeName) }) | Where-Object { $_ } | Select-Object -First 1
            $type | Should -Not -BeNullOrEmpty -Because $view.Name
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
            for ($i = 0; $i -lt $items.Count; $i++) {
                $property = $items[$i].PropertyName
                $property | Should -Not -BeNullOrEmpty -Because "column $i of $($view.Name) must be a property, not a script block"
                $type.GetProperty($property) | Should -Not -BeNullOrEmpty -Because "$($view.Name).$property"
                if ($headers[$i].Label) { $headers[$i].Label | Should -Be $property -Because "the label of $($view.Name).$property" }
            }
        }
    }
}

Describe 'Item 7: an unwritable destination is refused before any file is read' {
    BeforeAll {
        $script:Work = New-WorkFolder 'unwritable' -Count 1
        Push-Location $Work
        $isRoot = $IsLinux -and ((& id -u) -eq '0')
        if ($isRoot) {
            # root writes through permissions; sysfs refuses even root.
            $script:Unwritable = '/sys/mic-unwritable-destination'
        }
        else {
            $locked = Join-Path $Work 'locked'
            $null = New-Item -ItemType Directory -Path $locked
            & chmod 555 $locked
            $script:Unwritable = Join-Path $locked 'clean'
        }
        $null = New-Item -ItemType Directory -Path ./somefolder
    }
    AfterAll { Pop-Location }

    It '<Name> stops with DestinationNotWritable, a category and the folder as TargetObject' -ForEach @(
        @{ Name = 'Remove-DicomPhi'; Run = { Get-ChildItem ./raw -File | Remove-DicomPhi -Destination $Unwritable -KeyFile ./site.key -ErrorAction Stop } }
        @{ Name = 'Remove-BurnedInText'; Run = { Get-ChildItem ./raw -File | Remove-BurnedInText -Destination $Unwritable -ErrorAction Stop } }
        @{ Name = 'Convert-DicomImage'; Run = { Get-ChildItem ./raw -File | Convert-DicomImage -Destination $Unwritable -Format Png -ErrorAction Stop } }
        @{ Name = 'Invoke-DicomDeidentification'; Run = { Invoke-DicomDeidentification -Path ./raw -Destination $Unwritable -KeyFile ./site.key -ErrorAction Stop } }
    ) {
        $err = $null
        try { & $Run } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'DestinationNotWritable,*'
        $err.CategoryInfo.Category | Should -BeIn 'PermissionDenied', 'WriteError'
        $err.TargetObject | Should -Be $Unwritable
        $err.Exception.Message | Should -Match ([regex]::Escape($Unwritable))
        $err.Exception.Message | Should -Not -Match 'UnauthorizedAccessException'
    }

    It '-KeyFile ./somefolder says it is a folder' {
        $err = $null
        try { Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./clean -KeyFile ./somefolder -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'KeyFileIsFolder,*'
        $err.Exception.Message | Should -Match 'is a folder'
        $err.TargetObject | Should -Be (Join-Path $Work 'somefolder')
    }

    It 'a destination that is a file says so' {
        Set-Content ./afile -Value x
        $err = $null
        try { Get-ChildItem ./raw -File | Remove-DicomPhi -Destination ./afile -KeyFile ./site.key -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'DestinationIsFile,*'
    }
}

Describe 'Item 8: -Region takes the natural PowerShell array' {
    BeforeAll {
        $script:Work = New-WorkFolder 'region' -Count 1
        Push-Location $Work
    }
    AfterAll { Pop-Location }

    It '-Region <Text> fills <Count> box(es)' -ForEach @(
        @{ Text = '0,0,10,10'; Region = @(0, 0, 10, 10); Count = 1 }
        @{ Text = "'0,0,10,10'"; Region = '0,0,10,10'; Count = 1 }
        @{ Text = '@(0,0,10,10),@(20,20,5,5)'; Region = @(@(0, 0, 10, 10), @(20, 20, 5, 5)); Count = 2 }
        @{ Text = "'0,0,10,10','20,20,5,5'"; Region = @('0,0,10,10', '20,20,5,5'); Count = 2 }
    ) {
        $dest = "./region-$([guid]::NewGuid().ToString('N'))"
        $r = Get-ChildItem ./raw -File | Remove-BurnedInText -Destination $dest -Method Region -Region $Region -SkipVerification
        $r.Status | Should -Be 'Redacted'
        $r.Boxes | Should -HaveCount $Count
        $r.Boxes[0].X | Should -Be 0
        $r.Boxes[0].Width | Should -BeGreaterOrEqual 10
    }

    It 'typed exactly as a user types it' {
        $r = Get-ChildItem ./raw -File | Remove-BurnedInText -Destination ./typed -Method Region -Region 0,0,10,10
        $r.Boxes | Should -HaveCount 1
    }

    It 'three numbers are still refused with InvalidRegion' {
        { Get-ChildItem ./raw -File | Remove-BurnedInText -Destination ./bad -Method Region -Region 0,0,10 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRegion,MedImageCleaner.PowerShell.Commands.RemoveBurnedInTextCommand'
    }
}

Describe 'Item 9: switches are off by default' {
    It 'no switch parameter of any cmdlet is present on a new instance' {
        $types = [MedImageCleaner.PowerShell.Commands.RemoveDicomPhiCommand].Assembly.GetTypes() |
            Where-Object { $_.IsPublic -and -not $_.IsAbstract -and $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) }
        foreach ($type in $types) {
            $instance = [Activator]::CreateInstance($type)
            foreach ($p in $type.GetProperties() | Where-Object PropertyType -EQ ([System.Management.Automation.SwitchParameter])) {
                $p.GetValue($instance).IsPresent | Should -BeFalse -Because "$($type.Name).$($p.Name)"
            }
        }
    }

    It 'the switches that defaulted to true are gone; their opposites are there and the help says False' {
        (Get-Command Remove-DicomPhi).Parameters.Keys | Should -Not -Contain 'HashPatientId'
        (Get-Command Invoke-DicomDeidentification).Parameters.Keys | Should -Not -Contain 'HashPatientId'
        (Get-Command Remove-BurnedInText).Parameters.Keys | Should -Not -Contain 'Verify'
        (Get-Help Remove-DicomPhi -Parameter EmptyPatientId).defaultValue | Should -BeIn 'False', 'None'
        (Get-Help Remove-BurnedInText -Parameter SkipVerification).defaultValue | Should -BeIn 'False', 'None'
    }

    It 'the behaviour defaults are kept: pseudonymous patient IDs and verified redaction' {
        $work = New-WorkFolder 'switches' -Count 1
        $deid = Get-ChildItem (Join-Path $work 'raw') -File | Remove-DicomPhi -Destination (Join-Path $work 'clean') -KeyFile (Join-Path $work 'site.key')
        $deid.PseudoPatientId | Should -Match '^ANON-'
        $empty = Get-ChildItem (Join-Path $work 'raw') -File | Remove-DicomPhi -Destination (Join-Path $work 'clean-empty') -KeyFile (Join-Path $work 'site.key') -EmptyPatientId
        (Get-DicomFile -LiteralPath $empty.FullName).PatientId | Should -BeNullOrEmpty
        $verified = Get-ChildItem (Join-Path $work 'raw') -File | Remove-BurnedInText -Destination (Join-Path $work 'v') -Method Region -Region 0,0,8,8
        $verified.Verified | Should -BeTrue
        $skipped = Get-ChildItem (Join-Path $work 'raw') -File | Remove-BurnedInText -Destination (Join-Path $work 's') -Method Region -Region 0,0,8,8 -SkipVerification
        $skipped.Verified | Should -BeNullOrEmpty
    }
}

Describe 'Item 10: one progress id per cmdlet' {
    It 'the cmdlets of the documented pipelines write one activity id each' {
        $work = New-WorkFolder 'progress' -Count 6
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
Import-Module '$Manifest'
`$ProgressPreference = 'Continue'
Set-Location '$work'
Get-ChildItem ./raw -File |
    Remove-DicomPhi -Destination ./clean -KeyFile ./site.key -ThrottleLimit 2 |
    Remove-BurnedInText -Method Region -Region '0,0,8,8' -ThrottleLimit 2 | Out-Null
Get-ChildItem ./clean -File | Test-Deidentification -ThrottleLimit 2 | Out-Null
Get-ChildItem ./clean -File | Convert-DicomImage -Destination ./png -Format Png -ThrottleLimit 2 | Out-Null
"@)
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $byActivity = $ps.Streams.Progress | Group-Object Activity
            $byActivity.Name | Should -Contain 'Remove-DicomPhi'
            $byActivity.Name | Should -Contain 'Remove-BurnedInText'
            $byActivity.Name | Should -Contain 'Test-Deidentification'
            $byActivity.Name | Should -Contain 'Convert-DicomImage'
            foreach ($g in $byActivity) {
                @($g.Group.ActivityId | Sort-Object -Unique) | Should -HaveCount 1 -Because $g.Name
            }
            @($ps.Streams.Progress.ActivityId | Sort-Object -Unique) | Should -HaveCount $byActivity.Count
        }
        finally {
            $ps.Dispose()
        }
    }
}
