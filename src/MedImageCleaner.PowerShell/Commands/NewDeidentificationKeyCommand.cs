using System.Management.Automation;
using MedImageCleaner.Core.Deidentification;

using MedImageCleaner.PowerShell.Infrastructure;

namespace MedImageCleaner.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Creates a key file for keyed, repeatable pseudonyms, readable by its owner only.</para>
/// <para type="description">
/// Writes 256 random bits to a new key file (mode 0600 on Linux and macOS) and emits its FileInfo with a KeyId
/// property: the key's public identifier, the one audit sessions record. An existing file is replaced only with -Force,
/// and replacing a key makes the pseudonyms made with the old one impossible to re-identify.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.New, "DeidentificationKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "New-DeidentificationKey.md")]
[OutputType(typeof(FileInfo))]
public sealed class NewDeidentificationKeyCommand : PSCmdlet
{
    /// <summary>The key files to create.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            var full = AuditCmdlet.ResolveFilePath(this, path);
            if (full is not null)
            {
                CreateKeyFile(full);
            }
        }
    }

    private void CreateKeyFile(string full)
    {
        var exists = File.Exists(full);
        if (exists && !Force)
        {
            WriteError(new ErrorRecord(
                new IOException($"The key file '{full}' exists; use -Force to replace it (pseudonyms made with the old key can then no longer be re-identified)."),
                "KeyFileExists",
                ErrorCategory.ResourceExists,
                full));
            return;
        }

        if (Directory.Exists(full))
        {
            WriteError(new ErrorRecord(
                new IOException($"'{full}' is a folder; give the path of the key file to create."),
                "KeyFileIsFolder",
                ErrorCategory.InvalidArgument,
                full));
            return;
        }

        if (!ShouldProcess(full, exists ? "Replace the de-identification key file" : "Create a de-identification key file"))
        {
            return;
        }

        var dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        var temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        string keyId;
        try
        {
            using (var key = DeidentificationKey.CreateRandom())
            {
                key.Save(temp);
                keyId = key.KeyId;
            }

            // The key is complete on disk (owner-only) before it takes its name.
            File.Move(temp, full, overwrite: Force);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            var existsNow = !exists && File.Exists(full) && !Force;
            WriteError(new ErrorRecord(
                new IOException(existsNow
                    ? $"The key file '{full}' was created by someone else meanwhile; use -Force to replace it."
                    : $"The key file '{full}' could not be written: {ex.Message}", ex),
                existsNow ? "KeyFileExists" : "KeyFileWriteFailed",
                existsNow ? ErrorCategory.ResourceExists : ErrorCategory.WriteError,
                full));
            return;
        }

        WriteVerbose($"Created the key file '{full}' (key id {keyId}).");
        var result = PSObject.AsPSObject(new FileInfo(full));
        result.Properties.Add(new PSNoteProperty("KeyId", keyId));
        WriteObject(result);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
