# Find-DicomStudy, Find-DicomSeries and Copy-DicomStudy against Orthanc (the Debian package, started here on free ports
# with a generated configuration and corpus files uploaded through its REST API), every error id, the help examples
# run as typed with the peer's name and ports replaced, and the de-identifying gateway from one Orthanc "PACS" to a
# second "research" Orthanc, checked through the second's REST API (not our reader) for the originals' identifiers.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepoRoot
    $files = @(Join-Path $root 'README.md') + @(Get-ChildItem -Path (Join-Path $root 'docs' 'help') -Filter *.md | Sort-Object Name | ForEach-Object FullName)
    $script:QrExamples = foreach ($file in $files) {
        Get-DocExample -Path $file | Where-Object { $_.Skip -like '*QueryRetrieve.Tests.ps1*' } | ForEach-Object {
            @{ Name = '{0} #{1} (line {2})' -f (Split-Path $file -Leaf), $_.Index, $_.Line; Code = $_.Code; NoOutput = $_.NoOutput }
        }
    }
    $script:HasOrthanc = [bool](Get-Command Orthanc -ErrorAction Ignore)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Prefix = 'MedImageCleaner.PowerShell.Commands.'

    function Get-FreePort {
        $l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $l.Start()
        try { $l.LocalEndpoint.Port } finally { $l.Stop() }
    }

    # An Orthanc on free ports: storage in $TestDrive, loopback HTTP without authentication, every DIMSE service
    # allowed, $Modalities (name -> AE title, port on 127.0.0.1) as the peers it may send to.
    function Start-Orthanc([string] $Name, [string] $AETitle, [hashtable] $Modalities = @{}) {
        $folder = Join-Path $TestDrive "orthanc-$Name"
        $null = New-Item -ItemType Directory -Path $folder -Force
        $mods = @{}
        foreach ($k in $Modalities.Keys) { $mods[$k] = @{ AET = $Modalities[$k][0]; Host = '127.0.0.1'; Port = $Modalities[$k][1] } }
        $config = [ordered]@{
            Name = $Name; StorageDirectory = (Join-Path $folder 'db'); IndexDirectory = (Join-Path $folder 'db')
            HttpPort = (Get-FreePort); DicomPort = (Get-FreePort); DicomAet = $AETitle
            RemoteAccessAllowed = $false; AuthenticationEnabled = $false; DicomCheckCalledAet = $true
            DicomAlwaysAllowEcho = $true; DicomAlwaysAllowStore = $true; DicomAlwaysAllowFind = $true
            DicomAlwaysAllowGet = $true; DicomAlwaysAllowMove = $true
            DicomModalities = $mods; Plugins = @(); SaveJobs = $false; StableAge = 1
        }
        $path = Join-Path $folder 'orthanc.json'
        $config | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $path
        $p = Start-Process -FilePath (Get-Command Orthanc).Source -ArgumentList $path -PassThru -RedirectStandardOutput "$path.out" -RedirectStandardError "$path.err"
        $url = "http://127.0.0.1:$($config.HttpPort)"
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while ($true) {
            try { $null = Invoke-RestMethod "$url/system"; break }
            catch { if ([datetime]::UtcNow -gt $deadline -or $p.HasExited) { throw "Orthanc $Name did not start: $(Get-Content -Raw "$path.err")" }; Start-Sleep -Milliseconds 100 }
        }
        [pscustomobject]@{ Process = $p; Url = $url; DicomPort = $config.DicomPort; AETitle = $AETitle }
    }

    function Stop-Orthanc($Orthanc) {
        if ($Orthanc -and -not $Orthanc.Process.HasExited) { $Orthanc.Process.Kill($true); $Orthanc.Process.WaitForExit() }
    }

    # One attribute as dcmdump prints it (the independent reader).
    function Get-DcmValue([string] $Path, [string] $Keyword) {
        $line = @(& dcmdump -s -Un +P $Keyword $Path 2>$null) | Where-Object { $_ -match '\[' } | Select-Object -First 1
        if ($line -match '\[(.*)\]') { $Matches[1] } else { '' }
    }

    # Every text value an Orthanc holds, from its REST API (every instance's tags, sequences included).
    function Get-OrthancValues($Orthanc) {
        $ids = @(Invoke-RestMethod "$($Orthanc.Url)/instances" | ForEach-Object { $_ })
        $values = [System.Collections.Generic.List[string]]::new()
        $walk = {
            param($node)
            if ($node -is [System.Collections.IDictionary]) { foreach ($v in $node.Values) { & $walk $v } }
            elseif ($node -is [System.Collections.IEnumerable] -and $node -isnot [string]) { foreach ($v in $node) { & $walk $v } }
            elseif ($null -ne $node) { $values.Add(([string]$node).Trim()) }
        }
        foreach ($id in $ids) { & $walk ((Invoke-WebRequest "$($Orthanc.Url)/instances/$id/tags?simplify").Content | ConvertFrom-Json -AsHashtable) }
        , $values
    }

    # The identifiers found among the values: a value equal to one (any length), or holding one of 8 characters or
    # more (names, IDs, UIDs); shorter ones only as whole values, since a kept Manufacturer "TOSHIBA_MEC" is not the
    # removed Institution Name "TOSHIBA".
    function Find-Leak([string[]] $Identifiers, [System.Collections.Generic.List[string]] $Values) {
        $set = [System.Collections.Generic.HashSet[string]]::new([string[]]$Values)
        foreach ($id in $Identifiers) {
            if ($set.Contains($id) -or ($id.Length -ge 8 -and @($Values | Where-Object { $_.Contains($id) }).Count -gt 0)) { $id }
        }
    }

    $corpus = Get-SharedCorpusPath 'pydicom'
    $script:Files = @('CT_small.dcm', 'MR_small.dcm', 'JPEG2000.dcm', 'rtplan.dcm') | ForEach-Object { Join-Path $corpus $_ }
    $script:CtStudy = Get-DcmValue $Files[0] StudyInstanceUID
    $script:MrStudy = Get-DcmValue $Files[1] StudyInstanceUID
    $script:NmStudy = Get-DcmValue $Files[2] StudyInstanceUID
    # Synthetic patients with PHI in the header and burned into the pixels, beside the corpus files.
    $script:Synthetic = @(New-SampleDicom -Path (Join-Path $TestDrive 'synthetic') -Count 2 -Seed 141) + @(New-BurnedInSample -Path (Join-Path $TestDrive 'burned') -Seed 141)

    $script:RxPort = Get-FreePort
    if (-not (Get-Command Orthanc -ErrorAction Ignore)) { return }   # every Describe below is then reported skipped
    $script:Pacs = Start-Orthanc 'pacs' 'PACS' @{ deid = @('DEID', $RxPort) }
    foreach ($f in $Files + $Synthetic) { $null = Invoke-RestMethod -Method Post -Uri "$($Pacs.Url)/instances" -InFile $f }
    $script:Research = Start-Orthanc 'research' 'RESEARCH'
    $script:Conn = @{ ComputerName = '127.0.0.1'; Port = $Pacs.DicomPort; CalledAETitle = 'PACS'; TimeoutSeconds = 20 }
}

