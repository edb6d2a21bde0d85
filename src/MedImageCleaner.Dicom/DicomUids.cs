using System.Collections.Frozen;

namespace MedImageCleaner.Dicom;

/// <summary>Names of well-known UIDs: the storage SOP classes (generated, see <see cref="Edition"/>) and the transfer syntaxes the library knows.</summary>
public static partial class DicomUids
{
    /// <summary>The name of a SOP class or transfer syntax UID; trailing NUL or space padding is ignored.</summary>
    public static bool TryGetName(string uid, out string name)
    {
        ArgumentNullException.ThrowIfNull(uid);
        return Tables.Names.TryGetValue(uid.TrimEnd('\0', ' '), out name!);
    }

    /// <summary>The name of a SOP class or transfer syntax UID, or the UID itself (without padding) when it is not known.</summary>
    public static string GetName(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var clean = uid.TrimEnd('\0', ' ');
        return Tables.Names.TryGetValue(clean, out var name) ? name : clean;
    }

    /// <summary>Built on first use, after <see cref="GeneratedSopClasses"/> is set (initializer order across partial files is unspecified).</summary>
    private static class Tables
    {
        public static readonly FrozenDictionary<string, string> Names = BuildNames();
    }

    private static FrozenDictionary<string, string> BuildNames()
    {
        var d = new Dictionary<string, string>(GeneratedSopClasses.Length + 64, StringComparer.Ordinal);
        foreach (var (uid, name, _) in GeneratedSopClasses)
        {
            d[uid] = name;
        }

        foreach (var ts in TransferSyntax.All)
        {
            d.TryAdd(ts.Uid, ts.Name);
        }

        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
