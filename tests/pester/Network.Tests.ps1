# The network cmdlets against real peers on loopback (dcmtk's storescp and storescu, and our own receiver), on free
# ports; and the README's and help's network examples, run as typed with the peer's name and ports replaced by the
# peers started here.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepoRoot
    $files = @(Join-Path $root 'README.md') + @(Get-ChildItem -Path (Join-Path $root 'docs' 'help') -Filter *.md | Sort-Object Name | ForEach-Object FullName)
    $script:NetworkExamples = foreach ($file in $files) {
        Get-DocExample -Path $file | Where-Object { $_.Skip -like '*Network.Tests.ps1*' } | ForEach-Object {
            @{ Name = '{0} #{1} (line {2})' -f (Split-Path $file -Leaf), $_.Index, $_.Line; Code = $_.Code; NoOutput = $_.NoOutput }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Manifest = Get-ModuleManifestPath
    $script:Prefix = 'MedImageCleaner.PowerShell.Commands.'

    # A port for a tool the test starts, below the ephemeral range (where servers bound to 0 and outgoing connections
    # get theirs), so it cannot collide with those.
    $script:NextPort = 32100 + ($PID % 300) * 8
    function Get-FreePort {
        while ($true) {
            $script:NextPort++
            if ($script:NextPort -gt 32700) { $script:NextPort = 32100 }
            $l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, $script:NextPort)
            try { $l.Start(); $l.Stop(); return $script:NextPort } catch { }
        }
    }

    function Wait-Port([int] $Port, [int] $Seconds = 15) {
        $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
        while ([datetime]::UtcNow -lt $deadline) {
            $c = [System.Net.Sockets.TcpClient]::new()
            try { $c.Connect([ipaddress]::Loopback, $Port); return } catch { Start-Sleep -Milliseconds 100 } finally { $c.Dispose() }
        }
        throw "Nothing listens on port $Port."
    }

    # dcmtk's storescp on a free port (accepting every syntax it knows), writing into -Folder.
    function Start-Storescp([string] $Folder, [string[]] $Extra = @('+xa', '--fork')) {
        # --fork: one process per association, so several associations (-ThrottleLimit) are served at once.
        $port = Get-FreePort
        $null = New-Item -ItemType Directory -Path $Folder -Force
        $log = Join-Path $TestDrive "storescp-$port"
        $p = Start-Process -FilePath storescp -ArgumentList (@('-aet', 'RESEARCH') + $Extra + @('-od', $Folder, "$port")) -PassThru `
            -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
        Wait-Port $port
        [pscustomobject]@{ Process = $p; Port = $port; Folder = $Folder }
    }

    function Stop-Tool($Tool) {
        if ($Tool -and -not $Tool.Process.HasExited) { $Tool.Process.Kill($true); $Tool.Process.WaitForExit() }
    }

    # A script (Receive-DicomFile...) running in its own runspace while the test talks to it.
    function Start-Background([string] $Script, [string] $Location = $TestDrive) {
        $ps = [powershell]::Create()
        # The set-up runs first, on its own: a batch (AddStatement) run with BeginInvoke moves on to its next statement on a
        # thread-pool thread, and when Stop-Background disposes the runspace meanwhile, that thread crashes the process.
        $null = $ps.AddScript("Set-Location -LiteralPath '$($Location.Replace("'", "''"))'; Import-Module '$($Manifest.Replace("'", "''"))'; `$ProgressPreference = 'SilentlyContinue'").Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddScript($Script)
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output }
    }

    # Stops it like Ctrl+C when still running; returns its output and errors.
    function Stop-Background($Job, [int] $WaitSeconds = 0) {
        if ($WaitSeconds -gt 0) { $null = $Job.Handle.AsyncWaitHandle.WaitOne($WaitSeconds * 1000) }
        $ranOut = $Job.Handle.IsCompleted
        if (-not $ranOut) { $Job.PowerShell.Stop() }
        # Stopping a runspace's pipeline (what Ctrl+C does) is reported by PowerShell as a PipelineStopped error.
        $errors = @($Job.PowerShell.Streams.Error | Where-Object { $ranOut -or $_.FullyQualifiedErrorId -ne 'PipelineStopped' })
        $warnings = @($Job.PowerShell.Streams.Warning)
        $Job.PowerShell.Dispose()
        [pscustomobject]@{ Output = @($Job.Output); Errors = $errors; Warnings = $warnings; EndedByItself = $ranOut }
    }

    function Send-WithStorescu([int] $Port, [string[]] $Files, [string] $CallingAE = 'STORESCU', [string] $CalledAE = 'DEID') {
        $out = & storescu -aec $CalledAE -aet $CallingAE 127.0.0.1 $Port @Files 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out | Out-String) }
    }

    function Get-DataSetBytes([string] $Path) {
        $f = [MedImageCleaner.Network.StorableFile]::Inspect($Path)
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        , $bytes[[int]$f.DataSetOffset..($bytes.Length - 1)]
    }

    $script:Samples = @(New-SampleDicom -Path (Join-Path $TestDrive 'samples') -Count 3 -Seed 14)
    $script:NotDicom = Join-Path $TestDrive 'notes.txt'
    Set-Content -LiteralPath $NotDicom -Value 'not a DICOM file'
    $script:Compressed = Join-Path (Get-SharedCorpusPath 'pydicom') 'JPEG2000.dcm'
    $script:Research = Start-Storescp (Join-Path $TestDrive 'research')
}

