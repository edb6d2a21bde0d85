using System.Management.Automation;
using MedImageCleaner.Network;
using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks that a DICOM peer answers: association and C-ECHO (Verification).</para>
/// <para type="description">
/// Opens an association with the peer (called AE title, our calling AE title), sends a C-ECHO and releases. Writes an
/// object with Success, the round-trip time and, when it failed, the reason: the A-ASSOCIATE-RJ result, source and
/// reason, an abort, or the connection error. -Quiet writes only $true or $false.
/// </para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DicomConnection", HelpUri = HelpLinks.Base + "Test-DicomConnection.md")]
[OutputType(typeof(DicomConnectionTestResult), typeof(bool))]
public sealed class TestDicomConnectionCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

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

    /// <summary>Seconds to wait for the connection, the association and the response (default 10).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Write only $true (the echo succeeded) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var peer = new DicomPeer
        {
            Host = ComputerName,
            Port = Port,
            CalledAETitle = NetworkParameters.RequireAETitle(this, CalledAETitle, nameof(CalledAETitle)),
            CallingAETitle = NetworkParameters.RequireAETitle(this, CallingAETitle, nameof(CallingAETitle)),
        };
        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        var options = new AssociationOptions { ConnectTimeout = timeout, ArtimTimeout = timeout, ReadTimeout = timeout };
        WriteVerbose($"C-ECHO {peer.CallingAETitle} -> {peer}.");
        DicomConnectionTestResult result;
        try
        {
            result = ConnectionTester.TestAsync(peer, options, _stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!result.Success)
        {
            WriteVerbose($"{peer}: {result.Outcome}: {result.Reason}");
        }

        WriteObject(Quiet ? result.Success : result);
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc/>
    public void Dispose() => _stop.Dispose();
}
