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
public sealed class TestDicomConnectionCommand : DicomScuCommand
{
    /// <summary>Waits 10 seconds by default: a gate should not hang on a peer that is down.</summary>
    public TestDicomConnectionCommand()
        : base(defaultTimeoutSeconds: 10)
    {
    }

    /// <summary>Write only $true (the echo succeeded) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var peer = Peer();
        var options = Options();
        WriteVerbose($"C-ECHO {peer.CallingAETitle} -> {peer}.");
        DicomConnectionTestResult result;
        try
        {
            result = ConnectionTester.TestAsync(peer, options, Stop.Token).GetAwaiter().GetResult();
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
}
