# Every example in README.md and docs/help/*.md runs as a test: each ```powershell block is run as typed, in a copy of
# a sample folder (New-DocSampleFolder), and must end without errors. It must also produce what it says: output,
# unless a marker after the block says <!-- example-output: none --> (a gate that says nothing when all is well), and
# the files a marker <!-- example-creates: ./a, ./b --> names. A block preceded by <!-- example-skip: reason --> is
# not run here (the reason names the test that runs it).
# Each example starts where its text starts: a block that makes ./site.key (without -Force) starts without a key,
# ./clean or ./audit.db; a block that writes into ./clean (-Destination ./clean) starts without ./clean.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepoRoot
    $files = @(Join-Path $root 'README.md') + @(Get-ChildItem -Path (Join-Path $root 'docs' 'help') -Filter *.md | Sort-Object Name | ForEach-Object FullName)
    $script:Examples = foreach ($file in $files) {
        # Blocks another test file runs as typed (the README's Install commands: Install.Tests.ps1, in a fresh pwsh
        # with an empty module path) are that file's tests, not skipped ones here.
        Get-DocExample -Path $file | Where-Object { $_.Skip -notlike '*Install.Tests.ps1*' } | ForEach-Object {
            @{ Name = '{0} #{1} (line {2})' -f (Split-Path $file -Leaf), $_.Index, $_.Line; Code = $_.Code; NoOutput = $_.NoOutput; Creates = $_.Creates; Skip = $_.Skip }
        }
    }
    # Examples another test runs (<!-- example-skip: reason -->) are not run here, and not reported as skipped either
    # (CI fails on any skip): a test checks that the test their marker names exists.
    $script:Delegated = @($Examples | Where-Object { $_.Skip })
    $script:Examples = @($Examples | Where-Object { -not $_.Skip })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Manifest = Get-ModuleManifestPath
    $script:Template = New-DocSampleFolder -Path (Join-Path $TestDrive 'template')
    $script:Next = 0
}

Describe 'Documentation examples' {
    It 'found the examples of the README and of every help page' {
        $Examples.Count | Should -BeGreaterThan 40
    }

    It '<Name> is run by the test its marker names' -ForEach $Delegated {
        $Skip -match '([\w.]+\.Tests\.ps1)' | Should -BeTrue -Because 'the marker names the test that runs the example'
        Join-Path $PSScriptRoot $Matches[1] | Should -Exist
    }

    It '<Name>' -ForEach $Examples {
        $script:Next++
        $work = Join-Path $TestDrive "example-$Next"
        Copy-Item -LiteralPath $Template -Destination $work -Recurse
        Add-ModuleLayoutLink -Path $work
        if ($Code -match 'New-DeidentificationKey -Path \./site\.key(?![^\n]*-Force)') {
            Remove-Item -LiteralPath (Join-Path $work 'site.key'), (Join-Path $work 'clean'), (Join-Path $work 'audit.db') -Recurse -Force
        }
        elseif ($Code -match '-Destination \./clean(\s|$)') {
            Remove-Item -LiteralPath (Join-Path $work 'clean') -Recurse -Force
        }
        # A runspace of its own: an example's variables and imports (README: Import-Module ./out/...) stay with it.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Set-Location -LiteralPath '$($work.Replace("'", "''"))'; Import-Module '$($Manifest.Replace("'", "''"))'; `$ProgressPreference = 'SilentlyContinue'").AddStatement().AddScript($Code)
            $records = @($ps.Invoke()) + @($ps.Streams.Error)
        }
        finally {
            $ps.Dispose()
        }
        $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $output = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        $errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" } | Should -BeNullOrEmpty
        foreach ($path in $Creates) {
            Test-Path -LiteralPath (Join-Path $work $path) | Should -BeTrue -Because "the example says it writes $path"
        }
        if ($NoOutput) {
            $output | Should -BeNullOrEmpty -Because 'the documentation says this example writes nothing when all is well'
        }
        else {
            $output.Count | Should -BeGreaterThan 0 -Because 'the example is documented to produce output'
        }
    }
}
