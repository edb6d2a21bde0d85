using System.Management.Automation;
using MedImageCleaner.Dicom;
using MedImageCleaner.Network;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// The connection parameters of Test-DicomConnection and the query/retrieve cmdlets, bound also by property name from
/// their results, and the mapping of network failures to error records.
/// </summary>
public abstract class DicomScuCommand : PSCmdlet, IDisposable
{
    /// <summary>The association was rejected (A-ASSOCIATE-RJ).</summary>
    public const string AssociationRejected = "AssociationRejected";

    /// <summary>No association: connection refused, timeout, abort, protocol error, or the service is not offered.</summary>
    public const string AssociationFailed = "AssociationFailed";

    /// <summary>The peer answered the C-FIND with a failure status.</summary>
    public const string QueryFailed = "QueryFailed";

    private bool _disposed;

    /// <summary>Sets the default of -TimeoutSeconds (30 unless a cmdlet waits less by default).</summary>
    protected DicomScuCommand(int defaultTimeoutSeconds = 30)
    {
        TimeoutSeconds = defaultTimeoutSeconds;
    }

    /// <summary>The peer's host name or address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Host", "CN")]
    [ValidateNotNullOrEmpty]
    public string ComputerName { get; set; } = string.Empty;

    /// <summary>The peer's DICOM port (default 104).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 104;

    /// <summary>The peer's AE title (default ANY-SCP).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AET", "AETitle")]
    public string CalledAETitle { get; set; } = "ANY-SCP";

    /// <summary>Our AE title (default MEDIMGCLEAN).</summary>
    [Parameter]
    public string CallingAETitle { get; set; } = "MEDIMGCLEAN";

    /// <summary>Seconds to wait for the connection, the association and each response (default 30; Test-DicomConnection 10).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; }

    /// <summary>Cancelled by Ctrl+C.</summary>
    protected CancellationTokenSource Stop { get; } = new();

    /// <summary>The peer of the current record, AE titles checked (InvalidAETitle stops the command).</summary>
    protected DicomPeer Peer() => new()
    {
        Host = ComputerName,
        Port = Port,
        CalledAETitle = NetworkParameters.RequireAETitle(this, CalledAETitle, nameof(CalledAETitle)),
        CallingAETitle = NetworkParameters.RequireAETitle(this, CallingAETitle, nameof(CallingAETitle)),
    };

    /// <summary>Association timers from -TimeoutSeconds.</summary>
    protected AssociationOptions Options()
    {
        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        return new AssociationOptions { ConnectTimeout = timeout, ArtimTimeout = timeout, ReadTimeout = timeout };
    }

    /// <summary>Writes a non-terminating error for a network failure with the peer (messages carry no data set value).</summary>
    protected void WriteNetworkError(DicomNetworkException ex, DicomPeer peer)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var id = ex is AssociationRejectedException ? AssociationRejected : AssociationFailed;
        var message = ex is AssociationRejectedException { Reject: { } rj } ? "A-ASSOCIATE-RJ: " + rj.Describe() : ex.Message;
        WriteError(new ErrorRecord(new IOException($"{peer}: {message}", ex), id, ErrorCategory.ConnectionError, peer.ToString()));
    }

    /// <summary>
    /// Runs one C-FIND and calls <paramref name="onMatch"/> on the pipeline thread for each match as it arrives.
    /// Network failures and a failed final status become non-terminating errors; Ctrl+C cancels (C-CANCEL).
    /// </summary>
    protected void RunFind(DicomPeer peer, DicomDataset identifier, Action<DicomDataset> onMatch)
    {
        ArgumentNullException.ThrowIfNull(onMatch);
        var outcome = new FindOutcome();
        var matches = FindClient.FindAsync(peer, Options(), identifier, outcome, Stop.Token).GetAsyncEnumerator(Stop.Token);
        try
        {
            while (matches.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                onMatch(matches.Current);
            }
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
        finally
        {
            matches.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        WriteVerbose($"C-FIND {peer}: {outcome.Matches} match(es), final status {DimseStatus.Describe(outcome.Status ?? 0)}.");
        if (outcome.Status is { } status && DimseStatus.Classify(status) is DimseStatusKind.Failure)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"{peer} answered the C-FIND with {DimseStatus.Describe(status)}{(outcome.ErrorComment is { Length: > 0 } c ? ": " + c : string.Empty)}."),
                QueryFailed,
                ErrorCategory.InvalidResult,
                peer.ToString()));
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => Stop.Cancel();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source (and what a derived command holds).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            Stop.Dispose();
        }

        _disposed = true;
    }
}
