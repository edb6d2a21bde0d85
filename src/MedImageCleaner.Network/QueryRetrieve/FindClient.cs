using System.Runtime.CompilerServices;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Network;

/// <summary>
/// C-FIND SCU (Study Root, PS3.4 C.4.1): one association per query, every pending response's identifier yielded as
/// it arrives. Cancelling the enumeration sends a C-CANCEL-RQ and waits briefly for the final response before the
/// association is released (or aborted when the peer does not answer).
/// </summary>
public static class FindClient
{
    /// <summary>How long we wait for the final response after a C-CANCEL before aborting.</summary>
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    private static readonly string[] Syntaxes = [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>Runs one C-FIND and yields each match. The final status is in <paramref name="outcome"/> once the
    /// enumeration ends.</summary>
    /// <exception cref="DicomNetworkException">Connection, rejection, protocol error, or the peer does not serve Study Root C-FIND.</exception>
    public static async IAsyncEnumerable<DicomDataset> FindAsync(DicomPeer peer, AssociationOptions options, DicomDataset identifier, FindOutcome outcome, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(outcome);
        await using var association = await DicomClient.ConnectAsync(peer, [(QueryRetrieveSopClass.StudyRootFind, Syntaxes)], options, null, cancellationToken).ConfigureAwait(false);
        var pc = association.FindContext(QueryRetrieveSopClass.StudyRootFind)
                 ?? throw new DicomNetworkException("The peer did not accept Study Root Query/Retrieve - FIND.");
        var request = new DimseCommand
        {
            AffectedSopClassUid = QueryRetrieveSopClass.StudyRootFind,
            CommandField = CommandField.CFindRequest,
            MessageId = association.NextMessageId(),
            Priority = 0,
        };
        await association.SendMessageAsync(pc.Id, request, QueryIdentifier.Encode(identifier, pc.AcceptedTransferSyntax!), cancellationToken).ConfigureAwait(false);
        using var cancel = new OperationCanceller(association, pc.Id, request.MessageId, cancellationToken);
        while (true)
        {
            DimseMessage rsp;
            try
            {
                rsp = await association.ReceiveResponseAsync(request.MessageId, null, cancel.ReadToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await association.AbortAsync().ConfigureAwait(false);
                throw;
            }

            var status = rsp.Command.Status;
            if (DimseStatus.Classify(status) == DimseStatusKind.Pending)
            {
                if (!rsp.Command.HasDataSet)
                {
                    continue;
                }

                var bytes = await association.ReadDataSetAsync(QueryIdentifier.MaxResponseLength, cancel.ReadToken).ConfigureAwait(false);
                outcome.Matches++;
                if (!cancellationToken.IsCancellationRequested)
                {
                    yield return QueryIdentifier.Decode(bytes, rsp.TransferSyntax);
                }

                continue;
            }

            outcome.Status = status;
            outcome.ErrorComment = rsp.Command.ErrorComment;
            break;
        }

        await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>The end of a C-FIND: its final status and the number of matches.</summary>
public sealed class FindOutcome
{
    /// <summary>The final response's status (null until it came).</summary>
    public ushort? Status { get; set; }

    /// <summary>The final response's Error Comment, when the peer gave one (a status text, no data set value).</summary>
    public string? ErrorComment { get; set; }

    /// <summary>Pending responses with an identifier.</summary>
    public int Matches { get; set; }
}

/// <summary>
/// Sends a C-CANCEL-RQ (PS3.7 9.3.2.3) for an outstanding request when the caller's token fires, and from then on
/// gives the reads only <see cref="FindClient.CancelGrace"/> more before they are cancelled too.
/// </summary>
internal sealed class OperationCanceller : IDisposable
{
    private readonly CancellationTokenSource _reads = new();
    private readonly CancellationTokenRegistration _registration;

    public OperationCanceller(Association association, byte contextId, ushort messageId, CancellationToken token)
    {
        _registration = token.Register(() =>
        {
            _reads.CancelAfter(FindClient.CancelGrace);
            var cancel = new DimseCommand { CommandField = CommandField.CCancelRequest, MessageIdBeingRespondedTo = messageId };
            _ = SendQuietlyAsync(association, contextId, cancel);
        });
    }

    /// <summary>The token for reads: cancelled a grace period after the caller cancelled.</summary>
    public CancellationToken ReadToken => _reads.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _reads.Dispose();
    }

    private static async Task SendQuietlyAsync(Association association, byte contextId, DimseCommand cancel)
    {
        try
        {
            await association.SendMessageAsync(contextId, cancel, (Stream?)null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomNetworkException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // the association is going away; the read side ends it
        }
    }
}
