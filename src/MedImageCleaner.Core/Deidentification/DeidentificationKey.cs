using System.Security.Cryptography;
using System.Text;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Core.Deidentification;

/// <summary>
/// The secret that makes pseudonyms repeatable: the same key and the same original value give the same pseudonym
/// on any machine, with no shared state. The key itself is never logged or stored in outputs; <see cref="KeyId"/>
/// (a hash prefix) identifies it in audit records.
/// </summary>
public sealed class DeidentificationKey : IDisposable
{
    /// <summary>Key files hold this many random bytes (256 bits), base64-encoded on one line after a header.</summary>
    public const int KeySizeBytes = 32;

    private const string Header = "MedImageCleaner de-identification key v1";
    private readonly byte[] _key;

    private DeidentificationKey(byte[] key, bool isEphemeral)
    {
        _key = key;
        IsEphemeral = isEphemeral;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(Combine("key-id", key)))[..16];
    }

    /// <summary>A short public identifier of the key (first 64 bits of a SHA-256 of it), safe to log.</summary>
    public string KeyId { get; }

    /// <summary>True for a key made for one run only: its pseudonyms will not repeat in another run.</summary>
    public bool IsEphemeral { get; }

    /// <summary>Creates a new random key (for a key file or an ephemeral run).</summary>
    public static DeidentificationKey CreateRandom(bool ephemeral = false) => new(RandomNumberGenerator.GetBytes(KeySizeBytes), ephemeral);

    /// <summary>Wraps key bytes (at least 16 bytes).</summary>
    public static DeidentificationKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length < 16)
        {
            throw new DeidentificationConfigurationException("A de-identification key must be at least 128 bits.");
        }

        return new DeidentificationKey(key.ToArray(), false);
    }

    /// <summary>Loads a key file written by <see cref="Save"/>.</summary>
    public static DeidentificationKey Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeidentificationConfigurationException("The key file cannot be read: " + ex.GetType().Name + ".", ex) { FilePath = path };
        }

        if (lines.Length < 2 || lines[0].Trim() != Header)
        {
            throw new DeidentificationConfigurationException("The file is not a MedImageCleaner key file (make one with New-DeidentificationKey).") { FilePath = path };
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(lines[1].Trim());
        }
        catch (FormatException ex)
        {
            throw new DeidentificationConfigurationException("The key file is damaged (its key line is not base64).", ex) { FilePath = path };
        }

        if (bytes.Length < 16)
        {
            throw new DeidentificationConfigurationException("The key in the key file is shorter than 128 bits.") { FilePath = path };
        }

        return new DeidentificationKey(bytes, false);
    }

    /// <summary>Writes the key to a new file readable by its owner only (mode 0600 on Unix). Never overwrites unless asked.</summary>
    public void Save(string path, bool overwrite = false)
    {
        var text = Header + "\n" + Convert.ToBase64String(_key) + "\n";
        var options = new FileStreamOptions
        {
            Mode = overwrite ? FileMode.Create : FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var fs = new FileStream(path, options))
        {
            fs.Write(Encoding.ASCII.GetBytes(text));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>HMAC-SHA256 of a purpose label and a value under the key (domain separated, so the same value gives unrelated results per purpose).</summary>
    public byte[] Hmac(string purpose, string value) => HMACSHA256.HashData(_key, Combine(purpose, Encoding.UTF8.GetBytes(value)));

    /// <summary>Derives a sub-key for another use (e.g. the audit vault's AES-GCM key).</summary>
    public byte[] DeriveKey(string purpose, int length) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, length, info: Encoding.UTF8.GetBytes(purpose));

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private static byte[] Combine(string purpose, byte[] value)
    {
        var p = Encoding.UTF8.GetBytes(purpose);
        var result = new byte[p.Length + 1 + value.Length];
        p.CopyTo(result, 0);
        result[p.Length] = 0;
        value.CopyTo(result, p.Length + 1);
        return result;
    }
}

/// <summary>De-identification cannot start: a bad key file, profile file or option combination.</summary>
public sealed class DeidentificationConfigurationException : MedImageCleanerException
{
    public DeidentificationConfigurationException()
    {
    }

    public DeidentificationConfigurationException(string message)
        : base(message)
    {
    }

    public DeidentificationConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
