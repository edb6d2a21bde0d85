using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedImageCleaner.Core.Deidentification;
using MedImageCleaner.Core.Phi;
using MedImageCleaner.Core.Validation;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Audit;

/// <summary>
/// The PHI of one file row, kept only encrypted: the source path, an output path that may hold PHI, the message, the
/// mappings and (since vault version 2) the identifying values of the source header, for residual-identifier scans.
/// </summary>
internal sealed record VaultContent(string SourcePath, string? OutputPath, string? Message, IReadOnlyList<IdentityMapping> Mappings)
{
    /// <summary>The source header's identifying values; null in rows recorded before they were sealed (version 1).</summary>
    public IReadOnlyList<IdentifyingValue>? HeaderValues { get; init; }
}

/// <summary>
/// AES-256-GCM under a sub-key of the de-identification key (HKDF, purpose "audit-vault"). A blob is
/// nonce (12) | tag (16) | ciphertext, bound to its row by associated data (session id and file id), so a blob moved
/// to another row fails authentication. Lookups are HMAC-SHA256 of a pseudonym under the key ("audit-lookup").
/// </summary>
internal sealed class AuditVault : IDisposable
{
    public const int NonceSize = 12;
    public const int TagSize = 16;
    private const string KeyCheckText = "MedImageCleaner audit vault key check v1";
    private readonly DeidentificationKey _key;
    private readonly byte[] _vaultKey;

    public AuditVault(DeidentificationKey key)
    {
        _key = key;
        _vaultKey = key.DeriveKey("audit-vault", 32);
    }

    public byte[] Lookup(string pseudonym) => _key.Hmac("audit-lookup", pseudonym);

    public string SourcePathHash(string sourcePath) => Convert.ToHexStringLower(_key.Hmac("audit-source-path", sourcePath));

    public byte[] KeyCheck(string sessionId) => Seal(Encoding.UTF8.GetBytes(KeyCheckText), KeyCheckAad(sessionId));

    public bool OpensKeyCheck(string sessionId, byte[] blob) => TryOpen(blob, KeyCheckAad(sessionId), out _);

    public byte[] Seal(VaultContent content, string sessionId, string fileId) => Seal(Serialize(content), RowAad(sessionId, fileId));

    public bool TryOpen(byte[] blob, string sessionId, string fileId, out VaultContent? content)
    {
        content = null;
        if (!TryOpen(blob, RowAad(sessionId, fileId), out var plain))
        {
            return false;
        }

        try
        {
            content = Deserialize(plain);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_vaultKey);

    private static byte[] KeyCheckAad(string sessionId) => Encoding.UTF8.GetBytes("mic-audit-keycheck-v1\0" + sessionId);

    private static byte[] RowAad(string sessionId, string fileId) => Encoding.UTF8.GetBytes("mic-audit-vault-v1\0" + sessionId + "\0" + fileId);

    private byte[] Seal(byte[] plain, byte[] aad)
    {
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_vaultKey, TagSize);
        gcm.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), aad);
        CryptographicOperations.ZeroMemory(plain);
        return blob;
    }

    private bool TryOpen(byte[] blob, byte[] aad, out byte[] plain)
    {
        plain = [];
        if (blob.Length < NonceSize + TagSize)
        {
            return false;
        }

        var result = new byte[blob.Length - NonceSize - TagSize];
        try
        {
            using var gcm = new AesGcm(_vaultKey, TagSize);
            gcm.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), result, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        plain = result;
        return true;
    }

    private static byte[] Serialize(VaultContent content)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteNumber("v", content.HeaderValues is null ? 1 : 2);
            w.WriteString("sourcePath", content.SourcePath);
            w.WriteString("outputPath", content.OutputPath);
            w.WriteString("message", content.Message);
            w.WriteStartArray("mappings");
            foreach (var m in content.Mappings)
            {
                w.WriteStartObject();
                w.WriteString("kind", m.Kind);
                w.WriteString("original", m.Original);
                w.WriteString("pseudonym", m.Pseudonym);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (content.HeaderValues is { } values)
            {
                w.WriteStartArray("identifiers");
                foreach (var v in values)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", v.Kind.ToString());
                    w.WriteNumber("tag", v.Tag.Value);
                    w.WriteString("value", v.Value);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    private static VaultContent Deserialize(byte[] plain)
    {
        using var doc = JsonDocument.Parse(plain);
        var root = doc.RootElement;
        var mappings = new List<IdentityMapping>();
        foreach (var m in root.GetProperty("mappings").EnumerateArray())
        {
            mappings.Add(new IdentityMapping(m.GetProperty("kind").GetString()!, m.GetProperty("original").GetString()!, m.GetProperty("pseudonym").GetString()!));
        }

        List<IdentifyingValue>? values = null;
        if (root.TryGetProperty("identifiers", out var identifiers))
        {
            values = [];
            foreach (var v in identifiers.EnumerateArray())
            {
                if (Enum.TryParse<IdentifyingValueKind>(v.GetProperty("kind").GetString(), out var kind))
                {
                    values.Add(new IdentifyingValue(kind, new DicomTag(v.GetProperty("tag").GetUInt32()), v.GetProperty("value").GetString()!));
                }
            }
        }

        return new VaultContent(
            root.GetProperty("sourcePath").GetString()!,
            root.GetProperty("outputPath").GetString(),
            root.GetProperty("message").GetString(),
            mappings)
        {
            HeaderValues = values,
        };
    }
}
