namespace MedImageCleaner.Dicom.Tests;

/// <summary>This project has no needs besides the corpus, the standard tables and tools.</summary>
internal static partial class Requirements
{
    private static partial bool? IsMetHere(string need) => null;
}
