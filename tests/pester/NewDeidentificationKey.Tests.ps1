BeforeDiscovery {
    $script:NotUnix = $IsWindows
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:CommandType = 'MedImageCleaner.PowerShell.Commands.NewDeidentificationKeyCommand'
    $script:KeyHeader = 'MedImageCleaner de-identification key v1'
}

Describe 'New-DeidentificationKey' {
    Context 'A new key file' {
        It 'writes a key file and emits its FileInfo with the KeyId' {
            $path = Join-Path $TestDrive 'site.key'
            $r = New-DeidentificationKey -Path $path
            $r | Should -BeOfType ([System.IO.FileInfo])
            $r.FullName | Should -Be $path
            $r.KeyId | Should -MatchExactly '^[0-9a-f]{16}$'

            $lines = Get-Content -LiteralPath $path
            $lines[0] | Should -BeExactly $KeyHeader
            [Convert]::FromBase64String($lines[1]).Length | Should -Be 32

            # The Core reads it back with the same id.
            $key = [MedImageCleaner.Core.Deidentification.DeidentificationKey]::Load($path)
            try { $key.KeyId | Should -BeExactly $r.KeyId } finally { $key.Dispose() }
        }

        It 'is readable by its owner only (mode 600)' -Skip:$NotUnix {
            $path = Join-Path $TestDrive 'owner-only.key'
            $null = New-DeidentificationKey -Path $path
            (Get-Item -LiteralPath $path).UnixMode | Should -BeExactly '-rw-------'
            [System.IO.File]::GetUnixFileMode($path) | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite')
        }

        It 'makes a different key each time' {
            $a = New-DeidentificationKey -Path (Join-Path $TestDrive 'a.key')
            $b = New-DeidentificationKey -Path (Join-Path $TestDrive 'b.key')
            $a.KeyId | Should -Not -Be $b.KeyId
        }

        It 'takes a relative path against the current location' {
            Push-Location $TestDrive
            try {
                $r = New-DeidentificationKey -Path 'relative.key'
                $r.FullName | Should -Be (Join-Path $TestDrive 'relative.key')
            }
            finally {
                Pop-Location
            }
        }

        It 'takes a name with [ ] literally' {
            $path = Join-Path $TestDrive 'key[1].key'
            $r = New-DeidentificationKey -Path $path
            $r.Name | Should -BeExactly 'key[1].key'
            Test-Path -LiteralPath $path | Should -BeTrue
        }

        It 'takes paths from the pipeline, one key each' {
            $paths = 'p1.key', 'p2.key' | ForEach-Object { Join-Path $TestDrive $_ }
            $r = $paths | New-DeidentificationKey
            $r | Should -HaveCount 2
            $r.FullName | Should -Be $paths
            ($r.KeyId | Select-Object -Unique) | Should -HaveCount 2
        }

        It 'leaves no temporary file beside the key' {
            $dir = Join-Path $TestDrive 'tidy'
            $null = New-Item -ItemType Directory -Path $dir
            $null = New-DeidentificationKey -Path (Join-Path $dir 'k.key')
            (Get-ChildItem -LiteralPath $dir -Force).Name | Should -Be @('k.key')
        }
    }

    Context 'An existing file' {
        BeforeEach {
            $script:Existing = Join-Path $TestDrive ('existing-{0}.key' -f [guid]::NewGuid().ToString('N'))
            $script:First = New-DeidentificationKey -Path $Existing
            $script:Before = Get-Content -LiteralPath $Existing -Raw
        }

        It 'refuses to overwrite it without -Force: KeyFileExists, file unchanged' {
            $r = New-DeidentificationKey -Path $Existing -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeExactly "KeyFileExists,$CommandType"
            $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $errs[0].TargetObject | Should -Be $Existing
            Get-Content -LiteralPath $Existing -Raw | Should -BeExactly $Before
        }

        It 'is a non-terminating error: the other paths are still written' {
            $other = Join-Path $TestDrive 'after-existing.key'
            $r = New-DeidentificationKey -Path $Existing, $other -ErrorAction SilentlyContinue
            $r.FullName | Should -Be $other
        }

        It 'replaces it with -Force, still owner-only' {
            $r = New-DeidentificationKey -Path $Existing -Force
            $r.KeyId | Should -Not -Be $First.KeyId
            Get-Content -LiteralPath $Existing -Raw | Should -Not -Be $Before
            if (-not $IsWindows) {
                (Get-Item -LiteralPath $Existing).UnixMode | Should -BeExactly '-rw-------'
            }
        }

        It 'writes nothing with -WhatIf' {
            $r = New-DeidentificationKey -Path $Existing -Force -WhatIf
            $r | Should -BeNullOrEmpty
            Get-Content -LiteralPath $Existing -Raw | Should -BeExactly $Before
            $new = Join-Path $TestDrive 'whatif.key'
            New-DeidentificationKey -Path $new -WhatIf
            $new | Should -Not -Exist
        }
    }

    Context 'Bad paths' {
        It 'refuses paths of other providers' {
            $null = New-DeidentificationKey -Path 'Env:NOT_A_FILE' -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeExactly "NotFileSystemPath,$CommandType"
        }

        It 'reports a folder that does not exist' {
            $path = Join-Path $TestDrive 'no-such-folder' 'k.key'
            $null = New-DeidentificationKey -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeExactly "KeyFileWriteFailed,$CommandType"
            $path | Should -Not -Exist
        }

        It 'refuses a folder as the key file' {
            $dir = Join-Path $TestDrive 'a-folder'
            $null = New-Item -ItemType Directory -Path $dir
            $null = New-DeidentificationKey -Path $dir -Force -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeExactly "KeyFileIsFolder,$CommandType"
        }
    }

    Context 'Help' {
        It 'has help with at least three examples, the last a pipeline' {
            $help = Get-Help New-DeidentificationKey -Examples
            $examples = @($help.examples.example)
            $examples.Count | Should -BeGreaterOrEqual 3
            $examples[-1].code | Should -Match '\|'
            (Get-Help New-DeidentificationKey).Synopsis | Should -Match 'key'
            (Get-Help New-DeidentificationKey -Parameter Force).description.Text | Should -Match 're-identif'
        }
    }
}
