using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using MedImageCleaner.Network;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>How Copy-DicomStudy retrieves.</summary>
public enum RetrieveMethod
{
    /// <summary>C-MOVE: the peer sends the instances to our receiver (its AE title and port must be known to the peer).</summary>
    Move,

    /// <summary>C-GET: the instances come back on the same association (no receiver, no configuration at the peer).</summary>
    Get,
}

/// <summary>
/// <para type="synopsis">Retrieves whole studies from a PACS into a folder (C-MOVE or C-GET) and writes each file as it lands.</para>
/// <para type="description">
/// For each Study Instance UID (given, or piped from Find-DicomStudy with its peer), asks the peer to send the study:
/// -Method Move (default) with a C-MOVE to our own receiver, started in this command on -ReceivePort as
/// -ReceiveAETitle (the peer must know that AE title with this host and port); -Method Get with a C-GET, the instances
/// arriving as C-STORE requests on the same association. Each instance is written atomically to -Destination as
/// &lt;SOP Instance UID&gt;.dcm and written to the pipeline at once. The final counts (completed, failed, warning) are
/// reported: failures as a RetrieveFailed error, warnings as a warning. Ctrl+C sends a C-CANCEL.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Copy, "DicomStudy", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Copy-DicomStudy.md")]
[OutputType(typeof(ReceivedInstance))]
public sealed class CopyDicomStudyCommand : DicomScuCommand
{
    /// <summary>The peer reported failed sub-operations or a failure status.</summary>
    public const string RetrieveFailed = "RetrieveFailed";

    private readonly BlockingCollection<object> _events = [];
    private DicomServer? _receiver;
    private string? _destination;
    private int _studies;

    /// <summary>The studies to retrieve.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] StudyInstanceUid { get; set; } = [];

    /// <summary>The folder the instances are written to (created when missing).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Move (C-MOVE to our receiver, default) or Get (C-GET).</summary>
    [Parameter]
    public RetrieveMethod Method { get; set; } = RetrieveMethod.Move;

    /// <summary>-Method Move: the port our receiver listens on (default 11113); the peer sends there.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int ReceivePort { get; set; } = 11113;

    /// <summary>-Method Move: the AE title of our receiver, the move destination (default: -CallingAETitle).</summary>
    [Parameter]
    public string? ReceiveAETitle { get; set; }

