using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Files;

/// <summary>
/// Records which de-identified file an in-place pass (Remove-BurnedInText) rewrote, as one De-identification Method
/// (0012,0063) value holding the first 128 bits of that file's SHA-256. A rerun of Remove-DicomPhi that finds such a
/// descendant of exactly the output it would write reports it Unchanged instead of refusing it.
/// </summary>
public static class OutputLineage
{
    private const string Prefix = "Text removed from sha256:";

    /// <summary>The method value for a file derived from a file with this SHA-256 (hex).</summary>
    public static string Note(string sha256Hex) => Prefix + sha256Hex[..32].ToLowerInvariant();

    /// <summary>True when <paramref name="value"/> is a lineage note.</summary>
    public static bool IsNote(string value) => value.Trim().StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Adds the note for <paramref name="sha256Hex"/> to a de-identified dataset (one that has De-identification Method); other datasets are left alone.</summary>
    public static void Add(DicomDataset dataset, string sha256Hex)
    {
        var values = dataset.GetStrings(DicomTag.DeidentificationMethod);
        if (values.Length == 0)
        {
            return;
        }

        var note = Note(sha256Hex);
        var list = new List<string>(values.Length + 1);
        foreach (var v in values)
        {
            list.Add(v.Trim());
        }

        if (!list.Contains(note))
        {
            list.Add(note);
            dataset.AddOrUpdate(DicomTag.DeidentificationMethod, DicomVR.LO, string.Join('\\', list));
        }
    }

    /// <summary>True when <paramref name="dataset"/> records that it was derived from a file with this SHA-256.</summary>
    public static bool IsDerivedFrom(DicomDataset dataset, string sha256Hex)
    {
        var note = Note(sha256Hex);
        foreach (var v in dataset.GetStrings(DicomTag.DeidentificationMethod))
        {
            if (string.Equals(v.Trim(), note, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the file at <paramref name="path"/> records that it was derived from a file with this SHA-256; false when it cannot be read.</summary>
    public static bool IsDerivedFrom(string path, string sha256Hex)
    {
        try
        {
            using var file = DicomFile.Open(path);
            return IsDerivedFrom(file.Dataset, sha256Hex);
        }
        catch (Exception ex) when (ex is MedImageCleanerException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True when the dataset carries any lineage note (an in-place pass of ours wrote it).</summary>
    public static bool HasNote(DicomDataset dataset)
    {
        foreach (var v in dataset.GetStrings(DicomTag.DeidentificationMethod))
        {
            if (IsNote(v))
            {
                return true;
            }
        }

        return false;
    }
}
