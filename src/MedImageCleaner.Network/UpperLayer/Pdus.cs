namespace MedImageCleaner.Network;

/// <summary>PDU types of the DICOM Upper Layer (PS3.8 9.3).</summary>
public enum PduType : byte
{
    AssociateRequest = 0x01,
    AssociateAccept = 0x02,
    AssociateReject = 0x03,
    DataTransfer = 0x04,
    ReleaseRequest = 0x05,
    ReleaseResponse = 0x06,
    Abort = 0x07,
}

/// <summary>A-ASSOCIATE-RJ result (PS3.8 9.3.4).</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source (PS3.8 9.3.4).</summary>
public enum RejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}

/// <summary>
/// A-ASSOCIATE-RJ reasons (PS3.8 9.3.4). The numeric value depends on the source: for the service user 1 no reason,
/// 2 application context name not supported, 3 calling AE title not recognized, 7 called AE title not recognized; for
/// the ACSE provider 1 no reason, 2 protocol version not supported; for the presentation provider 1 temporary
/// congestion, 2 local limit exceeded.
/// </summary>
public static class RejectReason
{
    public const byte NoReasonGiven = 1;
    public const byte ApplicationContextNotSupported = 2;
    public const byte CallingAETitleNotRecognized = 3;
    public const byte CalledAETitleNotRecognized = 7;
    public const byte ProtocolVersionNotSupported = 2;
    public const byte TemporaryCongestion = 1;
    public const byte LocalLimitExceeded = 2;
}

/// <summary>Presentation context result in an A-ASSOCIATE-AC (PS3.8 9.3.3.2).</summary>
public enum PresentationContextResult : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}

/// <summary>A proposed presentation context (A-ASSOCIATE-RQ) or its answer (A-ASSOCIATE-AC).</summary>
/// <param name="Id">Odd id, 1..255.</param>
/// <param name="AbstractSyntax">The SOP class UID (empty in an AC, which does not repeat it).</param>
/// <param name="TransferSyntaxes">Proposed transfer syntaxes (RQ) or the one accepted (AC).</param>
/// <param name="Result">Only in an AC.</param>
public sealed record PresentationContext(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes, PresentationContextResult Result = PresentationContextResult.Acceptance)
{
    /// <summary>The accepted transfer syntax (AC), or null when rejected.</summary>
    public string? AcceptedTransferSyntax => Result == PresentationContextResult.Acceptance && TransferSyntaxes.Count > 0 ? TransferSyntaxes[0] : null;
}

/// <summary>SCP/SCU role selection sub-item (PS3.7 D.3.3.4); C-GET uses it for its storage sub-operations.</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>User identity negotiation sub-item of the A-ASSOCIATE-RQ (PS3.7 D.3.3.7).</summary>
/// <param name="Type">1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT.</param>
/// <param name="PositiveResponseRequested">Whether the acceptor is asked to confirm.</param>
/// <param name="Primary">User name or token.</param>
/// <param name="Secondary">Passcode (type 2 only).</param>
public sealed record UserIdentity(byte Type, bool PositiveResponseRequested, ReadOnlyMemory<byte> Primary, ReadOnlyMemory<byte> Secondary)
{
    /// <summary>A username (type 1) or username and passcode (type 2) identity.</summary>
    public static UserIdentity FromUserName(string userName, string? passcode = null, bool positiveResponseRequested = false) => new(
        passcode is null ? (byte)1 : (byte)2,
        positiveResponseRequested,
        System.Text.Encoding.UTF8.GetBytes(userName),
        passcode is null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(passcode));

    /// <summary>Never prints the identity (it is a credential).</summary>
    public override string ToString() => "UserIdentity(type " + Type + ")";
}

/// <summary>The variable part of an A-ASSOCIATE-RQ or -AC.</summary>
public sealed record AssociateParameters
{
    /// <summary>The DICOM application context name.</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    public required string CalledAETitle { get; init; }

    public required string CallingAETitle { get; init; }

    public string ApplicationContext { get; init; } = DicomApplicationContext;

