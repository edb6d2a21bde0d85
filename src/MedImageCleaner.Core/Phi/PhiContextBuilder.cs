using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Phi;

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
    public static PhiContext Build(DicomDataset dataset) => ToContext(CollectValues(dataset));

    /// <summary>
    /// The identifying values of every depth of <paramref name="dataset"/>, each with the attribute it came from: the
    /// values <see cref="Build"/> gathers, and (kind <see cref="IdentifyingValueKind.Uid"/>) every UID that is not one
    /// of the standard's own. Holds PHI: never log it.
    /// </summary>
    public static List<IdentifyingValue> CollectValues(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var values = new List<IdentifyingValue>();
        var seen = new HashSet<(IdentifyingValueKind, uint, string)>();
        foreach (var (ds, item, _) in dataset.Walk())
        {
            if (item is not DicomElement e || e.Length == 0 || e.Length > 4096 || item.Tag.IsPrivate)
            {
                continue;
            }

            var tag = item.Tag.Value;
            var kind = e.VR == DicomVR.PN ? IdentifyingValueKind.PersonName
                : IdentifierTags.Contains(tag) ? IdentifyingValueKind.Identifier
                : DateTags.Contains(tag) ? IdentifyingValueKind.Date
                : OtherTags.Contains(tag) ? IdentifyingValueKind.Other
                : e.VR == DicomVR.UI ? IdentifyingValueKind.Uid
                : (IdentifyingValueKind?)null;
            if (kind is not { } k)
            {
                continue;
            }

            foreach (var v in ds.DecodeString(e).Split('\\'))
            {
                var t = k == IdentifyingValueKind.Uid ? v.Trim(' ', '\0') : v.Trim();
                if (t.Length == 0 || (k == IdentifyingValueKind.Uid && t.StartsWith("1.2.840.10008.", StringComparison.Ordinal)))
                {
                    continue;
                }

                if (seen.Add((k, tag, t)))
                {
                    values.Add(new IdentifyingValue(k, item.Tag, t));
                }
            }
        }

        return values;
    }

    /// <summary>The context of a list of values (UIDs are not part of it).</summary>
    public static PhiContext ToContext(IEnumerable<IdentifyingValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var context = new PhiContext();
        foreach (var v in values)
        {
            switch (v.Kind)
            {
                case IdentifyingValueKind.PersonName:
                    context.PersonNames.Add(v.Value);
                    break;
                case IdentifyingValueKind.Identifier:
                    AddAll(context.Identifiers, v.Value);
                    break;
                case IdentifyingValueKind.Date:
                    AddAll(context.Dates, v.Value);
                    break;
                case IdentifyingValueKind.Other:
                    AddAll(context.OtherValues, v.Value);
                    break;
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

/// <summary>What an <see cref="IdentifyingValue"/> is.</summary>
public enum IdentifyingValueKind
{
    /// <summary>A person name (PN value, components separated by ^).</summary>
    PersonName,

    /// <summary>An ID (patient ID, accession number, study ID...).</summary>
    Identifier,

    /// <summary>A date (birth date, study dates; YYYYMMDD).</summary>
    Date,

    /// <summary>Institution, department, address, telephone, station name.</summary>
    Other,

    /// <summary>A UID that is not one of the standard's own.</summary>
    Uid,
}

/// <summary>One identifying value of an original header and the attribute it came from. Holds PHI: never log it.</summary>
/// <param name="Kind">What the value is.</param>
/// <param name="Tag">The attribute (at any depth) it came from.</param>
/// <param name="Value">The value, one of a multi-valued attribute.</param>
public sealed record IdentifyingValue(IdentifyingValueKind Kind, DicomTag Tag, string Value);