AfterAll {
    if ($Pacs) { Stop-Orthanc $Pacs }
    if ($Research) { Stop-Orthanc $Research }
}

Describe 'Find-DicomStudy' -Skip:(-not $HasOrthanc) {
    It 'finds a study by patient ID, with its attributes and its peer' {
        $r = @(Find-DicomStudy @Conn -PatientId (Get-DcmValue $Files[0] PatientID))
        $r.Count | Should -Be 1
        $r[0] | Should -BeOfType ([MedImageCleaner.Network.DicomStudy])
        $r[0].StudyInstanceUid | Should -Be $CtStudy
        $r[0].PatientName | Should -Be (Get-DcmValue $Files[0] PatientName)
        $r[0].StudyDate.Date | Should -Be ([datetime]'2004-01-19')
        $r[0].ModalitiesInStudy | Should -Be @('CT')
        $r[0].NumberOfInstances | Should -Be 1
        $r[0].Port | Should -Be $Pacs.DicomPort
    }

    It 'matches a date range given as -StudyDate or as -After/-Before, and -Modality' {
        $range = @(Find-DicomStudy @Conn -StudyDate 20040801-20041231).StudyInstanceUid | Sort-Object
        $range | Should -Be (@($MrStudy, $NmStudy) | Sort-Object)
        $dates = @(Find-DicomStudy @Conn -After ([datetime]'2004-08-01') -Before ([datetime]'2004-12-31')).StudyInstanceUid | Sort-Object
        $dates | Should -Be $range
        @(Find-DicomStudy @Conn -StudyDate 20040801-20041231 -Modality MR).StudyInstanceUid | Should -Be @($MrStudy)
        @(Find-DicomStudy @Conn -StudyDate 19000101-19001231) | Should -BeNullOrEmpty
    }

    It 'stops with InvalidDateRange for a bad range or -StudyDate with -After' {
        { Find-DicomStudy @Conn -StudyDate 2004-01-01 } | Should -Throw -ErrorId "InvalidDateRange,${Prefix}FindDicomStudyCommand"
        { Find-DicomStudy @Conn -StudyDate 20041231-20040101 } | Should -Throw -ErrorId "InvalidDateRange,${Prefix}FindDicomStudyCommand"
        { Find-DicomStudy @Conn -StudyDate 20040101- -After ([datetime]'2004-01-01') } | Should -Throw -ErrorId "InvalidDateRange,${Prefix}FindDicomStudyCommand"
    }

    It 'writes AssociationRejected for a wrong called AE title and AssociationFailed for a closed port' {
        $null = Find-DicomStudy 127.0.0.1 $Pacs.DicomPort -CalledAETitle WRONG -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "AssociationRejected,${Prefix}FindDicomStudyCommand"
        $errs[0].Exception.Message | Should -Match 'A-ASSOCIATE-RJ'
        $null = Find-DicomStudy 127.0.0.1 (Get-FreePort) -CalledAETitle PACS -TimeoutSeconds 2 -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2[0].FullyQualifiedErrorId | Should -BeExactly "AssociationFailed,${Prefix}FindDicomStudyCommand"
    }

    It 'writes QueryFailed when the peer answers with a failure status' {
        # Orthanc refuses a query whose Study Instance UID key holds a wildcard (not allowed on UIDs).
        $null = Find-DicomStudy @Conn -StudyInstanceUid '1.2.*' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "QueryFailed,${Prefix}FindDicomStudyCommand"
        $errs[0].Exception.Message | Should -Match 'C-FIND with'
    }
}

