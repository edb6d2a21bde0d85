using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Network;

/// <summary>The Query/Retrieve level of a Study Root request (PS3.4 C.3).</summary>
public enum QueryLevel
{
    Study,
    Series,
    Image,
}

/// <summary>Study Root Query/Retrieve SOP classes (PS3.4 C.6.2).</summary>
public static class QueryRetrieveSopClass
{
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";
}

/// <summary>Encoding and decoding of C-FIND/C-MOVE/C-GET identifiers (data sets of match and return keys).</summary>
public static class QueryIdentifier
{
    /// <summary>The largest identifier we read from a response (a match is a handful of attributes).</summary>
    public const int MaxResponseLength = 1024 * 1024;

    /// <summary>A new identifier at <paramref name="level"/>; text keys with non-ASCII characters need UTF-8 set first.</summary>
    public static DicomDataset Create(QueryLevel level, bool utf8 = false)
    {
        var ds = new DicomDataset();
        if (utf8)
        {
            ds.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }

        ds.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, LevelName(level));
        return ds;
    }

    /// <summary>The identifier of a C-MOVE/C-GET of whole studies (STUDY level, one or more Study Instance UIDs).</summary>
    public static DicomDataset ForStudies(IReadOnlyList<string> studyInstanceUids)
    {
        ArgumentNullException.ThrowIfNull(studyInstanceUids);
        var ds = Create(QueryLevel.Study);
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, string.Join('\\', studyInstanceUids));
        return ds;
    }

    /// <summary>The value of (0008,0052) for a level.</summary>
    public static string LevelName(QueryLevel level) => level switch
    {
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    /// <summary>Adds a key: a match value, or an empty value (universal matching: "return this attribute").</summary>
    public static void Key(DicomDataset identifier, DicomTag tag, DicomVR vr, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (string.IsNullOrEmpty(value))
        {
            identifier.AddOrUpdate(new DicomElement(tag, vr, Array.Empty<byte>()));
            return;
        }

        identifier.AddOrUpdate(tag, vr, value);
    }

    /// <summary>Encodes an identifier in the context's transfer syntax (Implicit or Explicit VR Little Endian).</summary>
    public static byte[] Encode(DicomDataset identifier, string transferSyntaxUid)
    {
        using var ms = new MemoryStream();
        DicomWriter.WriteDataset(ms, identifier, TransferSyntax.Lookup(transferSyntaxUid));
        return ms.ToArray();
    }

    /// <summary>Decodes a response identifier received in <paramref name="transferSyntaxUid"/>.</summary>
    /// <exception cref="DicomProtocolException">The bytes are not a readable data set.</exception>
    public static DicomDataset Decode(ReadOnlySpan<byte> dataSet, string transferSyntaxUid)
    {
        using var ms = new MemoryStream(dataSet.Length + 512);
        StorageService.WriteMeta(ms, QueryRetrieveSopClass.StudyRootFind, "1.2.3", transferSyntaxUid, "QUERY");
        ms.Write(dataSet);
        try
        {
            using var file = DicomFile.Open(ms.GetBuffer().AsMemory(0, (int)ms.Length), new DicomReadOptions { MaxTotalBytes = MaxResponseLength * 2L });
            return file.Dataset;
        }
        catch (DicomReadException ex)
        {
            throw new DicomProtocolException("A response identifier cannot be read: " + ex.GetType().Name + ".", ex);
        }
    }
}
