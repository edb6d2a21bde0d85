using System.Collections;
using System.Globalization;

namespace MedImageCleaner.Core.Results;

/// <summary>
/// Counts by name (e.g. attributes per de-identification action) that print flat: ToString() gives
/// "Keep=3;Remove=5", so Export-Csv and string interpolation write the counts, not a type name. A missing name counts 0.
/// </summary>
public sealed class CountDictionary : IReadOnlyDictionary<string, int>
{
    private readonly SortedDictionary<string, int> _counts;

    /// <summary>A table with the counts of <paramref name="counts"/> (copied).</summary>
    public CountDictionary(IEnumerable<KeyValuePair<string, int>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in counts)
        {
            _counts[key] = value;
        }
    }

    /// <summary>An empty table.</summary>
    public static CountDictionary Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _counts.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _counts.Keys;

    /// <inheritdoc/>
    public IEnumerable<int> Values => _counts.Values;

    /// <summary>The count for <paramref name="key"/>, 0 when there is none.</summary>
    public int this[string key] => _counts.TryGetValue(key, out var value) ? value : 0;

    /// <summary>The table of <paramref name="counts"/> (itself when it is one already).</summary>
    public static CountDictionary From(IReadOnlyDictionary<string, int>? counts) => counts switch
    {
        null => Empty,
        CountDictionary table => table,
        _ => new CountDictionary(counts),
    };

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _counts.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out int value) => _counts.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _counts.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>"Name=count;Name=count", names in ordinal order.</summary>
    public override string ToString() => string.Join(';', _counts.Select(kv => kv.Key + "=" + kv.Value.ToString(CultureInfo.InvariantCulture)));
}