AfterAll {
    Stop-Tool $Research
}

Describe 'Test-DicomConnection' {
    It 'echoes storescp: Success, round-trip time, the peer implementation' {
        $r = Test-DicomConnection -ComputerName 127.0.0.1 -Port $Research.Port -CalledAETitle RESEARCH
        $r | Should -BeOfType ([MedImageCleaner.Network.DicomConnectionTestResult])
        $r.Success | Should -BeTrue
        $r.Outcome | Should -Be 'Accepted'
        $r.RoundTripTime | Should -BeGreaterThan ([timespan]::Zero)
        $r.RemoteImplementationVersionName | Should -Match 'DCMTK'
        Test-DicomConnection 127.0.0.1 $Research.Port -CalledAETitle RESEARCH -Quiet | Should -BeExactly $true
    }

    It 'reports a port nobody listens on as Failed, without an error' {
        $r = Test-DicomConnection 127.0.0.1 (Get-FreePort) -TimeoutSeconds 2 -ErrorVariable errs
        $r.Success | Should -BeFalse
        $r.Outcome | Should -Be 'Failed'
        $r.Reason | Should -Match 'connect'
        $errs | Should -BeNullOrEmpty
        Test-DicomConnection 127.0.0.1 (Get-FreePort) -TimeoutSeconds 2 -Quiet | Should -BeExactly $false
    }

    It 'reports the A-ASSOCIATE-RJ reason of a wrong called AE title' {
        $port = Get-FreePort
        $rx = Start-Background "Receive-DicomFile -Port $port -AETitle DEID -Destination ./rx-rj -IdleTimeout 30"
        try {
            Wait-Port $port
            $r = Test-DicomConnection 127.0.0.1 $port -CalledAETitle WRONG
            $r.Outcome | Should -Be 'Rejected'
            $r.Reason | Should -Match 'permanent, service user, called AE title not recognized'
            (Test-DicomConnection 127.0.0.1 $port -CalledAETitle DEID).Success | Should -BeTrue
        }
        finally {
            $null = Stop-Background $rx
        }
    }

    It 'stops with InvalidAETitle for a title longer than 16 characters' {
        { Test-DicomConnection 127.0.0.1 104 -CalledAETitle 'THIS-TITLE-IS-TOO-LONG' } |
            Should -Throw -ErrorId "InvalidAETitle,${Prefix}TestDicomConnectionCommand"
    }
}

