@{
  RootModule           = 'MedImageCleaner.PowerShell.dll'
  ModuleVersion        = '0.1.0'
  GUID                 = '4e16f352-c107-4f04-b87c-86c37caf2a1c'
  Author               = 'MedImageCleaner developers'
  CompanyName          = 'MedImageCleaner developers'
  Copyright            = '(c) MedImageCleaner developers'
  Description          = 'De-identifies medical images: DICOM headers (PS3.15 Annex E), burned-in text and image exports.'
  PowerShellVersion    = '7.6'
  CompatiblePSEditions = @('Core')
  FormatsToProcess     = @('MedImageCleaner.Format.ps1xml')
  # Only cmdlets that exist: a test compares this list with the cmdlets the dll implements.
  CmdletsToExport      = @(
    'Convert-DicomImage'
    'Export-DeidentificationAudit'
    'Get-DeidentificationAudit'
    'Get-DicomFile'
    'Invoke-DicomDeidentification'
    'New-DeidentificationKey'
    'Remove-BurnedInText'
    'Remove-DicomPhi'
    'Resolve-DeidentifiedIdentity'
    'Test-Deidentification'
    'Test-DeidentificationAudit'
  )
  FunctionsToExport    = @()
  AliasesToExport      = @()
  VariablesToExport    = @()
  PrivateData          = @{
    PSData = @{
      Tags = @('DICOM', 'PHI', 'de-identification', 'anonymization', 'medical-imaging', 'PSEdition_Core')
    }
  }
}
