using System.Diagnostics;

namespace MedImageCleaner.Network;

/// <summary>The outcome of a C-ECHO (Test-DicomConnection).</summary>
public sealed record DicomConnectionTestResult
{
    public required string ComputerName { get; init; }

    public required int Port { get; init; }

    public required string CalledAETitle { get; init; }

    public required string CallingAETitle { get; init; }

    /// <summary>True when the association was accepted and the C-ECHO answered with Success.</summary>
    public bool Success { get; init; }

    /// <summary>Accepted, Rejected, Aborted, Refused (no Verification context), Failed (connection, timeout, protocol).</summary>
    public required string Outcome { get; init; }

    /// <summary>The C-ECHO round trip (request sent to response read); null when no echo was made.</summary>
    public TimeSpan? RoundTripTime { get; init; }

    /// <summary>Connect and association negotiation time.</summary>
    public TimeSpan? AssociationTime { get; init; }

    /// <summary>The C-ECHO status, when a response came.</summary>
    public ushort? Status { get; init; }

    /// <summary>Why it failed: the A-ASSOCIATE-RJ result/source/reason, the abort, or the error; "Accepted" on success.</summary>
    public required string Reason { get; init; }

    public string? RemoteImplementationClassUid { get; init; }

    public string? RemoteImplementationVersionName { get; init; }

    /// <summary>The peer's maximum PDU length (0: no limit).</summary>
    public uint? RemoteMaxPduLength { get; init; }
}

/// <summary>C-ECHO SCU as one call: connect, associate, echo, release; every failure becomes a result.</summary>
public static class ConnectionTester
{
    public static async Task<DicomConnectionTestResult> TestAsync(DicomPeer peer, AssociationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var result = new DicomConnectionTestResult
        {
            ComputerName = peer.Host,
            Port = peer.Port,
            CalledAETitle = peer.CalledAETitle,
            CallingAETitle = peer.CallingAETitle,
            Outcome = "Failed",
            Reason = string.Empty,
        };
        var watch = Stopwatch.StartNew();
        try
        {
            await using var association = await DicomClient.ConnectAsync(peer, [(NetworkDefaults.VerificationSopClass, [Dicom.TransferSyntax.ImplicitVRLittleEndian.Uid, Dicom.TransferSyntax.ExplicitVRLittleEndian.Uid])], options, null, cancellationToken).ConfigureAwait(false);
            result = result with
            {
                AssociationTime = watch.Elapsed,
                RemoteImplementationClassUid = association.Accept.ImplementationClassUid,
                RemoteImplementationVersionName = association.Accept.ImplementationVersionName,
                RemoteMaxPduLength = association.Accept.MaxPduLength,
            };
            if (association.FindContext(NetworkDefaults.VerificationSopClass) is null)
            {
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                return result with { Outcome = "Refused", Reason = "The peer accepted the association but not the Verification SOP class." };
            }

            var (status, rtt) = await association.EchoAsync(cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            var ok = status == DimseStatus.Success;
            return result with { Success = ok, Outcome = "Accepted", Status = status, RoundTripTime = rtt, Reason = ok ? "Accepted" : "C-ECHO status " + DimseStatus.Describe(status) };
        }
        catch (AssociationRejectedException ex)
        {
            return result with { Outcome = "Rejected", Reason = "A-ASSOCIATE-RJ: " + (ex.Reject?.Describe() ?? ex.Message) };
        }
        catch (AssociationAbortedException ex)
        {
            return result with { Outcome = "Aborted", Reason = ex.Message };
        }
        catch (DicomNetworkException ex)
        {
            return result with { Outcome = "Failed", Reason = ex.Message };
        }
    }
}