Describe 'Send-DicomFile' {
    It 'sends files over one association, each stored by storescp with the same data set bytes' {
        $before = @(Get-ChildItem -LiteralPath $Research.Folder).Count
        $r = @($Samples | Send-DicomFile -ComputerName 127.0.0.1 -Port $Research.Port -CalledAETitle RESEARCH -Verbose 4>&1)
        $results = @($r | Where-Object { $_ -is [MedImageCleaner.Network.SentDicomFile] })
        $results.Count | Should -Be 3
        $results.Status | Should -Be @('Sent', 'Sent', 'Sent')
        $results.StatusCode | Should -Be @(0, 0, 0)
        $results[0].FullName | Should -Be $Samples[0]
        ($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'over (\d+) association' }).Message | Should -Match 'over 1 association'
        @(Get-ChildItem -LiteralPath $Research.Folder).Count | Should -Be ($before + 3)
        $uid = [MedImageCleaner.Network.StorableFile]::Inspect($Samples[1]).SopInstanceUid
        $stored = @(Get-ChildItem -LiteralPath $Research.Folder -Filter "*$uid*")[0].FullName
        (Get-DataSetBytes $stored) | Should -Be (Get-DataSetBytes $Samples[1])
    }

    It 'takes Remove-DicomPhi results from the pipeline and -ThrottleLimit 2 sends them all' {
        $key = Join-Path $TestDrive 'send.key'
        $null = New-DeidentificationKey -Path $key -Force
        $r = @(Get-Item -LiteralPath $Samples | Remove-DicomPhi -Destination (Join-Path $TestDrive 'send-clean') -KeyFile $key |
                Send-DicomFile -ComputerName 127.0.0.1 -Port $Research.Port -CalledAETitle RESEARCH -ThrottleLimit 2)
        $r.Count | Should -Be 3
        $r.FullName | ForEach-Object { $_ | Should -BeLike (Join-Path $TestDrive 'send-clean' '*') }
    }

    It '-WhatIf sends nothing' {
        $before = @(Get-ChildItem -LiteralPath $Research.Folder).Count
        $r = Send-DicomFile -Path $Samples -ComputerName 127.0.0.1 -Port $Research.Port -CalledAETitle RESEARCH -WhatIf
        $r | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $Research.Folder).Count | Should -Be $before
    }

    It 'writes NotDicomFile for a file that is not DICOM and goes on' {
        $r = Send-DicomFile -LiteralPath $NotDicom, $Samples[0] -ComputerName 127.0.0.1 -Port $Research.Port -CalledAETitle RESEARCH -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "NotDicomFile,${Prefix}SendDicomFileCommand"
        $errs[0].TargetObject | Should -Be $NotDicom
    }

    It 'converts a native file for a peer that takes Implicit VR only, and refuses a compressed one with StoreRefused' {
        $implicit = Start-Storescp (Join-Path $TestDrive 'implicit') @('+xi')
        try {
            $r = Send-DicomFile -LiteralPath $Samples[0], $Compressed -ComputerName 127.0.0.1 -Port $implicit.Port -CalledAETitle RESEARCH -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 1
            $r.Converted | Should -BeTrue
            $r.TransferSyntax | Should -Be 'Implicit VR Little Endian'
            $errs[0].FullyQualifiedErrorId | Should -BeExactly "StoreRefused,${Prefix}SendDicomFileCommand"
            $errs[0].Exception.Message | Should -Match 'JPEG 2000.*not converted'
            $errs[0].TargetObject | Should -Be $Compressed
        }
        finally {
            Stop-Tool $implicit
        }
    }

    It 'writes AssociationFailed when nothing listens (after the retries)' {
        $null = Send-DicomFile -LiteralPath $Samples[0] -ComputerName 127.0.0.1 -Port (Get-FreePort) -CalledAETitle X -RetryCount 1 -TimeoutSeconds 2 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "AssociationFailed,${Prefix}SendDicomFileCommand"
        $errs[0].Exception.Message | Should -Match 'after 2 attempts'
    }

    It 'writes AssociationRejected with the reason, and StoreFailed with the status of a refusing peer' {
        $port = Get-FreePort
        # A receiver that refuses every instance: it asks for more free disk than any volume has (status A700).
        $rx = Start-Background "Receive-DicomFile -Port $port -AETitle DEID -Destination ./rx-full -MinFreeDiskSpaceMB 1000000000000 -IdleTimeout 30"
        try {
            Wait-Port $port
            $null = Send-DicomFile -LiteralPath $Samples[0] -ComputerName 127.0.0.1 -Port $port -CalledAETitle WRONG -RetryCount 0 -ErrorVariable rj -ErrorAction SilentlyContinue
            $rj[0].FullyQualifiedErrorId | Should -BeExactly "AssociationRejected,${Prefix}SendDicomFileCommand"
            $rj[0].Exception.Message | Should -Match 'called AE title not recognized'
            $null = Send-DicomFile -LiteralPath $Samples[0] -ComputerName 127.0.0.1 -Port $port -CalledAETitle DEID -RetryCount 0 -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeExactly "StoreFailed,${Prefix}SendDicomFileCommand"
            $failed[0].Exception.Message | Should -Match 'out of resources \(0xA700\)'
        }
        finally {
            $null = Stop-Background $rx
        }
    }

    It 'refuses quarantined or failed results with InputNotReleased' {
        $before = @(Get-ChildItem -LiteralPath $Research.Folder).Count
        $null = [pscustomobject]@{ FullName = $Samples[0]; Status = 'Quarantined' }, [pscustomobject]@{ FullName = $Samples[1]; Passed = $false } |
            Send-DicomFile -ComputerName 127.0.0.1 -Port $Research.Port -CalledAETitle RESEARCH -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 2
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeExactly "InputNotReleased,${Prefix}SendDicomFileCommand" }
        @(Get-ChildItem -LiteralPath $Research.Folder).Count | Should -Be $before
    }

    It 'stops with InvalidAETitle for a bad title' {
        { Send-DicomFile -LiteralPath $Samples[0] -ComputerName 127.0.0.1 -CalledAETitle 'A\B' } |
            Should -Throw -ErrorId "InvalidAETitle,${Prefix}SendDicomFileCommand"
    }
}

