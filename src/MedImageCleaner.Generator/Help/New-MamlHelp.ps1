#Requires -Version 7.6
<#
.SYNOPSIS
    Generates the module's MAML help from the markdown pages in docs/help (platyPS is not available here).

.DESCRIPTION
    Imports the built module, and for every cmdlet it exports reads docs/help/<Cmdlet>.md: SYNOPSIS, DESCRIPTION,
    EXAMPLES (### Example N: title, a ```powershell fence, remarks), PARAMETERS (### -Name, text), INPUTS and OUTPUTS
    (### type name, text), NOTES, RELATED LINKS (- name or - [name](uri)). Parameter types, parameter sets, positions,
    pipeline input, aliases, wildcard support and enum values come from the compiled cmdlet, so the page only holds text.

    The build fails, naming the page and what is missing, when a cmdlet has no page, a page has no synopsis or fewer
    than three examples, a parameter of the cmdlet has no section, or a section names a parameter the cmdlet lacks.

.EXAMPLE
    ./New-MamlHelp.ps1 -ModuleManifest out/MedImageCleaner/0.1.0/MedImageCleaner.psd1 -HelpSource docs/help -OutFile out/MedImageCleaner/0.1.0/en-US/MedImageCleaner.PowerShell.dll-Help.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $HelpSource,
    [Parameter(Mandatory)] [string] $OutFile
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$Maml = 'http://schemas.microsoft.com/maml/2004/10'
$Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$Dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$Common = [System.Collections.Generic.HashSet[string]]::new(
    [string[]]([System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters),
    [StringComparer]::OrdinalIgnoreCase)

# Splits text into paragraphs: blank lines separate them, list items ("- ") are paragraphs of their own.
function Split-Paragraph([string[]] $Lines) {
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        $trimmed = $line.Trim()
        if ($trimmed.Length -eq 0 -or $trimmed.StartsWith('- ')) {
            if ($current.Count -gt 0) { $paragraphs.Add($current -join ' '); $current.Clear() }
        }
        if ($trimmed.Length -gt 0) { $current.Add($trimmed) }
    }
    if ($current.Count -gt 0) { $paragraphs.Add($current -join ' ') }
    , $paragraphs.ToArray()
}

# Reads one page into sections (## NAME) and, inside them, subsections (### NAME); code fences are kept verbatim.
function Read-HelpPage([string] $Path) {
    $page = [ordered]@{ Title = $null; Sections = [ordered]@{} }
    $section = $null
    $sub = $null
    $inFence = $false
    foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
        if ($line.StartsWith('```')) { $inFence = -not $inFence }
        # Markers for the documentation test (<!-- example-output: none -->...) are not help text.
        if (-not $inFence -and $line.Trim() -match '^<!--.*-->$') { continue }
        if (-not $inFence -and $line -match '^# (.+)$') { $page.Title = $Matches[1].Trim(); continue }
        if (-not $inFence -and $line -match '^## (.+)$') {
            $section = [ordered]@{ Lines = [System.Collections.Generic.List[string]]::new(); Subs = [System.Collections.Generic.List[object]]::new() }
            $page.Sections[$Matches[1].Trim().ToUpperInvariant()] = $section
            $sub = $null
            continue
        }
        if (-not $inFence -and $line -match '^### (.+)$' -and $null -ne $section) {
            $sub = [ordered]@{ Name = $Matches[1].Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $section.Subs.Add($sub)
            continue
        }
        if ($null -ne $sub) { $sub.Lines.Add($line) } elseif ($null -ne $section) { $section.Lines.Add($line) }
    }
    $page
}

# The text of parameter -Name on a page; a section holding only "{{ Other-Cmdlet }}" takes that page's text for the
# same parameter (for parameters several cmdlets share).
function Get-ParameterText($Pages, $Page, [string] $Name) {
    foreach ($sub in (Get-SectionSubs $Page 'PARAMETERS')) {
        if ($sub.Name.TrimStart('-') -ne $Name) { continue }
        $paragraphs = Split-Paragraph $sub.Lines.ToArray()
        if ($paragraphs.Count -eq 1 -and $paragraphs[0] -match '^\{\{\s*([\w-]+)\s*\}\}$') {
            $other = $Matches[1]
            if (-not $Pages.Contains($other)) { return , @() }
            return , (Get-ParameterText $Pages $Pages[$other] $Name)
        }
        return , $paragraphs
    }
    , @()
}

function Get-SectionLines($Page, [string] $Name) {
    if ($Page.Sections.Contains($Name)) { return , $Page.Sections[$Name].Lines.ToArray() }
    , @()
}

function Get-SectionSubs($Page, [string] $Name) {
    if ($Page.Sections.Contains($Name)) { $Page.Sections[$Name].Subs.ToArray() }
}

# An example: the title, the code of its first fence, the paragraphs after the fence.
function Split-Example($Sub) {
    $code = [System.Collections.Generic.List[string]]::new()
    $remarks = [System.Collections.Generic.List[string]]::new()
    $state = 'before'
    foreach ($line in $Sub.Lines) {
        if ($line.StartsWith('```')) {
            $state = if ($state -eq 'before') { 'code' } elseif ($state -eq 'code') { 'after' } else { $state }
            continue
        }
        if ($state -eq 'code') { $code.Add($line) } elseif ($state -eq 'after') { $remarks.Add($line) }
    }
    [pscustomobject]@{ Title = $Sub.Name; Code = ($code -join "`n"); Remarks = (Split-Paragraph $remarks.ToArray()) }
}

function Write-Paragraphs([System.Xml.XmlWriter] $W, [string[]] $Paragraphs) {
    $W.WriteStartElement('maml', 'description', $Maml)
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $Maml, $p) }
    $W.WriteEndElement()
}

