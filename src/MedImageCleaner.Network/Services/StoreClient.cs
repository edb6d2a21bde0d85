using System.Diagnostics;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Network;

/// <summary>Settings of a <see cref="StoreClient"/>.</summary>
public sealed record StoreClientOptions
{
    public AssociationOptions Association { get; init; } = AssociationOptions.Default;

    /// <summary>Further attempts after a transient failure (connection, timeout, abort, transient reject, A7xx).</summary>
    public int MaxRetries { get; init; } = 2;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most presentation contexts kept on one association (older SOP class/syntax pairs are dropped).</summary>
    public int MaxContexts { get; init; } = 64;

    /// <summary>
    /// SOP classes proposed on every association in Explicit and Implicit VR Little Endian, so that native files of
    /// these common classes share one association instead of one renegotiation per new class.
    /// </summary>
    public IReadOnlyList<string> CommonSopClasses { get; init; } =
    [
        "1.2.840.10008.5.1.4.1.1.2", // CT Image
        "1.2.840.10008.5.1.4.1.1.2.1", // Enhanced CT Image
        "1.2.840.10008.5.1.4.1.1.4", // MR Image
        "1.2.840.10008.5.1.4.1.1.4.1", // Enhanced MR Image
        "1.2.840.10008.5.1.4.1.1.1", // Computed Radiography Image
        "1.2.840.10008.5.1.4.1.1.1.1", // Digital X-Ray Image - For Presentation
        "1.2.840.10008.5.1.4.1.1.1.2", // Digital Mammography X-Ray Image - For Presentation
        "1.2.840.10008.5.1.4.1.1.6.1", // Ultrasound Image
        "1.2.840.10008.5.1.4.1.1.3.1", // Ultrasound Multi-frame Image
        "1.2.840.10008.5.1.4.1.1.7", // Secondary Capture Image
        "1.2.840.10008.5.1.4.1.1.12.1", // X-Ray Angiographic Image
        "1.2.840.10008.5.1.4.1.1.20", // Nuclear Medicine Image
        "1.2.840.10008.5.1.4.1.1.128", // Positron Emission Tomography Image
        "1.2.840.10008.5.1.4.1.1.481.1", // RT Image
        "1.2.840.10008.5.1.4.1.1.88.22", // Enhanced SR
        "1.2.840.10008.5.1.4.1.1.104.1", // Encapsulated PDF
    ];

    /// <summary>Files up to this size are converted in memory; larger ones through a temporary file.</summary>
    public long InMemoryConversionLimit { get; init; } = 64L * 1024 * 1024;
}

/// <summary>The outcome of one C-STORE.</summary>
/// <param name="Path">The file sent.</param>
/// <param name="Status">The peer's status (null when no response came: see <paramref name="Error"/>).</param>
/// <param name="SopClassUid">The SOP class (a UID of the standard, no PHI).</param>
/// <param name="TransferSyntaxUid">The transfer syntax the data set went in.</param>
/// <param name="Converted">True when the data set was re-encoded because the peer did not accept the file's syntax.</param>
/// <param name="Attempts">Attempts made (1 without retries).</param>
/// <param name="Elapsed">Time for the last attempt.</param>
/// <param name="Bytes">Data set bytes sent.</param>
/// <param name="Error">Why no status came, or why the file could not be offered.</param>
/// <param name="ErrorKind">NotDicom, Refused (no acceptable context), Network.</param>
public sealed record StoreResult(string Path, ushort? Status, string? SopClassUid, string? TransferSyntaxUid, bool Converted, int Attempts, TimeSpan Elapsed, long Bytes, string? Error, string? ErrorKind)
{
    public DimseStatusKind? StatusKind => Status is { } s ? DimseStatus.Classify(s) : null;
}

/// <summary>
/// C-STORE SCU: sends files over one association, reused while the files' SOP class and transfer syntax pairs are
/// covered, and renegotiated (released and opened again with the pairs seen so far) when a new pair appears. Not
/// thread-safe: use one per worker.
/// </summary>
public sealed class StoreClient(DicomPeer peer, StoreClientOptions? options = null) : IAsyncDisposable
{
    private readonly StoreClientOptions _options = options ?? new StoreClientOptions();
    private readonly List<(string SopClass, string Syntax)> _pairs = [];
    private readonly Dictionary<(string, string), IReadOnlyList<string>> _offers = [];
    private Association? _association;
    private HashSet<(string, string)> _covered = [];

    /// <summary>Associations opened so far (renegotiations included).</summary>
    public int AssociationsOpened { get; private set; }