Describe 'Receive-DicomFile' {
    It 'stores what storescu sends, named by SOP Instance UID, one object per file, and stops after -Count' {
        $port = Get-FreePort
        $rx = Start-Background "Receive-DicomFile -Port $port -AETitle DEID -Destination ./rx-count -Count 3"
        Wait-Port $port
        $send = Send-WithStorescu $port $Samples
        $send.ExitCode | Should -Be 0 -Because $send.Output
        $r = Stop-Background $rx -WaitSeconds 30
        $r.EndedByItself | Should -BeTrue
        $r.Errors | Should -BeNullOrEmpty
        $r.Output.Count | Should -Be 3
        foreach ($o in $r.Output) {
            $o | Should -BeOfType ([MedImageCleaner.Network.ReceivedInstance])
            $o.FullName | Should -Exist
            Split-Path $o.FullName -Leaf | Should -Be "$($o.SopInstanceUid).dcm"
            $o.CallingAETitle | Should -Be 'STORESCU'
            # storescu re-encodes what it reads (the xunit tests compare the bytes with what storescp receives from it).
            $read = Get-DicomFile -LiteralPath $o.FullName
            $read.SopInstanceUid | Should -Be $o.SopInstanceUid
            $read.SopClassUid | Should -Be $o.SopClassUid
            @($Samples | Where-Object { [MedImageCleaner.Network.StorableFile]::Inspect($_).SopInstanceUid -eq $o.SopInstanceUid }).Count | Should -Be 1
        }
    }

    It 'feeds Remove-DicomPhi as each file arrives, and Ctrl+C keeps what was received' {
        $port = Get-FreePort
        $key = Join-Path $TestDrive 'rx.key'
        $null = New-DeidentificationKey -Path $key -Force
        $rx = Start-Background "Receive-DicomFile -Port $port -AETitle DEID -Destination ./rx-pipe | Remove-DicomPhi -Destination ./rx-clean -KeyFile '$key'"
        Wait-Port $port
        (Send-WithStorescu $port @($Samples[0])).ExitCode | Should -Be 0
        $clean = Join-Path $TestDrive 'rx-clean'
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (-not (Test-Path -LiteralPath $clean -PathType Container) -or @(Get-ChildItem -LiteralPath $clean -File).Count -lt 1) {
            if ([datetime]::UtcNow -gt $deadline) { break }
            Start-Sleep -Milliseconds 100
        }
        # The receiver is still listening: the de-identified file was made while it runs, not at its end.
        $rx.Handle.IsCompleted | Should -BeFalse
        @(Get-ChildItem -LiteralPath $clean -File).Count | Should -Be 1
        $r = Stop-Background $rx
        $r.EndedByItself | Should -BeFalse
        @(Get-ChildItem -LiteralPath (Join-Path $TestDrive 'rx-pipe') -File -Filter *.dcm).Count | Should -Be 1
        @(Get-ChildItem -LiteralPath (Join-Path $TestDrive 'rx-pipe') -File -Filter '*.mic-partial').Count | Should -Be 0
        $r.Output[0].FullName | Should -BeLike "$clean*"
    }

    It 'rejects a calling AE title not in the allow-list (warning), and stops after -IdleTimeout' {
        $port = Get-FreePort
        $rx = Start-Background "Receive-DicomFile -Port $port -AETitle DEID -Destination ./rx-allow -AllowedCallingAETitle GOOD -IdleTimeout 2"
        Wait-Port $port
        $send = Send-WithStorescu $port @($Samples[0]) -CallingAE BAD
        $send.ExitCode | Should -Not -Be 0
        $send.Output | Should -Match 'Calling AE Title Not Recognized'
        $r = Stop-Background $rx -WaitSeconds 20
        $r.EndedByItself | Should -BeTrue
        $r.Output | Should -BeNullOrEmpty
        $r.Warnings[0].Message | Should -Match 'rejected: permanent, service user, calling AE title not recognized'
    }

    It '-WhatIf listens to nothing and writes nothing' {
        $port = Get-FreePort
        $dest = Join-Path $TestDrive 'rx-whatif'
        Receive-DicomFile -Port $port -AETitle DEID -Destination $dest -WhatIf | Should -BeNullOrEmpty
        $dest | Should -Not -Exist
    }

    It 'stops with <Id> for <Case>' -ForEach @(
        @{ Id = 'InvalidAETitle'; Case = 'a bad AE title'; Arguments = @{ AETitle = 'THIS-TITLE-IS-TOO-LONG' } }
        @{ Id = 'InvalidAETitle'; Case = 'a bad allowed calling AE title'; Arguments = @{ AllowedCallingAETitle = 'A\B' } }
        @{ Id = 'InvalidAllowedHost'; Case = 'an allowed host that does not resolve'; Arguments = @{ AllowedHost = 'no-such-host.invalid' } }
        @{ Id = 'InvalidListenAddress'; Case = 'a listen address that is not an address'; Arguments = @{ ListenAddress = 'nowhere' } }
        @{ Id = 'PortUnavailable'; Case = 'a port in use'; Arguments = @{ Port = 'research' } }
        @{ Id = 'DestinationIsFile'; Case = 'a destination that is a file'; Arguments = @{ Destination = 'file' } }
    ) {
        $a = @{ Port = (Get-FreePort); AETitle = 'DEID'; Destination = (Join-Path $TestDrive 'rx-errors'); Count = 1 }
        foreach ($k in $Arguments.Keys) { $a[$k] = $Arguments[$k] }
        if ($a.Port -eq 'research') { $a.Port = $Research.Port }
        if ($a.Destination -eq 'file') { $a.Destination = $NotDicom }
        { Receive-DicomFile @a } | Should -Throw -ErrorId "$Id,${Prefix}ReceiveDicomFileCommand"
    }
}

