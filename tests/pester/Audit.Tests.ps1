BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:NoRemoveDicomPhi = -not (Get-Command Remove-DicomPhi -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Prefix = 'MedImageCleaner.PowerShell.Commands.'
    $script:ModuleDir = Split-Path (Get-ModuleManifestPath)

    # An audit database made through the Core API: de-identify sample files and record each result.
    # Runs here and, as text, in other processes (the concurrent writers test).
    $script:WriteAudit = {
        param([string] $Database, [string] $KeyFile, [string[]] $Files, [string] $Destination)
        $key = [MedImageCleaner.Core.Deidentification.DeidentificationKey]::Load($KeyFile)
        try {
            $settings = [MedImageCleaner.Core.Deidentification.DeidentificationSettings]@{ Options = 'RetainLongitudinalModifiedDates' }
            $service = [MedImageCleaner.Core.Deidentification.DeidentificationService]::Create($settings, $key, $Destination, 'Flat', $true, $null)
            $session = [MedImageCleaner.Core.Audit.AuditSessionInfo]::ForCurrentProcess('Basic Application Confidentiality Profile',
                'RetainLongitudinalModifiedDates', [MedImageCleaner.Core.Deidentification.ConfidentialityProfile]::Edition,
                [MedImageCleaner.Core.Deidentification.DeidentificationEngine]::ToolName, $null)
            $store = [MedImageCleaner.Core.Audit.AuditStore]::Open($Database, $key, $session)
            try {
                foreach ($file in $Files) {
                    $request = [MedImageCleaner.Core.Deidentification.DeidentificationRequest]::new($file, $null)
                    $result = $service.Process($request, $false, $false, [System.Threading.CancellationToken]::None)
                    $store.Record($result)
                    $result
                }
            }
            finally {
                $store.Dispose()
            }
        }
        finally {
            $key.Dispose()
        }
    }

    function Invoke-RawSql([string] $Database, [string] $Sql) {
        $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$Database;Pooling=False")
        try {
            $c.Open()
            $cmd = $c.CreateCommand()
            $cmd.CommandText = $Sql
            $null = $cmd.ExecuteNonQuery()
        }
        finally {
            $c.Dispose()
        }
    }

    $script:KeyFile = Join-Path $TestDrive 'site.key'
    $script:WrongKeyFile = Join-Path $TestDrive 'wrong.key'
    $script:KeyId = (New-DeidentificationKey -Path $KeyFile).KeyId
    $null = New-DeidentificationKey -Path $WrongKeyFile

    $script:Raw = Join-Path $TestDrive 'raw DOE^JANE'
    $script:Samples = New-SampleDicom -Path $Raw -Count 4
    $script:Originals = Get-DicomFile -LiteralPath $Samples -Tag PatientID, StudyInstanceUID
    $script:OriginalValues = @($Originals.Attributes.PatientID) + @($Originals.Attributes.StudyInstanceUID) + @($Originals.SopInstanceUid) + 'DOE^JANE'

    $script:Db = Join-Path $TestDrive 'audit.db'
    $script:Results = & $WriteAudit $Db $KeyFile $Samples (Join-Path $TestDrive 'clean')
}