function Get-PipelineText([System.Management.Automation.ParameterMetadata] $Parameter) {
    $byValue = $false; $byName = $false
    foreach ($set in $Parameter.ParameterSets.Values) {
        $byValue = $byValue -or $set.ValueFromPipeline
        $byName = $byName -or $set.ValueFromPipelineByPropertyName
    }
    $kinds = @(if ($byValue) { 'ByValue' }; if ($byName) { 'ByPropertyName' })
    if ($kinds.Count -eq 0) { return 'False' }
    "True ($($kinds -join ', '))"
}

function Get-TypeName([type] $Type) {
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $nullable = [Nullable]::GetUnderlyingType($element)
    if ($null -ne $nullable) { $element = $nullable }
    $name = $element.Name
    if ($Type.IsArray) { $name += '[]' }
    $name
}

function Get-EnumValues([type] $Type) {
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $nullable = [Nullable]::GetUnderlyingType($element)
    if ($null -ne $nullable) { $element = $nullable }
    if ($element.IsEnum) { return , [string[]][Enum]::GetNames($element) }
    , @()
}

function Test-Globbing([System.Management.Automation.ParameterMetadata] $Parameter) {
    foreach ($attribute in $Parameter.Attributes) {
        if ($attribute -is [System.Management.Automation.SupportsWildcardsAttribute]) { return $true }
    }
    $Parameter.Name -eq 'Path'
}

# The default shown by Get-Help: a "Default value: ..." paragraph of the page wins, else the value a new instance of the
# cmdlet holds (scalars only), else None.
function Get-DefaultValue([System.Management.Automation.ParameterMetadata] $Parameter, [string[]] $Text, $Instance) {
    foreach ($p in $Text) {
        if ($p -match '^Default value:\s*(.+)$') { return $Matches[1].TrimEnd('.') }
    }
    if ($Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]) { return 'False' }
    $value = $Instance.GetType().GetProperty($Parameter.Name).GetValue($Instance)
    if ($null -eq $value -or $value -is [System.Collections.IEnumerable] -and $value -isnot [string]) { return 'None' }
    if ($value -is [string] -and $value.Length -eq 0) { return 'None' }
    [string]$value
}

