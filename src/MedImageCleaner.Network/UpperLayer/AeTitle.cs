using System.Text;

namespace MedImageCleaner.Network;

/// <summary>Application Entity titles: 1-16 characters of the default repertoire, no backslash or control
/// characters; leading and trailing spaces are not significant (PS3.5 6.2, PS3.8 9.3.2).</summary>
public static class AeTitle
{
    /// <summary>True for a title we can send: 1-16 printable ASCII characters other than backslash, not all spaces.</summary>
    public static bool IsValid(string? title)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Length > 16)
        {
            return false;
        }

        foreach (var c in title)
        {
            if (c < 0x20 || c > 0x7E || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="title"/> is valid.</summary>
    public static string Check(string? title, string parameter) =>
        IsValid(title) ? title!.Trim() : throw new ArgumentException("An AE title is 1 to 16 printable ASCII characters (no backslash).", parameter);

    internal static byte[] ToBytes(string title)
    {
        var b = new byte[16];
        b.AsSpan().Fill((byte)' ');
        var ascii = Encoding.ASCII.GetBytes(title.Trim());
        ascii.AsSpan(0, Math.Min(16, ascii.Length)).CopyTo(b);
        return b;
    }

    internal static string FromBytes(ReadOnlySpan<byte> field)
    {
        var chars = new char[field.Length];
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            chars[i] = c == 0 ? ' ' : c >= 0x20 && c <= 0x7E ? (char)c : '?';
        }

        return new string(chars).Trim(' ', '\0');
    }
}