Describe 'Network examples of the README and the help' {
    BeforeAll {
        $script:Template = New-DocSampleFolder -Path (Join-Path $TestDrive 'doc-template')
        $script:Next = 0
    }

    It '<Name>' -ForEach $NetworkExamples {
        $script:Next++
        $work = Join-Path $TestDrive "net-example-$Next"
        Copy-Item -LiteralPath $Template -Destination $work -Recurse
        $peer = Start-Storescp (Join-Path $TestDrive "net-example-$Next-research")
        try {
            $rxPort = Get-FreePort
            $code = $Code -replace '(research-pacs|pacs\.example\.org)', '127.0.0.1' -replace '\b104\b', "$($peer.Port)" -replace '\b11112\b', "$rxPort"
            if ($code -match 'Receive-DicomFile') {
                $job = Start-Background $code -Location $work
                Wait-Port $rxPort
                $ct = @(Get-ChildItem -LiteralPath (Join-Path $work 'ct') -Filter *.dcm -File | Select-Object -First 3 | ForEach-Object FullName)
                $send = Send-WithStorescu $rxPort $ct
                $send.ExitCode | Should -Be 0 -Because $send.Output
                # A gateway runs until Ctrl+C: wait until what it forwards has reached the peer.
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                while (-not $job.Handle.IsCompleted -and [datetime]::UtcNow -lt $deadline) {
                    if ($code -match 'Send-DicomFile' -and @(Get-ChildItem -LiteralPath $peer.Folder).Count -ge $ct.Count) { Start-Sleep -Milliseconds 500; break }
                    if ($code -notmatch 'Send-DicomFile|IdleTimeout|-Count' -and $job.Output.Count -ge $ct.Count) { break }
                    Start-Sleep -Milliseconds 100
                }
                $r = Stop-Background $job
                $output = $r.Output
                $errors = $r.Errors
                if ($code -match 'Send-DicomFile') {
                    @(Get-ChildItem -LiteralPath $peer.Folder).Count | Should -Be $ct.Count -Because 'every received file is forwarded'
                }
            }
            else {
                $ps = [powershell]::Create()
                try {
                    $null = $ps.AddScript("Set-Location -LiteralPath '$($work.Replace("'", "''"))'; Import-Module '$($Manifest.Replace("'", "''"))'; `$ProgressPreference = 'SilentlyContinue'").AddStatement().AddScript($code)
                    $output = @($ps.Invoke())
                    $errors = @($ps.Streams.Error)
                }
                finally {
                    $ps.Dispose()
                }
            }
            $errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" } | Should -BeNullOrEmpty
            if ($NoOutput) { $output | Should -BeNullOrEmpty } else { @($output).Count | Should -BeGreaterThan 0 }
        }
        finally {
            Stop-Tool $peer
        }
    }
}
