namespace MedImageCleaner.Network;

/// <summary>Limits and timers of one association (either role).</summary>
public sealed record AssociationOptions
{
    public static AssociationOptions Default { get; } = new();

    /// <summary>The largest P-DATA-TF PDU we accept (announced to the peer); bounded by
    /// <see cref="NetworkDefaults.MaxPduLengthLimit"/>.</summary>
    public uint MaxPduLength { get; init; } = NetworkDefaults.MaxPduLength;

    /// <summary>The largest PDU we send, whatever the peer allows (0 or more than the peer allows: the peer's limit).</summary>
    public uint MaxSendPduLength { get; init; } = 1024 * 1024;

    /// <summary>ARTIM (PS3.8 9.1.5): how long we wait for the A-ASSOCIATE-RQ/-AC/-RJ and for the A-RELEASE-RP, and
    /// for the peer to close after a reject or abort.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long we wait for the next PDU of a message or response, and for a write to complete (DIMSE timeout).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>SCP: how long an association may stay idle between messages before we abort it.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>SCU: TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public string ImplementationClassUid { get; init; } = NetworkDefaults.ImplementationClassUid;

    public string ImplementationVersionName { get; init; } = NetworkDefaults.ImplementationVersionName;
}