    /// <summary>-Method Move: the address our receiver listens on (default: every IPv4 address).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var whatIf = SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true
                     || (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent);
        _destination ??= Destinations.RequireWritableFolder(this, Destination, nameof(Destination), whatIf);
        var peer = Peer();
        var receiveAe = NetworkParameters.RequireAETitle(this, ReceiveAETitle ?? peer.CallingAETitle, nameof(ReceiveAETitle));
        foreach (var uid in StudyInstanceUid)
        {
            // The target names the study by its position, not its UID: ShouldProcess messages reach the verbose stream.
            _studies++;
            if (Stop.IsCancellationRequested || !ShouldProcess($"study #{_studies}", $"Retrieve from {peer} (C-{Method.ToString().ToUpperInvariant()}) into '{_destination}'"))
            {
                continue;
            }

            var storage = new StorageService(new StorageServiceOptions { Destination = _destination }, Enqueue);
            if (Method == RetrieveMethod.Move)
            {
                StartReceiver(receiveAe, storage);
            }

            var options = Options();
            var identifier = QueryIdentifier.ForStudies([uid]);
            var task = Method == RetrieveMethod.Move
                ? RetrieveClient.MoveAsync(peer, options, identifier, receiveAe, Enqueue, Stop.Token)
                : GetAsync(peer, options, uid, identifier, storage);
            Pump(task, peer);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing() => StopReceiver();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopReceiver();
            _events.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<RetrieveProgress> GetAsync(DicomPeer peer, AssociationOptions options, string uid, Dicom.DicomDataset identifier, StorageService storage)
    {
        var preferred = await RetrieveClient.SopClassesInStudyAsync(peer, options, uid, Stop.Token).ConfigureAwait(false);
        return await RetrieveClient.GetAsync(peer, options, identifier, storage, RetrieveClient.DefaultStorageSopClasses, preferred, Enqueue, Stop.Token).ConfigureAwait(false);
    }

    private void Enqueue(object item)
    {
        try
        {
            _events.Add(item);
        }
        catch (ObjectDisposedException)
        {
            // the command has ended; the file is on disk
        }
    }

    private void StartReceiver(string ae, StorageService storage)
    {
        if (_receiver is not null)
        {
            return;
        }

        if (!IPAddress.TryParse(ListenAddress, out var address))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-ListenAddress '{ListenAddress}' is not an IP address."), "InvalidListenAddress", ErrorCategory.InvalidArgument, ListenAddress));
        }

        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        var server = new DicomServer(
            new DicomServerOptions { AETitle = ae, Association = new AssociationOptions { ArtimTimeout = timeout, ReadTimeout = timeout } },
            [new EchoService(), storage]);
        try
        {
            server.Start(address!, ReceivePort);
        }
        catch (SocketException ex)
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"Cannot listen on {ListenAddress}:{ReceivePort}: {ex.SocketErrorCode}.", ex), "PortUnavailable", ErrorCategory.ResourceUnavailable, ReceivePort));
        }

        _receiver = server;
        WriteVerbose($"Receiving on {server.LocalEndPoint} as {ae} (the move destination).");
    }

    private void StopReceiver()
    {
        var receiver = Interlocked.Exchange(ref _receiver, null);
        receiver?.StopAsync(TimeSpan.FromSeconds(Stop.IsCancellationRequested ? 0 : 5)).GetAwaiter().GetResult();
    }

    /// <summary>The pipeline thread: writes each file as it lands and shows the counts until the retrieve ends.</summary>
    private void Pump(Task<RetrieveProgress> task, DicomPeer peer)
    {
        var progress = new ProgressRecord(ProgressIds.CopyDicomStudy, "Copy-DicomStudy", $"C-{Method.ToString().ToUpperInvariant()} from {peer}");
        var received = 0;
        while (!task.IsCompleted || _events.Count > 0)
        {
            if (!_events.TryTake(out var item, 100))
            {
                continue;
            }

            if (item is ReceivedInstance instance)
            {
                received++;
                LiveInput.Write(this, instance);
            }
            else if (item is RetrieveProgress p)
            {
                var total = p.Completed + p.Failed + p.Warning + (p.Remaining ?? 0);
                progress.StatusDescription = $"{p.Completed} completed, {p.Failed} failed, {p.Warning} warning, {p.Remaining?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} remaining";
                progress.PercentComplete = total > 0 ? Math.Min(100, 100 * (total - (p.Remaining ?? 0)) / total) : -1;
                WriteProgress(progress);
            }
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        Report(task, peer, received);
    }

    private void Report(Task<RetrieveProgress> task, DicomPeer peer, int received)
    {
        RetrieveProgress final;
        try
        {
            final = task.GetAwaiter().GetResult();
        }
        catch (DicomNetworkException ex)
        {
            WriteNetworkError(ex, peer);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var counts = $"{final.Completed} completed, {final.Failed} failed, {final.Warning} warning";
        WriteVerbose($"C-{Method.ToString().ToUpperInvariant()} {peer}: {DimseStatus.Describe(final.Status)}; {counts}; {received} file(s) received.");
        if (final.Failed > 0 || final.StatusKind is DimseStatusKind.Failure)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"{peer} ended the C-{Method.ToString().ToUpperInvariant()} with {DimseStatus.Describe(final.Status)}: {counts}{(final.ErrorComment is { Length: > 0 } c ? " (" + c + ")" : string.Empty)}."),
                RetrieveFailed,
                ErrorCategory.InvalidResult,
                peer.ToString()));
        }
        else if (final.Warning > 0 || final.StatusKind is DimseStatusKind.Warning)
        {
            WriteWarning($"{peer} ended the C-{Method.ToString().ToUpperInvariant()} with {DimseStatus.Describe(final.Status)}: {counts}.");
        }
    }
}
