using System.Collections.ObjectModel;

namespace MedImageCleaner.Core.Results;

/// <summary>
/// A read-only list that prints flat: ToString() joins the items' own text with "; ", so Export-Csv writes the items
/// (codes, boxes, file names), not a type name.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class FlatCollection<T> : ReadOnlyCollection<T>
{
    /// <summary>A list of <paramref name="items"/> (copied).</summary>
    public FlatCollection(IEnumerable<T> items)
        : base([.. items])
    {
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join("; ", this.Select(i => i?.ToString()));
}

/// <summary>Makes <see cref="FlatCollection{T}"/>s.</summary>
public static class FlatCollection
{
    /// <summary>The flat list of <paramref name="items"/> (itself when it is one already; empty for null).</summary>
    public static FlatCollection<T> From<T>(IEnumerable<T>? items) => items switch
    {
        null => EmptyOf<T>.Value,
        FlatCollection<T> list => list,
        _ => new FlatCollection<T>(items),
    };

    /// <summary>An empty list.</summary>
    public static FlatCollection<T> Empty<T>() => EmptyOf<T>.Value;

    private static class EmptyOf<T>
    {
        public static readonly FlatCollection<T> Value = new([]);
    }
}
