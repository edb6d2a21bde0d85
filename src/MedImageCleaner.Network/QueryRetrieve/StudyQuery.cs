using System.Globalization;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Network;

/// <summary>Match keys of a study-level C-FIND (null: not matched, returned). Text keys take DICOM wildcards (* ?).</summary>
public sealed record StudyQuery
{
    public string? PatientId { get; init; }

    public string? PatientName { get; init; }

    /// <summary>A DICOM date or range: 20200101, 20200101-20201231, 20200101-, -20201231.</summary>
    public string? StudyDate { get; init; }

    public string? AccessionNumber { get; init; }

    /// <summary>One or more Study Instance UIDs (list matching).</summary>
    public IReadOnlyList<string>? StudyInstanceUids { get; init; }

    /// <summary>Modalities in Study (any of them matches).</summary>
    public IReadOnlyList<string>? ModalitiesInStudy { get; init; }

    public string? StudyDescription { get; init; }

    /// <summary>The C-FIND identifier: the match keys, and every attribute of <see cref="DicomStudy"/> as a return key.</summary>
    public DicomDataset ToIdentifier()
    {
        var ds = QueryIdentifier.Create(QueryLevel.Study, NeedsUtf8(PatientName, PatientId, AccessionNumber, StudyDescription));
        QueryIdentifier.Key(ds, DicomTag.StudyDate, DicomVR.DA, StudyDate);
        QueryIdentifier.Key(ds, DicomTag.StudyTime, DicomVR.TM);
        QueryIdentifier.Key(ds, DicomTag.AccessionNumber, DicomVR.SH, AccessionNumber);
        QueryIdentifier.Key(ds, DicomTag.ModalitiesInStudy, DicomVR.CS, Join(ModalitiesInStudy));
        QueryIdentifier.Key(ds, DicomTag.ReferringPhysicianName, DicomVR.PN);
        QueryIdentifier.Key(ds, DicomTag.StudyDescription, DicomVR.LO, StudyDescription);
        QueryIdentifier.Key(ds, DicomTag.PatientName, DicomVR.PN, PatientName);
        QueryIdentifier.Key(ds, DicomTag.PatientID, DicomVR.LO, PatientId);
        QueryIdentifier.Key(ds, DicomTag.PatientBirthDate, DicomVR.DA);
        QueryIdentifier.Key(ds, DicomTag.PatientSex, DicomVR.CS);
        QueryIdentifier.Key(ds, DicomTag.StudyInstanceUID, DicomVR.UI, Join(StudyInstanceUids));
        QueryIdentifier.Key(ds, DicomTag.StudyID, DicomVR.SH);
        QueryIdentifier.Key(ds, DicomTag.NumberOfStudyRelatedSeries, DicomVR.IS);
        QueryIdentifier.Key(ds, DicomTag.NumberOfStudyRelatedInstances, DicomVR.IS);
        return ds;
    }

    /// <summary>A DICOM date range from optional bounds (null when both are null).</summary>
    public static string? DateRange(DateTime? after, DateTime? before) =>
        after is null && before is null ? null : Da(after) + "-" + Da(before);

    /// <summary>True for a DICOM date or date range (YYYYMMDD, YYYYMMDD-, -YYYYMMDD, YYYYMMDD-YYYYMMDD) with real dates.</summary>
    public static bool IsDateRange(string? value)
    {
        if (string.IsNullOrEmpty(value) || value == "-")
        {
            return false;
        }

        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return IsDate(value);
        }

        var from = value[..dash];
        var to = value[(dash + 1)..];
        return (from.Length == 0 || IsDate(from)) && (to.Length == 0 || IsDate(to)) && (from.Length == 0 || to.Length == 0 || string.CompareOrdinal(from, to) <= 0);
    }

    internal static string? Join(IReadOnlyList<string>? values) => values is { Count: > 0 } ? string.Join('\\', values) : null;

    internal static bool NeedsUtf8(params string?[] values)
    {
        foreach (var v in values)
        {
            if (v is not null && !System.Text.Ascii.IsValid(v))
            {
                return true;
            }
        }

        return false;
    }

    private static string Da(DateTime? d) => d?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? string.Empty;

    private static bool IsDate(string s) =>
        s.Length == 8 && DateTime.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}

/// <summary>Match keys of a series-level C-FIND within one study.</summary>
public sealed record SeriesQuery
{
    public required string StudyInstanceUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public IReadOnlyList<string>? Modality { get; init; }

    public string? SeriesDescription { get; init; }

    /// <summary>The C-FIND identifier: the match keys, and every attribute of <see cref="DicomSeries"/> as a return key.</summary>
    public DicomDataset ToIdentifier()
    {
        var ds = QueryIdentifier.Create(QueryLevel.Series, StudyQuery.NeedsUtf8(SeriesDescription));
        QueryIdentifier.Key(ds, DicomTag.SeriesDate, DicomVR.DA);
        QueryIdentifier.Key(ds, DicomTag.Modality, DicomVR.CS, StudyQuery.Join(Modality));
        QueryIdentifier.Key(ds, DicomTag.SeriesDescription, DicomVR.LO, SeriesDescription);
        QueryIdentifier.Key(ds, DicomTag.BodyPartExamined, DicomVR.CS);
        QueryIdentifier.Key(ds, DicomTag.StudyInstanceUID, DicomVR.UI, StudyInstanceUid);
        QueryIdentifier.Key(ds, DicomTag.SeriesInstanceUID, DicomVR.UI, SeriesInstanceUid);
        QueryIdentifier.Key(ds, DicomTag.SeriesNumber, DicomVR.IS);
        QueryIdentifier.Key(ds, DicomTag.NumberOfSeriesRelatedInstances, DicomVR.IS);
        return ds;
    }
}

