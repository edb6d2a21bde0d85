using System.Text.Json;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Core.Redaction;

/// <summary>
/// The folder for files that could not be made safe: each file is placed there with a reason file next to it
/// (<c>&lt;name&gt;.reason.json</c>: a stable reason id and a message, never a DICOM value). The folder is never inside
/// the clean output.
/// </summary>
public sealed class Quarantine
{
    /// <summary>The suffix of reason files.</summary>
    public const string ReasonSuffix = ".reason.json";

    public Quarantine(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The quarantine folder.</summary>
    public string Directory { get; }

    /// <summary>The default quarantine of a clean output folder: a sibling folder named &lt;folder&gt;-quarantine.</summary>
    public static string DefaultFor(string cleanDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(cleanDirectory));
        return full + "-quarantine";
    }

    /// <summary>
    /// Puts a copy of <paramref name="file"/> (or the file itself when <paramref name="move"/>) into the quarantine
    /// with its reason; returns the quarantined path. An existing quarantined file of the same name is replaced.
    /// </summary>
    public string Place(string file, string reasonId, string message, bool move)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, Path.GetFileName(file));
        if (move)
        {
            File.Move(file, target, overwrite: true);
        }
        else
        {
            AtomicFile.Write(target, overwrite: true, stream =>
            {
                using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                source.CopyTo(stream, 1 << 16);
            });
        }

        WriteReason(target, reasonId, message);
        return target;
    }

    private static void WriteReason(string quarantined, string reasonId, string message) =>
        AtomicFile.Write(quarantined + ReasonSuffix, overwrite: true, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("file", Path.GetFileName(quarantined));
            json.WriteString("reason", reasonId);
            json.WriteString("message", message);
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("tool", "MedImageCleaner");
            json.WriteEndObject();
        });
}
