using MedImageCleaner.Dicom;

namespace MedImageCleaner.Network;

/// <summary>Command elements of group 0000 (PS3.7 E.1); the PS3.6 dictionary we generate leaves group 0000 out.</summary>
public static class CommandTag
{
    public static readonly DicomTag CommandGroupLength = new(0x0000, 0x0000);
    public static readonly DicomTag AffectedSOPClassUID = new(0x0000, 0x0002);
    public static readonly DicomTag RequestedSOPClassUID = new(0x0000, 0x0003);
    public static readonly DicomTag CommandField = new(0x0000, 0x0100);
    public static readonly DicomTag MessageID = new(0x0000, 0x0110);
    public static readonly DicomTag MessageIDBeingRespondedTo = new(0x0000, 0x0120);
    public static readonly DicomTag MoveDestination = new(0x0000, 0x0600);
    public static readonly DicomTag Priority = new(0x0000, 0x0700);
    public static readonly DicomTag CommandDataSetType = new(0x0000, 0x0800);
    public static readonly DicomTag Status = new(0x0000, 0x0900);
    public static readonly DicomTag OffendingElement = new(0x0000, 0x0901);
    public static readonly DicomTag ErrorComment = new(0x0000, 0x0902);
    public static readonly DicomTag ErrorID = new(0x0000, 0x0903);
    public static readonly DicomTag AffectedSOPInstanceUID = new(0x0000, 0x1000);
    public static readonly DicomTag RequestedSOPInstanceUID = new(0x0000, 0x1001);
    public static readonly DicomTag EventTypeID = new(0x0000, 0x1002);
    public static readonly DicomTag AttributeIdentifierList = new(0x0000, 0x1005);
    public static readonly DicomTag ActionTypeID = new(0x0000, 0x1008);
    public static readonly DicomTag NumberOfRemainingSuboperations = new(0x0000, 0x1020);
    public static readonly DicomTag NumberOfCompletedSuboperations = new(0x0000, 0x1021);
    public static readonly DicomTag NumberOfFailedSuboperations = new(0x0000, 0x1022);
    public static readonly DicomTag NumberOfWarningSuboperations = new(0x0000, 0x1023);
    public static readonly DicomTag MoveOriginatorApplicationEntityTitle = new(0x0000, 0x1030);
    public static readonly DicomTag MoveOriginatorMessageID = new(0x0000, 0x1031);

    /// <summary>The VR of a command element (command sets are Implicit VR Little Endian, so the VR comes from here).</summary>
    public static DicomVR VROf(DicomTag tag) => tag.Element switch
    {
        0x0000 => DicomVR.UL,
        0x0002 or 0x0003 or 0x1000 or 0x1001 => DicomVR.UI,
        0x0600 or 0x1030 => DicomVR.AE,
        0x0901 or 0x1005 => DicomVR.AT,
        0x0902 => DicomVR.LO,
        0x0100 or 0x0110 or 0x0120 or 0x0700 or 0x0800 or 0x0900 or 0x0903 or 0x1002 or 0x1008
            or 0x1020 or 0x1021 or 0x1022 or 0x1023 or 0x1031 => DicomVR.US,
        _ => DicomVR.UN,
    };
}

/// <summary>DIMSE command field values (PS3.7 E.1).</summary>
public enum CommandField : ushort
{
    CStoreRequest = 0x0001,
    CStoreResponse = 0x8001,
    CGetRequest = 0x0010,
    CGetResponse = 0x8010,
    CFindRequest = 0x0020,
    CFindResponse = 0x8020,
    CMoveRequest = 0x0021,
    CMoveResponse = 0x8021,
    CEchoRequest = 0x0030,
    CEchoResponse = 0x8030,
    CCancelRequest = 0x0FFF,
}

/// <summary>DIMSE status codes used here (PS3.7 C and the service classes of PS3.4).</summary>
public static class DimseStatus
{
    public const ushort Success = 0x0000;
    public const ushort Pending = 0xFF00;
    public const ushort PendingWarning = 0xFF01;
    public const ushort Cancel = 0xFE00;
    public const ushort SopClassNotSupported = 0x0122;
    public const ushort UnrecognizedOperation = 0x0211;
    public const ushort ProcessingFailure = 0x0110;
    public const ushort DuplicateSopInstance = 0x0111;
    public const ushort MistypedArgument = 0x0212;

    /// <summary>C-STORE warning: coercion of data elements.</summary>
    public const ushort CoercionOfDataElements = 0xB000;

    /// <summary>C-STORE warning: data set does not match SOP class.</summary>
    public const ushort DataSetDoesNotMatchSopClassWarning = 0xB007;

    /// <summary>C-STORE warning: elements discarded.</summary>
    public const ushort ElementsDiscarded = 0xB006;

    /// <summary>C-STORE failure: out of resources (A7xx).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>C-STORE failure: data set does not match SOP class (A9xx).</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>C-STORE failure: cannot understand (Cxxx).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>Success, Warning, Failure, Pending or Cancel.</summary>
    public static DimseStatusKind Classify(ushort status) => status switch
    {
        Success => DimseStatusKind.Success,
        Pending or PendingWarning => DimseStatusKind.Pending,
        Cancel => DimseStatusKind.Cancel,
        0x0001 or 0x0107 or 0x0116 => DimseStatusKind.Warning,
        _ when (status & 0xF000) == 0xB000 => DimseStatusKind.Warning,
        _ => DimseStatusKind.Failure,
    };

    /// <summary>A short name for a status code (no dataset values).</summary>
    public static string Describe(ushort status) => status switch
    {
        Success => "Success",
        Pending or PendingWarning => "Pending",
        Cancel => "Cancel",
        SopClassNotSupported => "SOP class not supported",
        UnrecognizedOperation => "Unrecognized operation",
        ProcessingFailure => "Processing failure",
        DuplicateSopInstance => "Duplicate SOP instance",
        CoercionOfDataElements => "Warning: coercion of data elements",
        DataSetDoesNotMatchSopClassWarning => "Warning: data set does not match SOP class",
        ElementsDiscarded => "Warning: elements discarded",
        _ when (status & 0xFF00) == 0xA700 => "Refused: out of resources",
        _ when (status & 0xFF00) == 0xA900 => "Error: data set does not match SOP class",
        _ when (status & 0xF000) == 0xC000 => "Error: cannot understand",
        _ when (status & 0xF000) == 0xB000 => "Warning",
        _ => "Failure",
    } + " (0x" + status.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ")";
}

/// <summary>The kind of a DIMSE status.</summary>
public enum DimseStatusKind
{
    Success,
    Warning,
    Failure,
    Pending,
    Cancel,
}
