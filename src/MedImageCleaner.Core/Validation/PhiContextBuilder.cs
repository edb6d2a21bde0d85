using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Validation;

/// <summary>Gathers the identifiers of one header into a <see cref="PhiContext"/> (before de-identification).</summary>
public static class PhiContextBuilder
{
    private static readonly HashSet<uint> IdentifierTags =
    [
        0x00100020, // Patient ID
        0x00101000, // Other Patient IDs
        0x00080050, // Accession Number
        0x00200010, // Study ID
        0x00400275, // Request Attributes... (sequence; its items are walked)
        0x00401001, // Requested Procedure ID
        0x00400009, // Scheduled Procedure Step ID
        0x00400253, // Performed Procedure Step ID
        0x00380010, // Admission ID
        0x00181000, // Device Serial Number
    ];

    private static readonly HashSet<uint> DateTags = [0x00100030, 0x00080020, 0x00080021, 0x00080022, 0x00080023];

    private static readonly HashSet<uint> OtherTags =
    [
        0x00080080, // Institution Name
        0x00080081, // Institution Address
        0x00081040, // Institutional Department Name
        0x00101040, // Patient's Address
        0x00102154, // Patient's Telephone Numbers
        0x00080092, // Referring Physician's Address
        0x00080094, // Referring Physician's Telephone Numbers
        0x00081010, // Station Name
    ];

    /// <summary>Builds the context from every depth of <paramref name="dataset"/>.</summary>
    public static PhiContext Build(DicomDataset dataset)
    {
        var context = new PhiContext();
        foreach (var (ds, item, _) in dataset.Walk())
        {
            if (item is not DicomElement e || e.Length == 0 || e.Length > 4096 || item.Tag.IsPrivate)
            {
                continue;
            }

            var tag = item.Tag.Value;
            if (e.VR == DicomVR.PN)
            {
                foreach (var name in ds.DecodeString(e).Split('\\'))
                {
                    if (name.Trim().Length > 0)
                    {
                        context.PersonNames.Add(name.Trim());
                    }
                }
            }
            else if (IdentifierTags.Contains(tag))
            {
                AddAll(context.Identifiers, ds.DecodeString(e));
            }
            else if (DateTags.Contains(tag))
            {
                AddAll(context.Dates, ds.DecodeString(e));
            }
            else if (OtherTags.Contains(tag))
            {
                AddAll(context.OtherValues, ds.DecodeString(e));
            }
        }

        return context;
    }

    private static void AddAll(List<string> list, string value)
    {
        foreach (var v in value.Split('\\'))
        {
            var t = v.Trim();
            if (t.Length > 0 && !list.Contains(t))
            {
                list.Add(t);
            }
        }
    }
}