    /// <summary>Sends one file; never throws for a per-file problem (the result says what happened).</summary>
    public async Task<StoreResult> StoreAsync(string path, CancellationToken cancellationToken = default)
    {
        StorableFile file;
        try
        {
            file = StorableFile.Inspect(path);
        }
        catch (DicomReadException ex)
        {
            return new StoreResult(path, null, null, null, false, 0, TimeSpan.Zero, 0, ex.Message, ex is NotDicomException ? "NotDicom" : "ReadFailed");
        }

        var attempts = 0;
        while (true)
        {
            attempts++;
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await StoreOnceAsync(file, cancellationToken).ConfigureAwait(false) with { Attempts = attempts, Elapsed = watch.Elapsed };
                if (result.Status is { } s && (s & 0xFF00) == 0xA700 && attempts <= _options.MaxRetries)
                {
                    await Task.Delay(_options.RetryDelay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return result;
            }
            catch (DicomNetworkException ex) when (!cancellationToken.IsCancellationRequested)
            {
                await DropAssociationAsync().ConfigureAwait(false);
                if (!ex.IsTransient || attempts > _options.MaxRetries)
                {
                    return new StoreResult(path, null, file.SopClassUid, null, false, attempts, watch.Elapsed, 0, ex.Message, ex is AssociationRejectedException ? "Rejected" : "Network");
                }

                await Task.Delay(_options.RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Releases the association (if any).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_association is { } a)
        {
            _association = null;
            try
            {
                await a.ReleaseAsync().ConfigureAwait(false);
            }
            finally
            {
                await a.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<StoreResult> StoreOnceAsync(StorableFile file, CancellationToken cancellationToken)
    {
        var key = (file.SopClassUid, file.TransferSyntax.Uid);
        if (_association is null || _association.IsClosed || !_covered.Contains(key))
        {
            await OpenAsync(file, key, cancellationToken).ConfigureAwait(false);
        }

        var association = _association!;
        var context = association.FindContext(file.SopClassUid, file.TransferSyntax.Uid);
        var converted = !file.HasPart10Meta;
        if (context is null && !file.TransferSyntax.IsEncapsulated)
        {
            context = association.FindContext(file.SopClassUid, TransferSyntax.ExplicitVRLittleEndian.Uid)
                      ?? association.FindContext(file.SopClassUid, TransferSyntax.ImplicitVRLittleEndian.Uid);
            converted = true;
        }

        if (context is null)
        {
            var why = file.TransferSyntax.IsEncapsulated
                ? "The peer does not accept " + DicomUids.GetName(file.SopClassUid) + " in " + file.TransferSyntax.Name + " (compressed files are not converted)."
                : "The peer does not accept " + DicomUids.GetName(file.SopClassUid) + " in any transfer syntax we can send.";
            return new StoreResult(file.Path, null, file.SopClassUid, null, false, 0, TimeSpan.Zero, 0, why, "Refused");
        }

        var syntax = TransferSyntax.Lookup(context.AcceptedTransferSyntax!);
        var request = DimseCommand.CreateStoreRequest(association.NextMessageId(), file.SopClassUid, file.SopInstanceUid);
        long bytes;
        await using (var data = converted ? Convert(file, syntax) : OpenRaw(file))
        {
            bytes = data.Length - data.Position;
            await association.SendMessageAsync(context.Id, request, data, cancellationToken).ConfigureAwait(false);
        }

        var response = await association.ReceiveResponseAsync(request.MessageId, null, cancellationToken).ConfigureAwait(false);
        return new StoreResult(file.Path, response.Command.Status, file.SopClassUid, syntax.Uid, converted, 1, TimeSpan.Zero, bytes, null, null);
    }

    private async Task OpenAsync(StorableFile file, (string, string) key, CancellationToken cancellationToken)
    {
        await DropAssociationAsync(release: true).ConfigureAwait(false);
        if (!_offers.ContainsKey(key))
        {
            _pairs.Add(key);
            _offers[key] = file.ProposedSyntaxes();
            if (_pairs.Count > _options.MaxContexts)
            {
                _offers.Remove(_pairs[0]);
                _pairs.RemoveAt(0);
            }
        }

        var contexts = new List<(string, IReadOnlyList<string>)>(_pairs.Count + _options.CommonSopClasses.Count);
        var covered = new HashSet<(string, string)>();
        foreach (var pair in _pairs)
        {
            contexts.Add((pair.SopClass, _offers[pair]));
            covered.Add(pair);
        }

        IReadOnlyList<string> native = [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];
        foreach (var sopClass in _options.CommonSopClasses)
        {
            if (contexts.Count >= 128)
            {
                break;
            }

            if (covered.Add((sopClass, native[0])) | covered.Add((sopClass, native[1])))
            {
                contexts.Add((sopClass, native));
            }
        }

        _association = await DicomClient.ConnectAsync(peer, contexts, _options.Association, null, cancellationToken).ConfigureAwait(false);
        _covered = covered;
        AssociationsOpened++;
    }

    private async Task DropAssociationAsync(bool release = false)
    {
        if (_association is { } a)
        {
            _association = null;
            if (release && !a.IsClosed)
            {
                await a.ReleaseAsync().ConfigureAwait(false);
            }

            await a.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static FileStream OpenRaw(StorableFile file)
    {
        var fs = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        fs.Position = file.DataSetOffset;
        return fs;
    }

    private Stream Convert(StorableFile file, TransferSyntax syntax)
    {
        using var source = DicomFile.Open(file.Path);
        if (new FileInfo(file.Path).Length <= _options.InMemoryConversionLimit)
        {
            var ms = new MemoryStream();
            DicomWriter.WriteDataset(ms, source.Dataset, syntax);
            ms.Position = 0;
            return ms;
        }

        var temp = Path.Combine(Path.GetTempPath(), "mic-store-" + Guid.NewGuid().ToString("N") + ".tmp");
        var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        DicomWriter.WriteDataset(fs, source.Dataset, syntax);
        fs.Position = 0;
        return fs;
    }
}