Describe 'Find-DicomSeries' -Skip:(-not $HasOrthanc) {
    It 'lists the series of studies piped from Find-DicomStudy' {
        $s = @(Find-DicomStudy @Conn -StudyInstanceUid $CtStudy, $MrStudy | Find-DicomSeries)
        $s.Count | Should -Be 2
        $s[0] | Should -BeOfType ([MedImageCleaner.Network.DicomSeries])
        ($s | Where-Object StudyInstanceUid -eq $CtStudy).SeriesInstanceUid | Should -Be (Get-DcmValue $Files[0] SeriesInstanceUID)
        ($s | Where-Object StudyInstanceUid -eq $MrStudy).Modality | Should -Be 'MR'
        @(Find-DicomSeries @Conn -StudyInstanceUid $CtStudy -Modality MR) | Should -BeNullOrEmpty
    }

    It 'stops with InvalidAETitle for a title longer than 16 characters' {
        { Find-DicomSeries 127.0.0.1 104 -CalledAETitle 'THIS-TITLE-IS-TOO-LONG' -StudyInstanceUid 1.2.3 } |
            Should -Throw -ErrorId "InvalidAETitle,${Prefix}FindDicomSeriesCommand"
    }
}

Describe 'Copy-DicomStudy' -Skip:(-not $HasOrthanc) {
    It 'C-MOVE: receives the study on -ReceivePort and writes each file as it lands' {
        $dest = Join-Path $TestDrive 'moved'
        $r = @(Copy-DicomStudy @Conn -StudyInstanceUid $CtStudy -Destination $dest -ReceiveAETitle DEID -ReceivePort $RxPort)
        $r.Count | Should -Be 1
        $r[0] | Should -BeOfType ([MedImageCleaner.Network.ReceivedInstance])
        $r[0].SopInstanceUid | Should -Be (Get-DcmValue $Files[0] SOPInstanceUID)
        $r[0].FullName | Should -Be (Join-Path $dest "$($r[0].SopInstanceUid).dcm")
        Get-DcmValue $r[0].FullName PatientID | Should -Be (Get-DcmValue $Files[0] PatientID)
    }

    It 'C-GET: a JPEG 2000 study arrives in its own transfer syntax, from Find-DicomStudy results' {
        $dest = Join-Path $TestDrive 'got'
        $r = @(Find-DicomStudy @Conn -StudyInstanceUid $NmStudy | Copy-DicomStudy -Method Get -Destination $dest)
        $r.Count | Should -Be 1
        $r[0].TransferSyntaxUid | Should -Be (Get-DcmValue $Files[2] TransferSyntaxUID)
        @(Get-ChildItem -LiteralPath $dest).Count | Should -Be 1
    }

    It 'writes RetrieveFailed with the counts when the peer does not know the move destination' {
        $null = Copy-DicomStudy @Conn -StudyInstanceUid $CtStudy -Destination (Join-Path $TestDrive 'unknown') -ReceiveAETitle NOBODY -ReceivePort (Get-FreePort) -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeExactly "RetrieveFailed,${Prefix}CopyDicomStudyCommand"
        $errs[0].Exception.Message | Should -Match '0 completed'
    }

    It 'stops with PortUnavailable when -ReceivePort is taken' {
        $l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, 0)
        $l.Start()
        try {
            { Copy-DicomStudy @Conn -StudyInstanceUid $CtStudy -Destination (Join-Path $TestDrive 'busy') -ReceivePort $l.LocalEndpoint.Port } |
                Should -Throw -ErrorId "PortUnavailable,${Prefix}CopyDicomStudyCommand"
        }
        finally { $l.Stop() }
    }

    It '-WhatIf retrieves nothing' {
        $dest = Join-Path $TestDrive 'whatif'
        Copy-DicomStudy @Conn -StudyInstanceUid $CtStudy -Destination $dest -Method Get -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath $dest | Should -BeFalse
    }
}