Describe 'Get-DeidentificationAudit' {
    It 'lists the session: who, where, key id, counts' {
        $s = Get-DeidentificationAudit -AuditDatabase $Db
        $s | Should -HaveCount 1
        $s | Should -BeOfType ([MedImageCleaner.Core.Audit.AuditSessionRecord])
        $s.KeyId | Should -BeExactly $KeyId
        $s.User | Should -Be ([Environment]::UserName)
        $s.Host | Should -Be ([Environment]::MachineName)
        $s.Options | Should -Be 'RetainLongitudinalModifiedDates'
        $s.Edition | Should -Match 'PS3\.15'
        $s.FileCount | Should -Be 4
        $s.FailedCount | Should -Be 0
        $s.AuditDatabase | Should -Be $Db
        $s.Sequence | Should -Be 1
    }

    It 'lists the file rows with -Files: output names, hashes, pseudonyms, counts' {
        $f = Get-DeidentificationAudit $Db -Files
        $f | Should -HaveCount 4
        $f[0] | Should -BeOfType ([MedImageCleaner.Core.Audit.AuditFileRecord])
        $f.FullName | Should -Be $Results.FullName
        $f.OutputSha256 | Should -Be $Results.OutputSha256
        $f.SourceSha256 | Should -Be $Results.SourceSha256
        $f.PseudoPatientId | Should -Be $Results.PseudoPatientId
        $f.Status | Should -Be (@('Written') * 4)
        $f[0].ActionCounts.Count | Should -BeGreaterThan 0
        $f.Sequence | Should -Be @(2, 3, 4, 5)
        $f[0].SourcePathHash | Should -MatchExactly '^[0-9a-f]{64}$'
        (Get-FileHash -LiteralPath $f[0].FullName -Algorithm SHA256).Hash | Should -Be $f[0].OutputSha256
    }

    It 'shows no original value and no source path' {
        $text = @(Get-DeidentificationAudit $Db) + @(Get-DeidentificationAudit $Db -Files) | Format-List * | Out-String -Width 400
        foreach ($value in $OriginalValues + $Raw) {
            $text | Should -Not -Match ([regex]::Escape($value))
        }
    }

    It 'filters by -SessionId and binds sessions from the pipeline' {
        $s = Get-DeidentificationAudit $Db
        (Get-DeidentificationAudit $Db -SessionId $s.SessionId -Files) | Should -HaveCount 4
        (Get-DeidentificationAudit $Db -SessionId 'no-such-session') | Should -BeNullOrEmpty
        ($s | Get-DeidentificationAudit -Files) | Should -HaveCount 4
    }

    It 'takes the database from Get-Item' {
        (Get-Item -LiteralPath $Db | Get-DeidentificationAudit).KeyId | Should -BeExactly $KeyId
    }

    It 'reports a missing database: AuditDatabaseNotFound' {
        $missing = Join-Path $TestDrive 'missing.db'
        $null = Get-DeidentificationAudit $missing -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "AuditDatabaseNotFound,${Prefix}GetDeidentificationAuditCommand"
        $missing | Should -Not -Exist
    }

    It 'reports a file that is not an audit database: AuditDatabaseInvalid' {
        $text = Join-Path $TestDrive 'notes.db'
        Set-Content -LiteralPath $text -Value ('not a database ' * 20)
        $null = Get-DeidentificationAudit $text -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "AuditDatabaseInvalid,${Prefix}GetDeidentificationAuditCommand"
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }
}

