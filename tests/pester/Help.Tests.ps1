BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Cmdlets = @(Get-Command -Module MedImageCleaner -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-MedImageCleaner
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help of <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a synopsis of its own' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))"
    }

    It 'has a description' {
        ($Help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least three examples, each with code and an explanation, the last a pipeline' {
        $examples = @((Get-Help $Name -Examples).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty
        }
        $examples[-1].code | Should -Match '\|'
    }

    It 'describes every parameter' {
        $own = @($Command.Parameters.Keys | Where-Object { $_ -notin $Common })
        foreach ($parameter in $own) {
            $text = (Get-Help $Name -Parameter $parameter).description.Text -join ' '
            $text | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help"
        }
    }

    It 'names its output types' {
        @($Help.returnValues.returnValue).Count | Should -BeGreaterOrEqual 1
        foreach ($type in $Command.OutputType) {
            ($Help.returnValues.returnValue.type.name -join ' ') | Should -Match ([regex]::Escape($type.Name.Split('.')[-1])) -Because "$Name declares [OutputType($($type.Name))]"
        }
    }
}

Describe 'Conceptual help' {
    It 'about_MedImageCleaner lists every cmdlet' {
        $text = Get-Help about_MedImageCleaner | Out-String
        foreach ($cmdlet in (Get-Command -Module MedImageCleaner -CommandType Cmdlet)) {
            $text | Should -Match ([regex]::Escape($cmdlet.Name))
        }
    }

    It 'about_MedImageCleaner_Profiles describes every profile option' {
        $text = Get-Help about_MedImageCleaner_Profiles | Out-String
        foreach ($option in [Enum]::GetNames([MedImageCleaner.Core.Deidentification.ProfileOptions])) {
            if ($option -eq 'None') { continue }
            $text | Should -Match $option
        }
    }
}

Describe 'Format views' {
    It 'has a view for every output type of every cmdlet' {
        $types = Get-Command -Module MedImageCleaner -CommandType Cmdlet | ForEach-Object { $_.OutputType.Type } |
            Where-Object { $_ -and $_.Namespace -like 'MedImageCleaner.*' -and -not $_.IsPrimitive } | Sort-Object FullName -Unique
        $types | Should -Not -BeNullOrEmpty
        foreach ($type in $types) {
            Get-FormatData -TypeName $type.FullName | Should -Not -BeNullOrEmpty -Because "$($type.FullName) needs a view in MedImageCleaner.Format.ps1xml"
        }
    }
}
