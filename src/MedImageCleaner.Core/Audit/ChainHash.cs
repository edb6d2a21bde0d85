using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MedImageCleaner.Core.Audit;

/// <summary>
/// The row hash of the audit chain: SHA-256 over a canonical, unambiguous encoding of the table name, the chain
/// position and every stored column (name and typed value, the previous row's hash included).
/// </summary>
internal static class ChainHash
{
    /// <summary>The previous hash of the first row.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("MedImageCleaner audit chain v1");

    /// <summary>Hashes a row. Values are string, long, byte[] or null (DBNull is taken as null), in the order of <paramref name="columns"/>.</summary>
    public static string Compute(string table, IReadOnlyList<string> columns, IReadOnlyList<object?> values, string? extraName = null, byte[]? extra = null)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(Domain);
        AppendText(h, table);
        for (var i = 0; i < columns.Count; i++)
        {
            AppendText(h, columns[i]);
            AppendValue(h, values[i]);
        }

        if (extraName is not null)
        {
            AppendText(h, extraName);
            AppendValue(h, extra);
        }

        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    private static void AppendValue(IncrementalHash h, object? value)
    {
        Span<byte> head = stackalloc byte[9];
        switch (value)
        {
            case null or DBNull:
                head[0] = 0;
                h.AppendData(head[..1]);
                break;
            case long n:
                head[0] = 1;
                BinaryPrimitives.WriteInt64BigEndian(head[1..], n);
                h.AppendData(head);
                break;
            case string s:
                var bytes = Encoding.UTF8.GetBytes(s);
                head[0] = 2;
                BinaryPrimitives.WriteInt64BigEndian(head[1..], bytes.Length);
                h.AppendData(head);
                h.AppendData(bytes);
                break;
            case byte[] b:
                head[0] = 3;
                BinaryPrimitives.WriteInt64BigEndian(head[1..], b.Length);
                h.AppendData(head);
                h.AppendData(b);
                break;
            default:
                throw new ArgumentException("A chained column holds text, integers, blobs or null.", nameof(value));
        }
    }

    private static void AppendText(IncrementalHash h, string text) => AppendValue(h, text);
}