Describe 'Test-DeidentificationAudit' {
    BeforeAll {
        function Copy-Db([string] $Name) {
            $copy = Join-Path $TestDrive $Name
            Copy-Item -LiteralPath $Db -Destination $copy -Force
            $copy
        }
    }

    It 'passes an intact database' {
        $v = Test-DeidentificationAudit -AuditDatabase $Db
        $v | Should -BeOfType ([MedImageCleaner.Core.Audit.AuditVerification])
        $v.Passed | Should -BeTrue
        $v.RowsChecked | Should -Be 5
        $v.FirstBrokenRow | Should -BeNullOrEmpty
        $v.HeadHash | Should -MatchExactly '^[0-9a-f]{64}$'
    }

    It 'fails a database whose row was updated with raw SQL, naming the row' {
        $copy = Copy-Db 'updated.db'
        Invoke-RawSql $copy "DROP TRIGGER files_no_update; UPDATE files SET status = 'Unchanged' WHERE seq = 3;"
        $v = Test-DeidentificationAudit $copy
        $v.Passed | Should -BeFalse
        $v.FirstBrokenRow | Should -Be 3
        $v.RowsChecked | Should -Be 2
        $v.Message | Should -Match 'altered'
    }

    It 'fails a database whose row was deleted with raw SQL' {
        $copy = Copy-Db 'deleted.db'
        Invoke-RawSql $copy 'DROP TRIGGER files_no_delete; DROP TRIGGER lookups_no_delete; DELETE FROM lookups WHERE file_seq = 4; DELETE FROM files WHERE seq = 4;'
        $v = Test-DeidentificationAudit $copy
        $v.Passed | Should -BeFalse
        $v.FirstBrokenRow | Should -Be 4
    }

    It 'fails a database with a row inserted with raw SQL' {
        $copy = Copy-Db 'inserted.db'
        Invoke-RawSql $copy @'
INSERT INTO files (seq, file_id, session_id, recorded, status, error_id, output_path, output_sha256, source_sha256, source_path_hash,
    pseudo_patient_id, sop_instance_uid, study_instance_uid, action_counts, warnings, duration_ms, vault, prev_hash, row_hash)
SELECT 6, 'forged', session_id, recorded, status, error_id, output_path, output_sha256, source_sha256, source_path_hash,
    pseudo_patient_id, sop_instance_uid, study_instance_uid, action_counts, warnings, duration_ms, vault, (SELECT row_hash FROM files WHERE seq = 5), row_hash
FROM files WHERE seq = 2;
'@
        $v = Test-DeidentificationAudit $copy
        $v.Passed | Should -BeFalse
        $v.FirstBrokenRow | Should -Be 6
    }

    It 'refuses raw changes while the append-only triggers are in place' {
        $copy = Copy-Db 'guarded.db'
        { Invoke-RawSql $copy "UPDATE files SET status = 'Failed' WHERE seq = 2;" } | Should -Throw '*append-only*'
        (Test-DeidentificationAudit $copy).Passed | Should -BeTrue
    }

    It 'checks every database piped from Get-ChildItem' {
        $dir = Join-Path $TestDrive 'several'
        $null = New-Item -ItemType Directory -Path $dir
        Copy-Item -LiteralPath $Db -Destination (Join-Path $dir 'a.db')
        Copy-Item -LiteralPath $Db -Destination (Join-Path $dir 'b.db')
        Invoke-RawSql (Join-Path $dir 'b.db') "DROP TRIGGER sessions_no_update; UPDATE sessions SET user_name = 'someone-else';"
        $v = Get-ChildItem -LiteralPath $dir -Filter *.db | Test-DeidentificationAudit
        $v.Passed | Should -Be @($true, $false)
        $v[1].FirstBrokenRow | Should -Be 1
    }

    It 'reports a missing database: AuditDatabaseNotFound' {
        $null = Test-DeidentificationAudit (Join-Path $TestDrive 'nope.db') -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "AuditDatabaseNotFound,${Prefix}TestDeidentificationAuditCommand"
    }

    It 'keeps one valid chain when two processes write to the same database at once' {
        $shared = Join-Path $TestDrive 'shared.db'
        $manifest = Get-ModuleManifestPath
        $go = Join-Path $TestDrive 'go'
        $jobs = foreach ($n in 1, 2) {
            $files = New-SampleDicom -Path (Join-Path $TestDrive "proc$n") -Count 30 -Seed (10 + $n)
            $ready = Join-Path $TestDrive "ready$n"
            Start-Job -ArgumentList $manifest, $WriteAudit.ToString(), $shared, $KeyFile, $files, (Join-Path $TestDrive "clean$n"), $ready, $go -ScriptBlock {
                param($Manifest, $Writer, $Database, $KeyFile, $Files, $Destination, $Ready, $Go)
                $ErrorActionPreference = 'Stop'
                Import-Module $Manifest
                Add-Type -LiteralPath (Join-Path (Split-Path $Manifest) 'MedImageCleaner.Core.dll')
                # Warm up (JIT) on a scratch database, then both processes start writing together (bounded wait).
                $writeAudit = [scriptblock]::Create($Writer)
                $null = & $writeAudit "$Database.$PID.warmup" $KeyFile $Files[0] "$Destination.warmup"
                $null = New-Item -ItemType File -Path $Ready
                $deadline = [DateTime]::UtcNow.AddMinutes(3)
                while (-not (Test-Path -LiteralPath $Go) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $results = & $writeAudit $Database $KeyFile $Files $Destination
                [pscustomobject]@{ ProcessId = $PID; Written = @($results).Count }
            }
        }
        $deadline = [DateTime]::UtcNow.AddMinutes(3)
        while (-not ((Test-Path (Join-Path $TestDrive 'ready1')) -and (Test-Path (Join-Path $TestDrive 'ready2'))) -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 20
        }
        $null = New-Item -ItemType File -Path $go
        $out = $jobs | Receive-Job -Wait -AutoRemoveJob
        $out.Written | Should -Be @(30, 30)
        (@($out.ProcessId) + $PID | Select-Object -Unique) | Should -HaveCount 3

        $v = Test-DeidentificationAudit $shared
        $v.Passed | Should -BeTrue
        $v.RowsChecked | Should -Be 62
        (Get-DeidentificationAudit $shared).FileCount | Should -Be @(30, 30)
        # How much the two sessions' rows interleave depends on scheduling (on a loaded machine one writer may finish
        # first); it is reported, not asserted. What must hold is asserted above: one valid chain with every row.
        $sessions = (Get-DeidentificationAudit $shared -Files).SessionId
        $switches = 0
        for ($i = 1; $i -lt $sessions.Count; $i++) { if ($sessions[$i] -ne $sessions[$i - 1]) { $switches++ } }
        Write-Host "  two writers: the chain switches session $switches times"
        $switches | Should -BeGreaterOrEqual 1
    }
}

Describe 'Export-DeidentificationAudit' {
    It 'exports JSON with sessions, files and the verification, and no PHI' {
        $dest = Join-Path $TestDrive 'export.json'
        $r = Export-DeidentificationAudit -AuditDatabase $Db -Format Json -Destination $dest
        $r | Should -BeNullOrEmpty
        $text = Get-Content -LiteralPath $dest -Raw
        $json = $text | ConvertFrom-Json
        $json.sessions | Should -HaveCount 1
        $json.sessions[0].keyId | Should -BeExactly $KeyId
        $json.files | Should -HaveCount 4
        $json.files.pseudoPatientId | Should -Be $Results.PseudoPatientId
        $json.verification.passed | Should -BeTrue
        foreach ($value in $OriginalValues + $Raw) {
            $text | Should -Not -Match ([regex]::Escape($value))
        }
        $text | Should -Not -Match 'vault'
    }

    It 'exports CSV, one row per file with its session' {
        $dest = Join-Path $TestDrive 'export.csv'
        $r = Export-DeidentificationAudit $Db -Format Csv -Destination $dest -PassThru
        $r | Should -BeOfType ([System.IO.FileInfo])
        $r.FullName | Should -Be $dest
        $rows = Import-Csv -LiteralPath $dest
        $rows | Should -HaveCount 4
        $rows.KeyId | Select-Object -Unique | Should -BeExactly $KeyId
        $rows.PseudoPatientId | Should -Be $Results.PseudoPatientId
        $text = Get-Content -LiteralPath $dest -Raw
        foreach ($value in $OriginalValues + $Raw) {
            $text | Should -Not -Match ([regex]::Escape($value))
        }
    }

    It 'refuses an existing destination without -Force: DestinationExists' {
        $dest = Join-Path $TestDrive 'exists.json'
        Set-Content -LiteralPath $dest -Value 'keep me'
        Export-DeidentificationAudit $Db -Format Json -Destination $dest -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "DestinationExists,${Prefix}ExportDeidentificationAuditCommand"
        (Get-Content -LiteralPath $dest -Raw).Trim() | Should -Be 'keep me'

        Export-DeidentificationAudit $Db -Format Json -Destination $dest -Force
        (Get-Content -LiteralPath $dest -Raw | ConvertFrom-Json).files | Should -HaveCount 4
    }

    It 'writes nothing with -WhatIf' {
        $dest = Join-Path $TestDrive 'whatif.json'
        Export-DeidentificationAudit $Db -Format Json -Destination $dest -WhatIf
        $dest | Should -Not -Exist
    }

    It 'refuses to write over the database itself' {
        Export-DeidentificationAudit $Db -Format Csv -Destination $Db -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "DestinationIsAuditDatabase,${Prefix}ExportDeidentificationAuditCommand"
        (Test-DeidentificationAudit $Db).Passed | Should -BeTrue
    }
}

Describe 'Resolve-DeidentifiedIdentity' {
    It 'gives the original patient ID and date offset with the right key' {
        $pseudo = $Results[0].PseudoPatientId
        $r = Resolve-DeidentifiedIdentity -AuditDatabase $Db -KeyFile $KeyFile -PseudoPatientId $pseudo
        $r | Should -HaveCount 2
        $r[0] | Should -BeOfType ([MedImageCleaner.Core.Audit.ResolvedIdentity])
        $r[0].Kind | Should -Be 'PatientId'
        $r[0].Original | Should -BeExactly $Originals[0].Attributes.PatientID
        $r[0].Pseudonym | Should -BeExactly $pseudo
        $r[0].SessionId | Should -Be (Get-DeidentificationAudit $Db).SessionId
        $r[1].Kind | Should -Be 'DateOffsetDays'
        $r[1].Pseudonym | Should -Be $Results[0].DateOffsetDays
    }

    It 'gives the original UIDs with -Uid' {
        $r = Resolve-DeidentifiedIdentity -AuditDatabase $Db -KeyFile $KeyFile -Uid $Results[1].SopInstanceUid
        $r.Kind | Should -Contain 'SopInstanceUid'
        $r.Original | Select-Object -Unique | Should -BeExactly $Originals[1].SopInstanceUid
        $study = Resolve-DeidentifiedIdentity -AuditDatabase $Db -KeyFile $KeyFile -Uid $Results[2].StudyInstanceUid
        $study.Kind | Should -Contain 'StudyInstanceUid'
        $study.Original | Select-Object -Unique | Should -BeExactly $Originals[2].Attributes.StudyInstanceUID
    }

    It 'resolves the file rows piped from Get-DeidentificationAudit, each patient once' {
        $r = Get-DeidentificationAudit $Db -Files | Resolve-DeidentifiedIdentity -KeyFile $KeyFile
        $patients = $r | Where-Object Kind -EQ 'PatientId'
        $patients.Original | Sort-Object | Should -Be ($Originals.Attributes.PatientID | Select-Object -Unique | Sort-Object)
    }

    It 'outputs nothing for an unknown pseudonym' {
        Resolve-DeidentifiedIdentity -AuditDatabase $Db -KeyFile $KeyFile -PseudoPatientId 'ANON-UNKNOWN' -ErrorVariable errs | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
    }

    It 'fails with the wrong key: AuditKeyMismatch, once, without values' {
        $pseudo = $Results[0].PseudoPatientId
        $r = Resolve-DeidentifiedIdentity -AuditDatabase $Db -KeyFile $WrongKeyFile -PseudoPatientId $pseudo, $Results[1].PseudoPatientId -ErrorVariable errs -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "AuditKeyMismatch,${Prefix}ResolveDeidentifiedIdentityCommand"
        $errs[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $errs[0].Exception | Should -BeOfType ([MedImageCleaner.Core.Audit.AuditKeyMismatchException])
        $errs[0].ToString() | Should -Not -Match ([regex]::Escape($pseudo))
        foreach ($value in $OriginalValues) {
            $errs[0].ToString() | Should -Not -Match ([regex]::Escape($value))
        }
    }

    It 'stops on a missing key file: KeyFileNotFound' {
        { Resolve-DeidentifiedIdentity -AuditDatabase $Db -KeyFile (Join-Path $TestDrive 'none.key') -PseudoPatientId 'X' -ErrorAction Stop } |
            Should -Throw -ErrorId "KeyFileNotFound,${Prefix}ResolveDeidentifiedIdentityCommand"
    }

    It 'stops on a file that is not a key: InvalidKeyFile' {
        $bad = Join-Path $TestDrive 'bad.key'
        Set-Content -LiteralPath $bad -Value 'not a key'
        { Resolve-DeidentifiedIdentity -AuditDatabase $Db -KeyFile $bad -PseudoPatientId 'X' -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidKeyFile,${Prefix}ResolveDeidentifiedIdentityCommand"
    }
}

Describe 'Remove-DicomPhi -AuditDatabase with the audit cmdlets' -Skip:$NoRemoveDicomPhi {
    It 'writes an audit that verifies, exports without PHI and re-identifies with the key only' {
        $db = Join-Path $TestDrive 'pipeline.db'
        $out = Join-Path $TestDrive 'pipeline-clean'
        $r = Get-ChildItem -LiteralPath $Raw -File | Remove-DicomPhi -Destination $out -KeyFile $KeyFile -AuditDatabase $db
        $r | Should -HaveCount 4

        (Test-DeidentificationAudit $db).Passed | Should -BeTrue
        (Get-DeidentificationAudit $db).KeyId | Should -BeExactly $KeyId
        (Get-DeidentificationAudit $db -Files).OutputSha256 | Should -Be $r.OutputSha256

        $json = Join-Path $TestDrive 'pipeline.json'
        Export-DeidentificationAudit $db -Format Json -Destination $json
        $text = Get-Content -LiteralPath $json -Raw
        foreach ($value in $OriginalValues) {
            $text | Should -Not -Match ([regex]::Escape($value))
        }

        $back = $r | Resolve-DeidentifiedIdentity -AuditDatabase $db -KeyFile $KeyFile | Where-Object Kind -EQ 'PatientId'
        $back.Original | Sort-Object | Should -Be ($Originals.Attributes.PatientID | Select-Object -Unique | Sort-Object)

        $null = Resolve-DeidentifiedIdentity -AuditDatabase $db -KeyFile $WrongKeyFile -PseudoPatientId $r[0].PseudoPatientId -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "AuditKeyMismatch,${Prefix}ResolveDeidentifiedIdentityCommand"
    }
}

Describe 'Help of the audit cmdlets' {
    It '<Name> has help with at least three examples, the last a pipeline' -ForEach @(
        @{ Name = 'Get-DeidentificationAudit' }
        @{ Name = 'Export-DeidentificationAudit' }
        @{ Name = 'Test-DeidentificationAudit' }
        @{ Name = 'Resolve-DeidentifiedIdentity' }
    ) {
        $help = Get-Help $Name -Examples
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        $examples[-1].code | Should -Match '\|'
        (Get-Help $Name).Synopsis | Should -Not -BeNullOrEmpty
        (Get-Help $Name).Synopsis | Should -Not -Match ([regex]::Escape($Name))
    }

    It 'says that Resolve-DeidentifiedIdentity outputs PHI' {
        (Get-Help Resolve-DeidentifiedIdentity).Synopsis | Should -Match 'PHI'
        (Get-Help Resolve-DeidentifiedIdentity -Full | Out-String) | Should -Match 'protected health information'
    }
}
