using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>
/// PS3.15 Table E.3.10-1 (Safe Private Attributes): private attributes known not to contain identifying information,
/// kept under the Retain Safe Private Option. An entry is a private creator, the private group, and the element
/// byte within the creator's block (gggg,xxEE -> EE).
/// </summary>
public static partial class SafePrivateTable
{
    /// <summary>True when the private attribute <paramref name="tag"/> reserved by <paramref name="creator"/> is safe.</summary>
    public static bool IsSafe(string creator, DicomTag tag)
    {
        if (!tag.IsPrivate || tag.Element < 0x1000)
        {
            return false;
        }

        return Entries.Contains((Normalize(creator), tag.Group, (byte)(tag.Element & 0xFF)));
    }

    /// <summary>Creators are compared with trailing padding removed.</summary>
    internal static string Normalize(string creator) => creator.Trim(' ', '\0');
}