function Write-Parameter([System.Xml.XmlWriter] $W, [System.Management.Automation.ParameterMetadata] $Parameter, $SetData, [string[]] $Text) {
    $required = if ($null -ne $SetData) { $SetData.IsMandatory } else { $false }
    $position = if ($null -ne $SetData -and $SetData.Position -ge 0) { [string]$SetData.Position } else { 'named' }
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $W.WriteStartElement('command', 'parameter', $Command)
    $W.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', (Test-Globbing $Parameter).ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', (Get-PipelineText $Parameter))
    $W.WriteAttributeString('position', $position)
    $W.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count -gt 0) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $Maml, $Parameter.Name)
    Write-Paragraphs $W @($Text | Where-Object { $_ -notmatch '^Default value:' })
    $enumValues = Get-EnumValues $Parameter.ParameterType
    if ($enumValues.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $Command)
        foreach ($value in $enumValues) {
            $W.WriteStartElement('command', 'parameterValue', $Command)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $Command, 'false')
            $W.WriteString($value)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not $isSwitch) {
        $W.WriteStartElement('command', 'parameterValue', $Command)
        $W.WriteAttributeString('required', 'true')
        $W.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
        $W.WriteString((Get-TypeName $Parameter.ParameterType))
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $Dev)
    $W.WriteElementString('maml', 'name', $Maml, (Get-TypeName $Parameter.ParameterType))
    $W.WriteElementString('maml', 'uri', $Maml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $Dev, (Get-DefaultValue $Parameter $Text $script:Instance))
    $W.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $W, [string] $ListName, [string] $ItemName, $Subs) {
    $W.WriteStartElement('command', $ListName, $Command)
    foreach ($sub in $Subs) {
        $W.WriteStartElement('command', $ItemName, $Command)
        $W.WriteStartElement('dev', 'type', $Dev)
        $W.WriteElementString('maml', 'name', $Maml, $sub.Name)
        $W.WriteEndElement()
        Write-Paragraphs $W (Split-Paragraph $sub.Lines.ToArray())
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

$module = Import-Module $ModuleManifest -PassThru -Force
$cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
$problems = [System.Collections.Generic.List[string]]::new()
$pages = [ordered]@{}
foreach ($cmdlet in $cmdlets) {
    $file = Join-Path $HelpSource "$($cmdlet.Name).md"
    if (-not (Test-Path -LiteralPath $file)) { $problems.Add("$($cmdlet.Name): no help page $file"); continue }
    $page = Read-HelpPage $file
    $pages[$cmdlet.Name] = $page
    if ($page.Title -ne $cmdlet.Name) { $problems.Add("${file}: the title must be '# $($cmdlet.Name)'") }
    if ((Split-Paragraph (Get-SectionLines $page 'SYNOPSIS')).Count -eq 0) { $problems.Add("${file}: no SYNOPSIS") }
    if ((Split-Paragraph (Get-SectionLines $page 'DESCRIPTION')).Count -eq 0) { $problems.Add("${file}: no DESCRIPTION") }
    $examples = @(Get-SectionSubs $page 'EXAMPLES' | ForEach-Object { Split-Example $_ })
    if ($examples.Count -lt 3) { $problems.Add("${file}: $($examples.Count) examples, at least 3 are needed") }
    foreach ($example in $examples) {
        if ($example.Code.Trim().Length -eq 0) { $problems.Add("${file}: example '$($example.Title)' has no code") }
        if ($example.Remarks.Count -eq 0) { $problems.Add("${file}: example '$($example.Title)' has no explanation") }
    }
    $documented = @{}
    foreach ($sub in (Get-SectionSubs $page 'PARAMETERS')) {
        $name = $sub.Name.TrimStart('-')
        $documented[$name] = $true
        if (-not $cmdlet.Parameters.ContainsKey($name)) { $problems.Add("${file}: section -$name names no parameter of $($cmdlet.Name)") }
    }
    foreach ($name in $cmdlet.Parameters.Keys) {
        if (-not $Common.Contains($name) -and -not $documented.ContainsKey($name)) { $problems.Add("${file}: parameter -$name is not documented") }
    }
    if ((Get-SectionSubs $page 'OUTPUTS').Count -eq 0) { $problems.Add("${file}: no OUTPUTS") }
}
foreach ($name in $pages.Keys) {
    foreach ($sub in (Get-SectionSubs $pages[$name] 'PARAMETERS')) {
        $parameter = $sub.Name.TrimStart('-')
        if ((Get-ParameterText $pages $pages[$name] $parameter).Count -eq 0) { $problems.Add("${name}.md: -$parameter has no text (or refers to a page without it)") }
    }
}
if ($problems.Count -gt 0) {
    $ErrorView = 'ConciseView'
    throw "Help pages are incomplete:`n  " + ($problems -join "`n  ")
}

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$directory = Split-Path -Parent $OutFile
[void][System.IO.Directory]::CreateDirectory($directory)
$temporary = "$OutFile.tmp"
$w = [System.Xml.XmlWriter]::Create($temporary, $settings)
try {
    $w.WriteStartDocument()
    $w.WriteStartElement('helpItems', 'http://msh')
    $w.WriteAttributeString('schema', 'maml')
    foreach ($cmdlet in $cmdlets) {
        $page = $pages[$cmdlet.Name]
        $w.WriteStartElement('command', 'command', $Command)
        $w.WriteAttributeString('xmlns', 'maml', $null, $Maml)
        $w.WriteAttributeString('xmlns', 'command', $null, $Command)
        $w.WriteAttributeString('xmlns', 'dev', $null, $Dev)

        $w.WriteStartElement('command', 'details', $Command)
        $w.WriteElementString('command', 'name', $Command, $cmdlet.Name)
        $w.WriteElementString('command', 'verb', $Command, $cmdlet.Verb)
        $w.WriteElementString('command', 'noun', $Command, $cmdlet.Noun)
        Write-Paragraphs $w (Split-Paragraph (Get-SectionLines $page 'SYNOPSIS'))
        $w.WriteEndElement()
        Write-Paragraphs $w (Split-Paragraph (Get-SectionLines $page 'DESCRIPTION'))

        $script:Instance = [Activator]::CreateInstance($cmdlet.ImplementingType)
        $texts = @{}
        foreach ($sub in (Get-SectionSubs $page 'PARAMETERS')) { $texts[$sub.Name.TrimStart('-')] = Get-ParameterText $pages $page $sub.Name.TrimStart('-') }
        $own = @($cmdlet.Parameters.Values | Where-Object { -not $Common.Contains($_.Name) })

        $w.WriteStartElement('command', 'syntax', $Command)
        foreach ($set in $cmdlet.ParameterSets) {
            $w.WriteStartElement('command', 'syntaxItem', $Command)
            $w.WriteElementString('maml', 'name', $Maml, $cmdlet.Name)
            $inSet = @($set.Parameters | Where-Object { -not $Common.Contains($_.Name) } |
                    Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } }, Name)
            foreach ($p in $inSet) {
                $meta = $cmdlet.Parameters[$p.Name]
                $setData = if ($meta.ParameterSets.ContainsKey($set.Name)) { $meta.ParameterSets[$set.Name] } else { $meta.ParameterSets['__AllParameterSets'] }
                Write-Parameter $w $meta $setData $texts[$p.Name]
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'parameters', $Command)
        foreach ($meta in ($own | Sort-Object Name)) {
            $setData = @($meta.ParameterSets.Values)[0]
            Write-Parameter $w $meta $setData $texts[$meta.Name]
        }
        $w.WriteEndElement()

        Write-TypeList $w 'inputTypes' 'inputType' (Get-SectionSubs $page 'INPUTS')
        Write-TypeList $w 'returnValues' 'returnValue' (Get-SectionSubs $page 'OUTPUTS')

        $notes = Split-Paragraph (Get-SectionLines $page 'NOTES')
        $w.WriteStartElement('maml', 'alertSet', $Maml)
        $w.WriteStartElement('maml', 'alert', $Maml)
        foreach ($p in $notes) { $w.WriteElementString('maml', 'para', $Maml, $p) }
        $w.WriteEndElement()
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'examples', $Command)
        $number = 0
        foreach ($example in @(Get-SectionSubs $page 'EXAMPLES' | ForEach-Object { Split-Example $_ })) {
            $number++
            $title = $example.Title -replace '^Example \d+:\s*', ''
            $w.WriteStartElement('command', 'example', $Command)
            $w.WriteElementString('maml', 'title', $Maml, "--------- Example ${number}: $title ---------")
            $w.WriteElementString('dev', 'code', $Dev, $example.Code)
            $w.WriteStartElement('dev', 'remarks', $Dev)
            foreach ($p in $example.Remarks) { $w.WriteElementString('maml', 'para', $Maml, $p) }
            # An empty paragraph: Get-Help then leaves a blank line before the next example.
            $w.WriteElementString('maml', 'para', $Maml, '')
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'relatedLinks', $Command)
        foreach ($line in (Get-SectionLines $page 'RELATED LINKS')) {
            if ($line -notmatch '^\s*-\s+(.+)$') { continue }
            $item = $Matches[1].Trim()
            $text = $item; $uri = ''
            if ($item -match '^\[(.+)\]\((.*)\)$') { $text = $Matches[1]; $uri = $Matches[2] }
            $w.WriteStartElement('maml', 'navigationLink', $Maml)
            $w.WriteElementString('maml', 'linkText', $Maml, $text)
            $w.WriteElementString('maml', 'uri', $Maml, $uri)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndDocument()
}
finally {
    $w.Dispose()
}
Move-Item -LiteralPath $temporary -Destination $OutFile -Force
Write-Host "Help: $($cmdlets.Count) cmdlets -> $OutFile"
