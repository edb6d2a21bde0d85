using System.Text.RegularExpressions;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary><see cref="DeidentificationCheck.UidFormat"/>: every UID is well formed (PS3.5 9.1).</summary>
internal static partial class UidFormatCheck
{
    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UidForm { get; }

    /// <summary>True for a UID that PS3.5 9.1 allows: 1 to 64 characters, digits and dots, no empty or leading-zero component.</summary>
    public static bool IsWellFormed(string uid) => uid.Length is > 0 and <= 64 && UidForm.IsMatch(uid);

    /// <summary>Checks every value of one UI element.</summary>
    public static void Check(ValidationRun run, DicomDataset ds, DicomElement e, string path, string? keyword)
    {
        if (e.VR != DicomVR.UI || e.Length == 0)
        {
            return;
        }

        foreach (var raw in ds.DecodeString(e).Split('\\'))
        {
            var uid = raw.Trim(' ', '\0');
            if (uid.Length > 0 && !IsWellFormed(uid))
            {
                run.Add(DeidentificationCheck.UidFormat, FindingSeverity.Error, path, keyword,
                    "A malformed UID (PS3.5 9.1: at most 64 characters, digits and dots, no leading zeros).", uid);
            }
        }
    }
}
