using MedImageCleaner.Dicom.IO;
using Microsoft.Win32.SafeHandles;

namespace MedImageCleaner.Dicom;

/// <summary>
/// A DICOM Part 10 file (or bare dataset) read into memory as headers plus references to large values. Dispose it to
/// release the source file when large values stayed on disk.
/// </summary>
public sealed class DicomFile : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly FileStream? _inflated;

    private DicomFile(DicomDataset meta, DicomDataset dataset, TransferSyntax syntax, IReadOnlyList<DicomReadWarning> warnings, bool hadPreamble, string? path, SafeFileHandle? handle, FileStream? inflated)
    {
        FileMetaInfo = meta;
        Dataset = dataset;
        TransferSyntax = syntax;
        Warnings = warnings;
        HadPreamble = hadPreamble;
        FilePath = path;
        _handle = handle;
        _inflated = inflated;
    }

    /// <summary>Creates a new file for writing from a dataset.</summary>
    public DicomFile(DicomDataset dataset, TransferSyntax? syntax = null)
    {
        FileMetaInfo = new DicomDataset();
        Dataset = dataset;
        TransferSyntax = syntax ?? TransferSyntax.ExplicitVRLittleEndian;
        Warnings = [];
        HadPreamble = true;
    }

    /// <summary>The file meta information (group 0002) as read; the writer regenerates it.</summary>
    public DicomDataset FileMetaInfo { get; }

    /// <summary>The dataset.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax the dataset was read with (or will be written with, for new files).</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>What the reader tolerated. Never holds values.</summary>
    public IReadOnlyList<DicomReadWarning> Warnings { get; }

    /// <summary>True when the file had the 128-byte preamble and DICM prefix.</summary>
    public bool HadPreamble { get; }

    /// <summary>The path the file was read from, when read from a file.</summary>
    public string? FilePath { get; }

    /// <summary>Reads a file. Small files are read into memory and the file is closed at once; larger ones keep it open (read-only, shared read) until disposed.</summary>
    /// <exception cref="DicomReadException">The file is not DICOM or cannot be read; carries the path, never a value.</exception>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Default;
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DicomReadException("The file cannot be opened: " + ex.GetType().Name + ".", ex) { FilePath = path };
        }

        var keepOpen = false;
        try
        {
            var length = RandomAccess.GetLength(handle);
            DicomInput input;
            if (length <= options.InMemoryThreshold)
            {
                var bytes = GC.AllocateUninitializedArray<byte>((int)length);
                var total = 0;
                while (total < bytes.Length)
                {
                    var n = RandomAccess.Read(handle, bytes.AsSpan(total), total);
                    if (n <= 0)
                    {
                        break;
                    }

                    total += n;
                }

                input = new DicomInput(bytes.AsMemory(0, total));
            }
            else
            {
                input = new DicomInput(handle, 0, length);
                keepOpen = true;
            }

            var file = Read(input, options, path, keepOpen ? handle : null);
            keepOpen = keepOpen && file._handle is not null;
            return file;
        }
        catch (MedImageCleanerException ex) when (ex.FilePath is null)
        {
            throw Rethrow(ex, path);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or OutOfMemoryException)
        {
            throw new DicomReadException("The file cannot be read as DICOM (" + ex.GetType().Name + ").", ex) { FilePath = path };
        }
        finally
        {
            if (!keepOpen)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/>, reading a file of at most <paramref name="inMemoryLimit"/> bytes into memory in
    /// one read (returned in <paramref name="bytes"/>, for callers that also hash or scan them) and larger files
    /// through a handle (<paramref name="bytes"/> null). Throws as <see cref="Open(string, DicomReadOptions?)"/> does.
    /// </summary>
    public static DicomFile Open(string path, long inMemoryLimit, out byte[]? bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        bytes = null;
        if (new FileInfo(path).Length > inMemoryLimit)
        {
            return Open(path);
        }

        bytes = File.ReadAllBytes(path);
        return Open(bytes, name: path);
    }

    /// <summary>Reads DICOM bytes held in memory.</summary>
    public static DicomFile Open(ReadOnlyMemory<byte> bytes, DicomReadOptions? options = null, string? name = null)
    {
        options ??= DicomReadOptions.Default;
        try
        {
            return Read(new DicomInput(bytes), options, name, null);
        }
        catch (MedImageCleanerException ex) when (ex.FilePath is null && name is not null)
        {
            throw Rethrow(ex, name);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or IOException)
        {
            throw new DicomReadException("The input cannot be read as DICOM (" + ex.GetType().Name + ").", ex) { FilePath = name };
        }
    }

    /// <summary>Writes the file (see <see cref="DicomWriter"/>).</summary>
    public void Save(Stream destination, DicomWriteOptions? options = null) => DicomWriter.Write(destination, this, options ?? DicomWriteOptions.Default);

    /// <summary>Writes the file to a path, through a temporary file renamed into place (never a partial file).</summary>
    public void Save(string path, DicomWriteOptions? options = null, bool overwrite = false) =>
        AtomicFile.Write(path, overwrite, stream => Save(stream, options));

    public void Dispose()
    {
        _handle?.Dispose();
        _inflated?.Dispose();
    }

    private static DicomFile Read(DicomInput input, DicomReadOptions options, string? path, SafeFileHandle? handle)
    {
        var warnings = new List<DicomReadWarning>();
        var reader = new DicomReader(input, options, warnings);
        var (meta, dataset, syntax) = reader.ReadFile();
        if (meta.Count == 0 && dataset.Count == 0)
        {
            throw new NotDicomException("The input holds no DICOM elements.") { FilePath = path };
        }

        return new DicomFile(meta, dataset, syntax, warnings, reader.HadPreamble, path, handle, reader.InflatedFile);
    }

    private static DicomReadException Rethrow(MedImageCleanerException ex, string path) => ex switch
    {
        NotDicomException n => new NotDicomException(n.Message, n) { FilePath = path },
        DicomLimitExceededException l => new DicomLimitExceededException(l.Message, l.Offset, l.Tag) { FilePath = path },
        DicomReadException r => new DicomReadException(r.Message, r) { FilePath = path, Offset = r.Offset, Tag = r.Tag },
        _ => new DicomReadException(ex.Message, ex) { FilePath = path },
    };
}
