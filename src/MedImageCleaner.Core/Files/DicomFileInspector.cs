using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Globalization;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Core.Files;

/// <summary>Reads a DICOM file's header (never its pixel data) and describes it as a <see cref="DicomFileInfo"/>.</summary>
public static class DicomFileInspector
{
    /// <summary>Binary values (OB, OW, UN...) up to this size are returned as bytes by <see cref="DicomFileInfo.Attributes"/>.</summary>
    public const int MaxBinaryAttributeBytes = 64 * 1024;

    /// <summary>Text values up to this size are returned by <see cref="DicomFileInfo.Attributes"/>; longer ones give null.</summary>
    public const int MaxTextAttributeBytes = 1024 * 1024;

    /// <summary>The read options used by default: header only (stop before Pixel Data).</summary>
    public static DicomReadOptions HeaderOnly { get; } = new() { StopBeforePixelData = true };

    internal static IReadOnlyDictionary<string, object?> EmptyAttributes { get; } =
        new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Reads the header of <paramref name="path"/>.</summary>
    /// <param name="path">A file-system path.</param>
    /// <param name="extraTags">Attributes to copy into <see cref="DicomFileInfo.Attributes"/> (may be empty).</param>
    /// <exception cref="NotDicomException">The file is not DICOM.</exception>
    /// <exception cref="DicomReadException">The file cannot be opened or is damaged beyond what the reader tolerates.</exception>
    public static DicomFileInfo Inspect(string path, IReadOnlyList<DicomTag> extraTags) => Inspect(path, extraTags, HeaderOnly);

    /// <summary>Reads <paramref name="path"/> with explicit read options (limits; header only or not).</summary>
    public static DicomFileInfo Inspect(string path, IReadOnlyList<DicomTag> extraTags, DicomReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(extraTags);
        var fullPath = Path.GetFullPath(path);
        using var file = DicomFile.Open(fullPath, options);
        long length;
        try
        {
            length = new FileInfo(fullPath).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DicomReadException("The file size cannot be read: " + ex.GetType().Name + ".", ex) { FilePath = fullPath };
        }

        return Describe(file, fullPath, length, extraTags);
    }

