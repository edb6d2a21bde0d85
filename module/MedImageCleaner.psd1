@{
  RootModule           = 'MedImageCleaner.PowerShell.dll'
  ModuleVersion        = '0.1.0'
  GUID                 = '4e16f352-c107-4f04-b87c-86c37caf2a1c'
  Author               = 'MedImageCleaner contributors'
  CompanyName          = 'MedImageCleaner contributors'
  Copyright            = '(c) MedImageCleaner contributors. MIT License.'
  Description          = 'De-identifies medical images: DICOM headers (PS3.15 Annex E), burned-in text and image exports. Platforms: linux-x64 for everything; pixel work (burned-in text, image export) needs the OpenCV natives the module ships for linux-x64 only and stops with NativeLibraryMissing elsewhere.'
  PowerShellVersion    = '7.6'
  CompatiblePSEditions = @('Core')
  FormatsToProcess     = @('MedImageCleaner.Format.ps1xml')
  # Only cmdlets that exist: a test compares this list with the cmdlets the dll implements.
  CmdletsToExport      = @(
    'Convert-DicomImage'
    'Copy-DicomStudy'
    'Export-DeidentificationAudit'
    'Get-DeidentificationAudit'
    'Find-DicomSeries'
    'Find-DicomStudy'
    'Get-DicomFile'
    'Receive-DicomFile'
    'Send-DicomFile'
    'Invoke-DicomDeidentification'
    'New-DeidentificationKey'
    'Remove-BurnedInText'
    'Remove-DicomPhi'
    'Resolve-DeidentifiedIdentity'
    'Test-Deidentification'
    'Test-DeidentificationAudit'
    'Test-DicomConnection'
  )
  FunctionsToExport    = @()
  AliasesToExport      = @()
  VariablesToExport    = @()
  PrivateData          = @{
    PSData = @{
      Tags         = @('DICOM', 'PHI', 'de-identification', 'anonymization', 'medical-imaging', 'HIPAA', 'PSEdition_Core', 'Linux')
      ProjectUri   = 'https://github.com/medimagecleaner/medimagecleaner'
      LicenseUri   = 'https://github.com/medimagecleaner/medimagecleaner/blob/main/LICENSE'
      ReleaseNotes = '0.1.0: Get-DicomFile, Remove-DicomPhi (PS3.15 Table E.1-1 with every option, keyed pseudonyms, audit), Remove-BurnedInText, Convert-DicomImage, Test-Deidentification, Invoke-DicomDeidentification (resumable workflow with reports) and the audit cmdlets. Pixel work on linux-x64 only.'
    }
  }
}
