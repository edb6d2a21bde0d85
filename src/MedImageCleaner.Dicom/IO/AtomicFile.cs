namespace MedImageCleaner.Dicom.IO;

/// <summary>
/// Writes a file through a temporary file in the same folder renamed into place, so readers never see a partial file
/// and a crash leaves at most a temporary file ending in <see cref="TemporarySuffix"/>.
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of temporary files (a later run may remove stale ones).</summary>
    public const string TemporarySuffix = ".mic-partial";

    /// <summary>A new temporary path next to <paramref name="fullPath"/>.</summary>
    public static string TemporaryPathFor(string fullPath) => fullPath + "." + Guid.NewGuid().ToString("N")[..8] + TemporarySuffix;

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>; the stream is unbuffered (callers buffer).</summary>
    public static void Write(string path, bool overwrite, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = TemporaryPathFor(full);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                write(fs);
                fs.Flush(flushToDisk: false);
            }

            File.Move(temp, full, overwrite);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes a file, ignoring failures (cleanup of our own temporary files).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort: it is our own temporary file
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
