namespace MedImageCleaner.Core.Deidentification;

public static partial class SafePrivateTable
{
    /// <summary>The edition of PS3.15 the table was compiled from.</summary>
    public const string Edition = "pending";

    private static readonly HashSet<(string Creator, ushort Group, byte Element)> Entries = [];
}
