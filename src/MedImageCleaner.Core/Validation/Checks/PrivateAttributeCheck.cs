using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>
/// <see cref="DeidentificationCheck.PrivateAttribute"/>: no private attribute is left but the safe ones of PS3.15
/// Table E.3.10-1 (when the profile retains them).
/// </summary>
internal static class PrivateAttributeCheck
{
    /// <summary>Checks one item of <paramref name="ds"/>; true when it was reported.</summary>
    public static bool Check(ValidationRun run, DicomDataset ds, DicomItem item, string path, bool inRemoved)
    {
        if (!item.Tag.IsPrivate || inRemoved)
        {
            return false;
        }

        var expectation = run.Profile;
        var kept = expectation.PrivateKept;
        if (item.Tag.IsPrivateCreator)
        {
            run.Add(DeidentificationCheck.PrivateAttribute, FindingSeverity.Info, path, null, "A private creator.");
            return false;
        }

        var creatorTag = item.Tag.PrivateCreatorTag;
        var creator = creatorTag.Element is >= 0x10 and <= 0xFF ? ds.GetString(creatorTag) : null;
        if ((expectation.Options & ProfileOptions.RetainSafePrivate) != 0 && creator is not null && SafePrivateTable.IsSafe(creator, item.Tag))
        {
            return false;
        }

        var severity = kept ? FindingSeverity.Warning : FindingSeverity.Error;
        var message = kept
            ? "A private attribute (kept on request; it is not in the safe-private table)."
            : "A private attribute that is not in the safe-private table (PS3.15 Table E.3.10-1).";
        run.Add(DeidentificationCheck.PrivateAttribute, severity, path, null, message, run.ValueOf(item));
        return true;
    }
}
