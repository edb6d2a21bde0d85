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

    /// <summary>Storage SOP classes a C-GET proposes (uncompressed, SCP role) besides the study's own classes.</summary>
    public static IReadOnlyList<string> DefaultStorageSopClasses { get; } =
    [
        .. new StoreClientOptions().CommonSopClasses,
        "1.2.840.10008.5.1.4.1.1.1.1.1", // Digital X-Ray Image - For Processing
        "1.2.840.10008.5.1.4.1.1.1.2.1", // Digital Mammography X-Ray Image - For Processing
        "1.2.840.10008.5.1.4.1.1.4.2", // MR Spectroscopy
        "1.2.840.10008.5.1.4.1.1.6.2", // Enhanced US Volume
        "1.2.840.10008.5.1.4.1.1.7.1", // Multi-frame Single Bit Secondary Capture
        "1.2.840.10008.5.1.4.1.1.7.2", // Multi-frame Grayscale Byte Secondary Capture
        "1.2.840.10008.5.1.4.1.1.7.3", // Multi-frame Grayscale Word Secondary Capture
        "1.2.840.10008.5.1.4.1.1.7.4", // Multi-frame True Color Secondary Capture
        "1.2.840.10008.5.1.4.1.1.11.1", // Grayscale Softcopy Presentation State
        "1.2.840.10008.5.1.4.1.1.12.2", // X-Ray Radiofluoroscopic Image
        "1.2.840.10008.5.1.4.1.1.13.1.3", // Breast Tomosynthesis Image
        "1.2.840.10008.5.1.4.1.1.66.4", // Segmentation
        "1.2.840.10008.5.1.4.1.1.88.11", // Basic Text SR
        "1.2.840.10008.5.1.4.1.1.88.33", // Comprehensive SR
        "1.2.840.10008.5.1.4.1.1.88.59", // Key Object Selection Document
        "1.2.840.10008.5.1.4.1.1.128.1", // Legacy Converted Enhanced PET
        "1.2.840.10008.5.1.4.1.1.130", // Enhanced PET Image
        "1.2.840.10008.5.1.4.1.1.481.2", // RT Dose
        "1.2.840.10008.5.1.4.1.1.481.3", // RT Structure Set
        "1.2.840.10008.5.1.4.1.1.481.5", // RT Plan
        "1.2.840.10008.5.1.4.1.1.9.1.1", // 12-lead ECG Waveform
        "1.2.840.10008.5.1.4.1.1.77.1.4", // VL Photographic Image
    ];

    /// <summary>
    /// The SOP classes of a study as the peer reports them (SOP Classes in Study, a study-level return key some
    /// peers compute, e.g. Orthanc); empty when it does not say or the query fails.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SopClassesInStudyAsync(DicomPeer peer, AssociationOptions options, string studyInstanceUid, CancellationToken cancellationToken = default)
    {
        var identifier = QueryIdentifier.ForStudies([studyInstanceUid]);
        QueryIdentifier.Key(identifier, DicomTag.SOPClassesInStudy, DicomVR.UI);
        var classes = new List<string>();
        try
        {
            await foreach (var ds in FindClient.FindAsync(peer, options, identifier, new FindOutcome(), cancellationToken).ConfigureAwait(false))
            {
                foreach (var uid in ds.GetStrings(DicomTag.SOPClassesInStudy))
                {
                    var trimmed = uid.Trim().TrimEnd('\0');
                    if (trimmed.Length > 0 && !classes.Contains(trimmed))
                    {
                        classes.Add(trimmed);
                    }
                }
            }
        }
        catch (DicomNetworkException)
        {
            // not offered: the default list is proposed
        }

        return classes;
    }

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