Describe 'De-identifying gateway: Orthanc PACS -> Copy-DicomStudy -> Remove-DicomPhi -> Remove-BurnedInText -> Send-DicomFile -> Orthanc research' -Skip:(-not $HasOrthanc) {
    BeforeAll {
        # The originals' identifying values, read by dcmdump.
        $script:Identifiers = @(foreach ($f in $Files + $Synthetic) {
                foreach ($k in 'PatientName', 'PatientID', 'PatientBirthDate', 'AccessionNumber', 'InstitutionName', 'ReferringPhysicianName', 'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID') {
                    Get-DcmValue $f $k
                }
            }) | Where-Object { $_.Length -ge 4 } | Sort-Object -Unique
        # (values of 4 characters or more: a 2-letter sex or an empty value is no identifier)
    }

    It 'the leak check finds the identifiers in the PACS itself (so it can fail)' {
        $Identifiers.Count | Should -BeGreaterThan 20
        @(Find-Leak $Identifiers (Get-OrthancValues $Pacs)).Count | Should -Be $Identifiers.Count
    }

    It 'forwards every study de-identified; the research Orthanc holds none of the original identifiers' {
        $work = Join-Path $TestDrive 'gateway'
        $null = New-Item -ItemType Directory -Path $work
        $key = Join-Path $work 'site.key'
        $null = New-DeidentificationKey -Path $key
        $sent = @(Find-DicomStudy @Conn |
                Copy-DicomStudy -Method Get -Destination (Join-Path $work 'incoming') |
                Remove-DicomPhi -Destination (Join-Path $work 'clean') -KeyFile $key |
                Remove-BurnedInText -ErrorAction SilentlyContinue |
                Send-DicomFile -ComputerName 127.0.0.1 -Port $Research.DicomPort -CalledAETitle RESEARCH -ErrorAction SilentlyContinue -ErrorVariable sendErrors)
        $sent.Count | Should -BeGreaterOrEqual 5
        @($sendErrors | Where-Object FullyQualifiedErrorId -NotLike 'InputNotReleased*') | Should -BeNullOrEmpty
        $held = @(Invoke-RestMethod "$($Research.Url)/instances" | ForEach-Object { $_ })
        $held.Count | Should -Be $sent.Count
        $leaks = @(Find-Leak $Identifiers (Get-OrthancValues $Research))
        $leaks | Should -BeNullOrEmpty -Because 'no identifying value of the originals may reach the research archive'
    }
}

Describe 'Query/retrieve examples of the help' -Skip:(-not $HasOrthanc) {
    BeforeAll { $script:Next = 0 }

    It '<Name>' -ForEach $QrExamples {
        $script:Next++
        $work = Join-Path $TestDrive "qr-example-$Next"
        $null = New-Item -ItemType Directory -Path $work
        $null = New-DeidentificationKey -Path (Join-Path $work 'site.key')
        $code = $Code -replace 'pacs\.example\.org', '127.0.0.1' -replace 'research-pacs', '127.0.0.1' -replace '\b104\b', "$($Pacs.DicomPort)" -replace '\b11113\b', "$RxPort" -replace '\b4242\b', "$($Research.DicomPort)"
        Push-Location -LiteralPath $work
        try {
            $all = @(& ([scriptblock]::Create($code)) 2>&1 4>$null)
        }
        finally { Pop-Location }
        $errs = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        @($errs | Where-Object FullyQualifiedErrorId -NotLike 'InputNotReleased*') | Should -BeNullOrEmpty
        if (-not $NoOutput) { $output.Count | Should -BeGreaterThan 0 -Because 'the example shows its result' }
    }
}