    /// <summary>Describes a file already read (its values must still be readable: do not dispose it first).</summary>
    public static DicomFileInfo Describe(DicomFile file, string fullPath, long length, IReadOnlyList<DicomTag> extraTags)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(fullPath);
        ArgumentNullException.ThrowIfNull(extraTags);
        var ds = file.Dataset;
        var meta = file.FileMetaInfo;
        var sopClass = NullIfEmpty(ds.GetString(DicomTag.SOPClassUID)) ?? NullIfEmpty(meta.GetString(DicomTag.MediaStorageSOPClassUID));
        var rows = GetOptionalInt(ds, DicomTag.Rows);
        var columns = GetOptionalInt(ds, DicomTag.Columns);
        var frames = GetOptionalInt(ds, DicomTag.NumberOfFrames) is { } f && f > 0 ? f : (rows is > 0 ? 1 : 0);
        return new DicomFileInfo
        {
            FullName = fullPath,
            Name = Path.GetFileName(fullPath),
            Length = length,
            SopClassUid = sopClass,
            SopClassName = sopClass is null ? null : DicomUids.GetName(sopClass),
            SopInstanceUid = NullIfEmpty(ds.GetString(DicomTag.SOPInstanceUID)) ?? NullIfEmpty(meta.GetString(DicomTag.MediaStorageSOPInstanceUID)),
            Modality = NullIfEmpty(ds.GetString(DicomTag.Modality)),
            TransferSyntaxUid = file.TransferSyntax.Uid,
            TransferSyntaxName = file.TransferSyntax.Name,
            Rows = rows,
            Columns = columns,
            NumberOfFrames = frames,
            BitsAllocated = GetOptionalInt(ds, DicomTag.BitsAllocated),
            PhotometricInterpretation = NullIfEmpty(ds.GetString(DicomTag.PhotometricInterpretation)),
            BurnedInAnnotation = GetYesNo(ds, DicomTag.BurnedInAnnotation),
            HasPrivateTags = HasPrivate(ds),
            PatientIdentityRemoved = GetYesNo(ds, DicomTag.PatientIdentityRemoved),
            PatientName = ds.GetString(DicomTag.PatientName),
            PatientId = ds.GetString(DicomTag.PatientID),
            StudyDate = ds.GetString(DicomTag.StudyDate),
            Warnings = WarningCodes(file.Warnings),
            Damage = InputDamage.Describe(file),
            Attributes = extraTags.Count == 0 ? EmptyAttributes : ReadAttributes(ds, extraTags),
        };
    }

    /// <summary>
    /// Resolves a tag written as a keyword (PatientName; case-insensitive) or in hexadecimal as (gggg,eeee), gggg,eeee
    /// or ggggeeee.
    /// </summary>
    public static bool TryResolveTag(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (DicomDictionary.TryGet(s, out var entry) || Keywords.IgnoreCase.TryGetValue(s, out entry))
        {
            tag = entry.Tag;
            return true;
        }

        return DicomTag.TryParse(s, out tag);
    }

    /// <summary>The key an attribute gets in <see cref="DicomFileInfo.Attributes"/>: its keyword, else (GGGG,EEEE).</summary>
    public static string GetAttributeKey(DicomTag tag) =>
        !tag.IsPrivate && DicomDictionary.TryGet(tag, out var e) && e.Mask == 0xFFFFFFFF && e.Keyword.Length > 0 ? e.Keyword : tag.ToString();

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static int? GetOptionalInt(DicomDataset ds, DicomTag tag) =>
        ds.TryGetNumber(tag, out var v) && v >= int.MinValue && v <= int.MaxValue ? (int)v : null;

    private static bool? GetYesNo(DicomDataset ds, DicomTag tag) => ds.GetString(tag)?.Trim().ToUpperInvariant() switch
    {
        "YES" => true,
        "NO" => false,
        _ => null,
    };

    private static bool HasPrivate(DicomDataset ds)
    {
        foreach (var (_, item, _) in ds.Walk())
        {
            if (item.Tag.IsPrivate)
            {
                return true;
            }
        }

        return false;
    }

    private static string[] WarningCodes(IReadOnlyList<DicomReadWarning> warnings)
    {
        if (warnings.Count == 0)
        {
            return [];
        }

        var codes = new List<string>();
        foreach (var w in warnings)
        {
            if (!codes.Contains(w.Code))
            {
                codes.Add(w.Code);
            }
        }

        return [.. codes];
    }

    private static ReadOnlyDictionary<string, object?> ReadAttributes(DicomDataset ds, IReadOnlyList<DicomTag> tags)
    {
        var d = new Dictionary<string, object?>(tags.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var tag in tags)
        {
            d[GetAttributeKey(tag)] = ds.TryGet(tag, out var item) ? ConvertValue(ds, item) : null;
        }

        return new ReadOnlyDictionary<string, object?>(d);
    }

    /// <summary>
    /// A value for scripts: text as string (string[] when multi-valued), IS as long, DS as double, binary numbers in
    /// their own type (arrays when multi-valued), AT as "(GGGG,EEEE)", OB/OW/UN... as bytes (null above
    /// <see cref="MaxBinaryAttributeBytes"/>), a sequence as its number of items.
    /// </summary>
    private static object? ConvertValue(DicomDataset ds, DicomItem item)
    {
        if (item is DicomSequence seq)
        {
            return seq.Items.Count;
        }

        if (item is not DicomElement e)
        {
            return null;
        }

        var vr = e.VR;
        if (vr.IsString)
        {
            if (e.Length > MaxTextAttributeBytes)
            {
                return null;
            }

            var text = ds.DecodeString(e);
            if (!vr.AllowsBackslash || !text.Contains('\\', StringComparison.Ordinal))
            {
                return ConvertText(vr, text.Trim(' ', '\0'));
            }

            var parts = text.Split('\\');
            var values = new object?[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                values[i] = ConvertText(vr, parts[i].Trim(' ', '\0'));
            }

            return vr == DicomVR.IS || vr == DicomVR.DS ? values : Array.ConvertAll(values, v => (string)v!);
        }

        if (vr == DicomVR.AT)
        {
            var bytes = e.Value.GetBytes().Span;
            var n = bytes.Length / 4;
            var tags = new string[n];
            for (var i = 0; i < n; i++)
            {
                var g = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4)..]);
                var el = BinaryPrimitives.ReadUInt16LittleEndian(bytes[((i * 4) + 2)..]);
                tags[i] = new DicomTag(g, el).ToString();
            }

            return n == 1 ? tags[0] : tags;
        }

        if (vr == DicomVR.US || vr == DicomVR.SS || vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.FL ||
            vr == DicomVR.FD || vr == DicomVR.UV || vr == DicomVR.SV)
        {
            return e.Length > MaxBinaryAttributeBytes ? null : ConvertNumbers(vr, e.Value.GetBytes().Span);
        }

        return e.Length > MaxBinaryAttributeBytes ? null : e.Value.GetBytes().ToArray();
    }

    private static object? ConvertText(DicomVR vr, string s)
    {
        if (vr == DicomVR.IS && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (vr == DicomVR.DS && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return s;
    }

    private static object? ConvertNumbers(DicomVR vr, ReadOnlySpan<byte> b)
    {
        var unit = vr.UnitSize;
        var n = b.Length / unit;
        if (n == 0)
        {
            return null;
        }

        var values = new object[n];
        for (var i = 0; i < n; i++)
        {
            var s = b.Slice(i * unit, unit);
            values[i] = vr.Code switch
            {
                _ when vr == DicomVR.US => BinaryPrimitives.ReadUInt16LittleEndian(s),
                _ when vr == DicomVR.SS => BinaryPrimitives.ReadInt16LittleEndian(s),
                _ when vr == DicomVR.UL => BinaryPrimitives.ReadUInt32LittleEndian(s),
                _ when vr == DicomVR.SL => BinaryPrimitives.ReadInt32LittleEndian(s),
                _ when vr == DicomVR.FL => BinaryPrimitives.ReadSingleLittleEndian(s),
                _ when vr == DicomVR.FD => BinaryPrimitives.ReadDoubleLittleEndian(s),
                _ when vr == DicomVR.UV => BinaryPrimitives.ReadUInt64LittleEndian(s),
                _ => (object)BinaryPrimitives.ReadInt64LittleEndian(s),
            };
        }

        return n == 1 ? values[0] : values;
    }

    /// <summary>Keywords compared case-insensitively, built on first use (PowerShell users type keywords in any case).</summary>
    private static class Keywords
    {
        public static readonly FrozenDictionary<string, DicomDictionaryEntry> IgnoreCase = Build();

        private static FrozenDictionary<string, DicomDictionaryEntry> Build()
        {
            var d = new Dictionary<string, DicomDictionaryEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in DicomDictionary.Entries)
            {
                if (e.Keyword.Length > 0 && e.Mask == 0xFFFFFFFF)
                {
                    d.TryAdd(e.Keyword, e);
                }
            }

            return d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        }
    }
}
