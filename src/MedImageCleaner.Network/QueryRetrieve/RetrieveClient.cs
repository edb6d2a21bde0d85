using MedImageCleaner.Dicom;

namespace MedImageCleaner.Network;

/// <summary>The counts of a C-MOVE or C-GET (PS3.4 C.4.2/C.4.3): from a pending response, or the final one.</summary>
/// <param name="Status">The response status.</param>
/// <param name="Remaining">Sub-operations remaining (null when the peer did not say).</param>
/// <param name="Completed">Sub-operations completed.</param>
/// <param name="Failed">Sub-operations failed.</param>
/// <param name="Warning">Sub-operations completed with a warning.</param>
/// <param name="ErrorComment">The peer's Error Comment (a status text; no data set value).</param>
public sealed record RetrieveProgress(ushort Status, int? Remaining, int Completed, int Failed, int Warning, string? ErrorComment)
{
    public DimseStatusKind StatusKind => DimseStatus.Classify(Status);

    internal static RetrieveProgress From(DimseCommand command)
    {
        int? Count(DicomTag tag) => command.Dataset.Contains(tag) ? command.GetUShort(tag) : null;
        return new RetrieveProgress(
            command.Status,
            Count(CommandTag.NumberOfRemainingSuboperations),
            Count(CommandTag.NumberOfCompletedSuboperations) ?? 0,
            Count(CommandTag.NumberOfFailedSuboperations) ?? 0,
            Count(CommandTag.NumberOfWarningSuboperations) ?? 0,
            command.ErrorComment);
    }
}

/// <summary>
/// C-MOVE and C-GET SCU (Study Root). C-MOVE asks the peer to send the instances to an AE it knows (our receiver,
/// running elsewhere); C-GET brings them back as C-STORE sub-operations on the same association, answered here by a
/// <see cref="StorageService"/> (the storage SOP classes are proposed with the SCP role, PS3.7 D.3.3.4).
/// Cancelling sends a C-CANCEL-RQ and waits briefly for the final response.
/// </summary>
public static class RetrieveClient
{
    private static readonly string[] Uncompressed = [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>Encapsulated and other syntaxes proposed (one context each) for the preferred storage classes of a C-GET.</summary>
    public static IReadOnlyList<string> CompressedSyntaxes { get; } =
    [
        "1.2.840.10008.1.2.4.70", // JPEG Lossless SV1
        "1.2.840.10008.1.2.4.50", // JPEG Baseline
        "1.2.840.10008.1.2.4.51", // JPEG Extended
        "1.2.840.10008.1.2.4.57", // JPEG Lossless
        "1.2.840.10008.1.2.4.80", // JPEG-LS Lossless
        "1.2.840.10008.1.2.4.81", // JPEG-LS Near-lossless
        "1.2.840.10008.1.2.4.90", // JPEG 2000 Lossless
        "1.2.840.10008.1.2.4.91", // JPEG 2000
        "1.2.840.10008.1.2.5", // RLE Lossless
        "1.2.840.10008.1.2.2", // Explicit VR Big Endian (retired)
    ];

    /// <summary>C-MOVE: the peer sends the matching instances to <paramref name="moveDestination"/>.</summary>
    /// <exception cref="DicomNetworkException">Connection, rejection, protocol error, or no Study Root MOVE context.</exception>
    public static async Task<RetrieveProgress> MoveAsync(DicomPeer peer, AssociationOptions options, DicomDataset identifier, string moveDestination, Action<RetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        await using var association = await DicomClient.ConnectAsync(peer, [(QueryRetrieveSopClass.StudyRootMove, Uncompressed)], options, null, cancellationToken).ConfigureAwait(false);
        var request = NewRequest(association, QueryRetrieveSopClass.StudyRootMove, CommandField.CMoveRequest);
        request.SetString(CommandTag.MoveDestination, AeTitle.Check(moveDestination, nameof(moveDestination)));
        return await RunAsync(association, request, identifier, null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// C-GET: the peer sends the matching instances back on this association; <paramref name="storage"/> stores
    /// them. <paramref name="storageSopClasses"/> are proposed in Explicit/Implicit VR Little Endian with the SCP
    /// role; the first of <paramref name="preferredSopClasses"/> also with each of <see cref="CompressedSyntaxes"/>
    /// (one context each, while the 128 contexts last), so compressed instances arrive as they are stored.
    /// </summary>
    public static async Task<RetrieveProgress> GetAsync(DicomPeer peer, AssociationOptions options, DicomDataset identifier, StorageService storage, IReadOnlyList<string> storageSopClasses, IReadOnlyList<string> preferredSopClasses, Action<RetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(storageSopClasses);
        ArgumentNullException.ThrowIfNull(preferredSopClasses);
        var contexts = new List<(string, IReadOnlyList<string>)> { (QueryRetrieveSopClass.StudyRootGet, Uncompressed) };
        var roles = new List<RoleSelection>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cls in preferredSopClasses.Concat(storageSopClasses))
        {
            if (contexts.Count < 128 && seen.Add(cls))
            {
                contexts.Add((cls, Uncompressed));
                roles.Add(new RoleSelection(cls, ScuRole: false, ScpRole: true));
            }
        }

        foreach (var cls in preferredSopClasses)
        {
            foreach (var ts in CompressedSyntaxes)
            {
                if (contexts.Count < 128)
                {
                    contexts.Add((cls, [ts]));
                }
            }
        }

        await using var association = await DicomClient.ConnectAsync(peer, contexts, options, roles, cancellationToken).ConfigureAwait(false);
        var request = NewRequest(association, QueryRetrieveSopClass.StudyRootGet, CommandField.CGetRequest);
        return await RunAsync(association, request, identifier, [storage], progress, cancellationToken).ConfigureAwait(false);
    }

    private static DimseCommand NewRequest(Association association, string sopClass, CommandField field)
    {
        if (association.FindContext(sopClass) is null)
        {
            throw new DicomNetworkException("The peer did not accept Study Root Query/Retrieve - " + (field == CommandField.CGetRequest ? "GET." : "MOVE."));
        }

        return new DimseCommand { AffectedSopClassUid = sopClass, CommandField = field, MessageId = association.NextMessageId(), Priority = 0 };
    }

    private static async Task<RetrieveProgress> RunAsync(Association association, DimseCommand request, DicomDataset identifier, IReadOnlyList<IDimseService>? services, Action<RetrieveProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var pc = association.FindContext(request.AffectedSopClassUid!)!;
        await association.SendMessageAsync(pc.Id, request, QueryIdentifier.Encode(identifier, pc.AcceptedTransferSyntax!), cancellationToken).ConfigureAwait(false);
        using var cancel = new OperationCanceller(association, pc.Id, request.MessageId, cancellationToken);
        while (true)
        {
            DimseMessage rsp;
            try
            {
                rsp = await association.ReceiveResponseAsync(request.MessageId, services, cancel.ReadToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await association.AbortAsync().ConfigureAwait(false);
                throw;
            }

            var state = RetrieveProgress.From(rsp.Command);
            if (state.StatusKind == DimseStatusKind.Pending)
            {
                progress?.Invoke(state);
                continue;
            }

            await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return state;
        }
    }
}