    public ushort ProtocolVersion { get; init; } = 1;

    public IReadOnlyList<PresentationContext> PresentationContexts { get; init; } = [];

    /// <summary>The largest P-DATA-TF PDU (variable part) the sender of this PDU receives; 0 means no limit.</summary>
    public uint MaxPduLength { get; init; }

    public string ImplementationClassUid { get; init; } = NetworkDefaults.ImplementationClassUid;

    public string? ImplementationVersionName { get; init; } = NetworkDefaults.ImplementationVersionName;

    /// <summary>Asynchronous operations window (invoked, performed); null when not negotiated (1/1 then).</summary>
    public (ushort Invoked, ushort Performed)? AsyncOperations { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    /// <summary>RQ only.</summary>
    public UserIdentity? UserIdentity { get; init; }

    /// <summary>AC only: the server response to a user identity request asking for one.</summary>
    public ReadOnlyMemory<byte>? UserIdentityResponse { get; init; }

    /// <summary>User information sub-items this implementation does not interpret (type, value), kept as read.</summary>
    public IReadOnlyList<(byte Type, ReadOnlyMemory<byte> Value)> OtherUserItems { get; init; } = [];
}

/// <summary>An A-ASSOCIATE-RJ.</summary>
public sealed record AssociateReject(RejectResult Result, RejectSource Source, byte Reason)
{
    /// <summary>The result, source and reason in words (as PS3.8 names them).</summary>
    public string Describe()
    {
        var reason = (Source, Reason) switch
        {
            (RejectSource.ServiceUser, 1) => "no reason given",
            (RejectSource.ServiceUser, 2) => "application context name not supported",
            (RejectSource.ServiceUser, 3) => "calling AE title not recognized",
            (RejectSource.ServiceUser, 7) => "called AE title not recognized",
            (RejectSource.ServiceProviderAcse, 1) => "no reason given",
            (RejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
            (RejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
            (RejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
            _ => "reason " + Reason,
        };
        var source = Source switch
        {
            RejectSource.ServiceUser => "service user",
            RejectSource.ServiceProviderAcse => "service provider (ACSE)",
            RejectSource.ServiceProviderPresentation => "service provider (presentation)",
            _ => "source " + (int)Source,
        };
        return (Result == RejectResult.Transient ? "transient" : "permanent") + ", " + source + ", " + reason;
    }
}

/// <summary>An A-ABORT: source 0 service user, 2 service provider; reason (provider only) 0 not specified,
/// 1 unrecognized PDU, 2 unexpected PDU, 4 unrecognized PDU parameter, 5 unexpected PDU parameter, 6 invalid value.</summary>
public sealed record Abort(byte Source, byte Reason)
{
    public const byte ServiceUser = 0;
    public const byte ServiceProvider = 2;
    public const byte NotSpecified = 0;
    public const byte UnrecognizedPdu = 1;
    public const byte UnexpectedPdu = 2;
    public const byte InvalidParameterValue = 6;
}

/// <summary>Defaults of this implementation.</summary>
public static class NetworkDefaults
{
    /// <summary>Our implementation class UID (the one our Part 10 writer records).</summary>
    public const string ImplementationClassUid = "2.25.245150272894171026456318009887707906507";

    public const string ImplementationVersionName = "MEDIMGCLEAN_010";

    /// <summary>The largest P-DATA-TF we receive unless told otherwise (bytes of the variable part).</summary>
    public const uint MaxPduLength = 256 * 1024;

    /// <summary>The hard upper bound for any PDU we read, whatever is configured (PDUs are buffered whole).</summary>
    public const uint MaxPduLengthLimit = 16 * 1024 * 1024;

    /// <summary>The largest A-ASSOCIATE-RQ/AC we read (many contexts and a user identity fit easily).</summary>
    public const uint MaxAssociatePduLength = 1024 * 1024;

    /// <summary>The Verification SOP class (C-ECHO).</summary>
    public const string VerificationSopClass = "1.2.840.10008.1.1";
}
