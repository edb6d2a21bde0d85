using System.Globalization;
using System.Management.Automation;
using MedImageCleaner.Network;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sends DICOM files to a peer (C-STORE SCU).</para>
/// <para type="description">
/// Sends each file over one association, reused for every file and renegotiated when a file brings a new SOP class or
/// transfer syntax. Each file is offered in its own transfer syntax, and native (uncompressed) files also in Explicit and
/// Implicit VR Little Endian: a native file the peer takes only in another uncompressed syntax is converted; a compressed
/// file the peer refuses fails with StoreRefused. Transient failures (connection, timeout, abort, out of resources) are
/// retried. -ThrottleLimit N sends over N associations at once. Writes a SentDicomFile per file (status code and text,
/// transfer syntax); failures are non-terminating errors naming the file. Results of Remove-DicomPhi and
/// Remove-BurnedInText bind by FullName; quarantined or failed results are not sent (InputNotReleased).
/// </para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DicomFile", DefaultParameterSetName = DefaultSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Send-DicomFile.md")]
[OutputType(typeof(SentDicomFile))]
public sealed class SendDicomFileCommand : FileInputCommand, IDisposable
{
    private static readonly string[] NotReleased = ["Quarantined", "Failed", "Planned", "Skipped"];
    private FilePipeline<string, StoreResult>? _pipeline;
    private StoreClientPool? _pool;
    private DicomPeer? _peer;

    /// <summary>The peer's host name or address.</summary>
    [Parameter(Mandatory = true)]
    [Alias("Host", "CN")]
    [ValidateNotNullOrEmpty]
    public string ComputerName { get; set; } = string.Empty;

    /// <summary>The peer's DICOM port (default 104).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 104;

    /// <summary>The peer's AE title.</summary>
    [Parameter(Mandatory = true)]
    [Alias("AET")]
    public string CalledAETitle { get; set; } = string.Empty;

    /// <summary>Our AE title (default MEDIMGCLEAN).</summary>
    [Parameter]
    public string CallingAETitle { get; set; } = "MEDIMGCLEAN";

    /// <summary>Associations used at once (default 1: one association, files in input order).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>Further attempts for a file after a transient failure (default 2).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int RetryCount { get; set; } = 2;

    /// <summary>Seconds to wait for the connection, the association and each response (default 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The largest PDU we accept from the peer (bytes; default 262144).</summary>
    [Parameter]
    [ValidateRange(4096, 16777216)]
    public int MaxPduLength { get; set; } = (int)NetworkDefaults.MaxPduLength;

    /// <summary>The Status of a piped result (Remove-BurnedInText, Remove-DicomPhi): quarantined or failed files are not sent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet, DontShow = true)]
    public object? Status { get; set; }

    /// <summary>The Passed property of a piped Test-Deidentification report: a file that failed the check is not sent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet, DontShow = true)]
    public object? Passed { get; set; }

    /// <inheritdoc/>
    private protected override void Begin()
    {
        _peer = new DicomPeer
        {
            Host = ComputerName,
            Port = Port,
            CalledAETitle = NetworkParameters.RequireAETitle(this, CalledAETitle, nameof(CalledAETitle)),
            CallingAETitle = NetworkParameters.RequireAETitle(this, CallingAETitle, nameof(CallingAETitle)),
        };
        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        var options = new StoreClientOptions
        {
            MaxRetries = RetryCount,
            Association = new AssociationOptions { ConnectTimeout = timeout, ArtimTimeout = timeout, ReadTimeout = timeout, MaxPduLength = (uint)MaxPduLength },
        };
        var pool = _pool = new StoreClientPool(_peer, options);
        _pipeline = new FilePipeline<string, StoreResult>(
            ThrottleLimit, (path, token) => pool.StoreAsync(path, token).GetAwaiter().GetResult(), ProgressIds.SendDicomFile, "Send-DicomFile", "Sending to " + _peer);
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var status = Status is PSObject ps ? ps.BaseObject : Status;
        var passed = Passed is PSObject pp ? pp.BaseObject : Passed;
        var refused = (status is not null && Array.IndexOf(NotReleased, Convert.ToString(status, CultureInfo.InvariantCulture)) >= 0) || passed is false;
        foreach (var (file, _) in ResolveInputs())
        {
            if (_pipeline!.IsStopping)
            {
                return;
            }

            if (refused)
            {
                var why = passed is false ? "it failed Test-Deidentification" : $"its status is {status}";
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"'{file}' is not sent: {why}."), "InputNotReleased", ErrorCategory.InvalidData, file));
                continue;
            }

            if (!ShouldProcess(file, $"Send to {_peer}"))
            {
                continue;
            }

            _pipeline.Submit(this, file);
            _pipeline.Drain(this, Emit, block: false);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        _pipeline?.Complete(this, Emit);
        if (_pool is not null)
        {
            WriteVerbose($"{_pipeline?.Completed ?? 0} files over {_pool.AssociationsOpened} association(s) with {_peer}.");
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _pipeline?.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        _pipeline?.Dispose();
        _pool?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Emit(StoreResult result)
    {
        if (result.Status is not { } code)
        {
            var (id, category) = result.ErrorKind switch
            {
                "NotDicom" => ("NotDicomFile", ErrorCategory.InvalidData),
                "ReadFailed" => ("DicomReadFailed", ErrorCategory.ReadError),
                "Refused" => ("StoreRefused", ErrorCategory.InvalidOperation),
                "Rejected" => ("AssociationRejected", ErrorCategory.ConnectionError),
                _ => ("AssociationFailed", ErrorCategory.ConnectionError),
            };
            var attempts = result.Attempts > 1 ? $" after {result.Attempts} attempts" : string.Empty;
            WriteError(new ErrorRecord(new InvalidOperationException($"'{result.Path}' was not stored on {_peer}{attempts}: {result.Error}"), id, category, result.Path));
            return;
        }

        switch (DimseStatus.Classify(code))
        {
            case DimseStatusKind.Success:
                break;
            case DimseStatusKind.Warning:
                WriteWarning($"'{result.Path}': {_peer} stored it with {DimseStatus.Describe(code)}.");
                break;
            default:
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"'{result.Path}' was refused by {_peer}: {DimseStatus.Describe(code)}."), "StoreFailed", ErrorCategory.InvalidResult, result.Path));
                return;
        }

        if (result.Converted)
        {
            WriteVerbose($"'{result.Path}' was converted to {Dicom.TransferSyntax.Lookup(result.TransferSyntaxUid!).Name} (the peer did not accept its own syntax).");
        }

        WriteObject(SentDicomFile.From(result, _peer!));
    }
}
