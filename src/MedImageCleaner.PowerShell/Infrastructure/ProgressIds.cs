namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// The Write-Progress activity id of each cmdlet, one per cmdlet and all in one place, so cmdlets piped into one
/// another show one bar each instead of fighting over one.
/// </summary>
internal static class ProgressIds
{
    public const int GetDicomFile = 1;
    public const int RemoveDicomPhi = 2;
    public const int RemoveBurnedInText = 3;
    public const int ConvertDicomImage = 4;
    public const int TestDeidentification = 5;
    public const int InvokeDicomDeidentification = 6;
    public const int SendDicomFile = 7;
    public const int ReceiveDicomFile = 8;
    public const int CopyDicomStudy = 9;
}
