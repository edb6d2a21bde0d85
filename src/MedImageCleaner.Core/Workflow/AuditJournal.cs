using System.Security.Cryptography;
using System.Text;
using MedImageCleaner.Core.Audit;
using MedImageCleaner.Core.Deidentification;

namespace MedImageCleaner.Core.Workflow;

/// <summary>
/// The workflow's journal in the audit store. The session's profile text carries a fingerprint of every setting that
/// changes an output (profile options, seed switches, redaction, validation and conversion settings), so only a run
/// with the same key and the same settings counts as having finished an input.
/// </summary>
public sealed class AuditJournal : IWorkflowJournal
{
    private static readonly HashSet<string> QuarantineReasons = new(StringComparer.Ordinal)
    {
        "UnsupportedPixelEncoding", "PixelDecodeFailed", "PixelDataIncomplete", "TextRemains", "ValidationFailed", "InputDamaged",
    };

    private readonly AuditStore _store;
    private readonly string _keyId;
    private readonly string _profile;

    /// <summary>A journal over <paramref name="store"/>, opened with a session whose profile text is <paramref name="profile"/>.</summary>
    public AuditJournal(AuditStore store, string keyId, string profile)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _keyId = keyId;
        _profile = profile;
    }

    /// <summary>The profile text of a workflow session: a description and the fingerprint of <paramref name="settings"/> (name = value, sorted).</summary>
    public static string ProfileText(string description, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var canonical = new StringBuilder();
        foreach (var (name, value) in settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            canonical.Append(name).Append('=').Append(value).Append('\n');
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
        return $"{description}; workflow settings {fingerprint}";
    }

    /// <inheritdoc/>
    public FinishedOutput? FindFinished(string sourceSha256)
    {
        if (_store.FindFinished(_keyId, _profile, sourceSha256) is not { } row)
        {
            return null;
        }

        if (row.Status is "Written" or "Unchanged")
        {
            return new FinishedOutput(row.OutputPath, row.OutputSha256, WorkflowFileStatus.Completed);
        }

        return row.Status == "Failed" && row.ErrorId is not null && QuarantineReasons.Contains(row.ErrorId)
            ? new FinishedOutput(row.OutputPath, row.OutputSha256, WorkflowFileStatus.Quarantined)
            : null;
    }

    /// <inheritdoc/>
    public void Record(DeidentificationResult deidentification, WorkflowFileResult result) => _store.Record(deidentification);
}