/// <summary>Where a query result came from (so a result piped to Copy-DicomStudy knows its peer).</summary>
public abstract record QueryResult
{
    public required string ComputerName { get; init; }

    public required int Port { get; init; }

    public required string CalledAETitle { get; init; }

    /// <summary>Every attribute the peer returned.</summary>
    public required DicomDataset Identifier { get; init; }

    internal static string? Text(DicomDataset ds, DicomTag tag) => ds.GetString(tag) is { Length: > 0 } s ? s.Trim() : null;

    internal static int? Number(DicomDataset ds, DicomTag tag) =>
        int.TryParse(Text(ds, tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    internal static DateTime? Date(DicomDataset ds, DicomTag dateTag, DicomTag? timeTag = null)
    {
        if (!DateTime.TryParseExact(Text(ds, dateTag), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        var time = timeTag is { } t ? Text(ds, t) : null;
        if (time is { Length: >= 4 } && int.TryParse(time.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h < 24
            && int.TryParse(time.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m < 60)
        {
            var s = time.Length >= 6 && int.TryParse(time.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var sec) && sec < 60 ? sec : 0;
            return date.Add(new TimeSpan(h, m, s));
        }

        return date;
    }
}

/// <summary>A study found by C-FIND (Find-DicomStudy).</summary>
public sealed record DicomStudy : QueryResult
{
    public required string StudyInstanceUid { get; init; }

    public string? PatientName { get; init; }

    public string? PatientId { get; init; }

    public DateTime? PatientBirthDate { get; init; }

    public string? PatientSex { get; init; }

    /// <summary>Study Date with Study Time when given.</summary>
    public DateTime? StudyDate { get; init; }

    public string? AccessionNumber { get; init; }

    public string? StudyId { get; init; }

    public string? StudyDescription { get; init; }

    public string? ReferringPhysicianName { get; init; }

    public IReadOnlyList<string> ModalitiesInStudy { get; init; } = [];

    public int? NumberOfSeries { get; init; }

    public int? NumberOfInstances { get; init; }

    /// <summary>Builds the result from a C-FIND match (null when the match has no Study Instance UID).</summary>
    public static DicomStudy? From(DicomDataset ds, DicomPeer peer)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(peer);
        var uid = Text(ds, DicomTag.StudyInstanceUID);
        return uid is null ? null : new DicomStudy
        {
            ComputerName = peer.Host,
            Port = peer.Port,
            CalledAETitle = peer.CalledAETitle,
            Identifier = ds,
            StudyInstanceUid = uid,
            PatientName = Text(ds, DicomTag.PatientName),
            PatientId = Text(ds, DicomTag.PatientID),
            PatientBirthDate = Date(ds, DicomTag.PatientBirthDate),
            PatientSex = Text(ds, DicomTag.PatientSex),
            StudyDate = Date(ds, DicomTag.StudyDate, DicomTag.StudyTime),
            AccessionNumber = Text(ds, DicomTag.AccessionNumber),
            StudyId = Text(ds, DicomTag.StudyID),
            StudyDescription = Text(ds, DicomTag.StudyDescription),
            ReferringPhysicianName = Text(ds, DicomTag.ReferringPhysicianName),
            ModalitiesInStudy = [.. ds.GetStrings(DicomTag.ModalitiesInStudy).Select(s => s.Trim()).Where(s => s.Length > 0)],
            NumberOfSeries = Number(ds, DicomTag.NumberOfStudyRelatedSeries),
            NumberOfInstances = Number(ds, DicomTag.NumberOfStudyRelatedInstances),
        };
    }
}

/// <summary>A series found by C-FIND (Find-DicomSeries).</summary>
public sealed record DicomSeries : QueryResult
{
    public required string StudyInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public string? Modality { get; init; }

    public int? SeriesNumber { get; init; }

    public string? SeriesDescription { get; init; }

    public DateTime? SeriesDate { get; init; }

    public string? BodyPartExamined { get; init; }

    public int? NumberOfInstances { get; init; }

    /// <summary>Builds the result from a C-FIND match (null without a Series Instance UID).</summary>
    public static DicomSeries? From(DicomDataset ds, DicomPeer peer, string studyInstanceUid)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(peer);
        var uid = Text(ds, DicomTag.SeriesInstanceUID);
        return uid is null ? null : new DicomSeries
        {
            ComputerName = peer.Host,
            Port = peer.Port,
            CalledAETitle = peer.CalledAETitle,
            Identifier = ds,
            StudyInstanceUid = Text(ds, DicomTag.StudyInstanceUID) ?? studyInstanceUid,
            SeriesInstanceUid = uid,
            Modality = Text(ds, DicomTag.Modality),
            SeriesNumber = Number(ds, DicomTag.SeriesNumber),
            SeriesDescription = Text(ds, DicomTag.SeriesDescription),
            SeriesDate = Date(ds, DicomTag.SeriesDate),
            BodyPartExamined = Text(ds, DicomTag.BodyPartExamined),
            NumberOfInstances = Number(ds, DicomTag.NumberOfSeriesRelatedInstances),
        };
    }
}
