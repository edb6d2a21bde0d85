using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MedImageCleaner.Dicom.IO;

/// <summary>
/// Writes files so readers never see a partial file. On Linux the content goes to an unnamed file in the target's
/// folder (<c>O_TMPFILE</c>) that is linked into place when complete: a crash leaves nothing behind, and the file
/// system does one directory update instead of a create and a rename. Elsewhere (or where the file system lacks
/// <c>O_TMPFILE</c>) a temporary file ending in <see cref="TemporarySuffix"/> is renamed into place.
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of temporary files (a later run may remove stale ones).</summary>
    public const string TemporarySuffix = ".mic-partial";

    /// <summary>A new temporary path next to <paramref name="fullPath"/>.</summary>
    public static string TemporaryPathFor(string fullPath) => fullPath + "." + Guid.NewGuid().ToString("N")[..8] + TemporarySuffix;

    /// <summary>
    /// Starts a file at <paramref name="path"/>: write to <see cref="PendingFile.Stream"/>, then
    /// <see cref="PendingFile.TryCommit"/>; disposing without committing discards it.
    /// </summary>
    public static PendingFile Create(string path)
    {
        var full = Path.GetFullPath(path);
        if (LinuxTempFile.TryOpen(Path.GetDirectoryName(full)!, out var handle))
        {
            return new PendingFile(full, handle, temporaryPath: null);
        }

        var temp = TemporaryPathFor(full);
        return new PendingFile(full, File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None), temp);
    }

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>; the stream is unbuffered (callers buffer).</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public static void Write(string path, bool overwrite, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var pending = Create(path);
        write(pending.Stream);
        if (!pending.TryCommit(overwrite))
        {
            throw new IOException($"'{pending.FullPath}' exists; it is overwritten only when asked.");
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

    /// <summary>O_TMPFILE + linkat through /proc/self/fd (no privilege needed).</summary>
    internal static class LinuxTempFile
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkFollow = 0x400;
        private const int OWronly = 0x1;
        private const int OCloexec = 0x80000;
        private const int Eexist = 17;

        // __O_TMPFILE | O_DIRECTORY; O_DIRECTORY differs between architectures.
        private static readonly int OTmpFile = 0x400000 | (RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000);

        private static readonly bool Available = OperatingSystem.IsLinux()
            && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
            && Environment.GetEnvironmentVariable("MEDIMAGECLEANER_NO_TMPFILE") is null
            && Directory.Exists("/proc/self/fd");

        /// <summary>Test hook: false forces the named temporary file path.</summary>
        internal static bool Enabled { get; set; } = true;

        public static bool TryOpen(string directory, out SafeFileHandle handle)
        {
            handle = null!;
            if (!Available || !Enabled)
            {
                return false;
            }

            var fd = Native.Open(directory, OTmpFile | OWronly | OCloexec, Convert.ToUInt32("666", 8));
            if (fd < 0)
            {
                // EOPNOTSUPP/EISDIR/EINVAL (file system without O_TMPFILE), ENOENT, EACCES...: the portable path
                // either works or throws the usual exception.
                return false;
            }

            handle = new SafeFileHandle(fd, ownsHandle: true);
            return true;
        }

        /// <summary>Links the open unnamed file to <paramref name="target"/>: false when the target exists.</summary>
        public static bool TryLink(SafeFileHandle handle, string target)
        {
            var source = "/proc/self/fd/" + handle.DangerousGetHandle().ToInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Native.LinkAt(AtFdCwd, source, AtFdCwd, target, AtSymlinkFollow) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eexist)
            {
                return false;
            }

            throw new IOException($"'{target}' could not be linked into place: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }

        private static class Native
        {
            public static int Open(string path, int flags, uint mode) => OpenZ(Z(path), flags, mode);

            public static int LinkAt(int oldDirFd, string oldPath, int newDirFd, string newPath, int flags) => LinkAtZ(oldDirFd, Z(oldPath), newDirFd, Z(newPath), flags);

            /// <summary>A NUL-terminated UTF-8 copy of a path.</summary>
            private static byte[] Z(string s)
            {
                var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
                System.Text.Encoding.UTF8.GetBytes(s, bytes);
                return bytes;
            }

            [DllImport("libc", EntryPoint = "open", SetLastError = true)]
            private static extern int OpenZ(byte[] path, int flags, uint mode);

            [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
            private static extern int LinkAtZ(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags);
        }
    }
}

/// <summary>A file being written by <see cref="AtomicFile.Create"/>: invisible at its path until committed.</summary>
public sealed class PendingFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string? _temporaryPath;
    private readonly HandleStream _stream;
    private bool _committed;
    private bool _disposed;

    internal PendingFile(string fullPath, SafeFileHandle handle, string? temporaryPath)
    {
        FullPath = fullPath;
        _handle = handle;
        _temporaryPath = temporaryPath;
        _stream = new HandleStream(handle);
    }

    /// <summary>The final path.</summary>
    public string FullPath { get; }

    /// <summary>Write-only, unbuffered (each Write is one system call: callers buffer).</summary>
    public Stream Stream => _stream;

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Position;

    /// <summary>
    /// Puts the file at <see cref="FullPath"/>. Returns false, leaving everything as it was, when a file is there
    /// and <paramref name="overwrite"/> is false.
    /// </summary>
    public bool TryCommit(bool overwrite)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The file is already committed.");
        }

        if (_temporaryPath is null)
        {
            if (!AtomicFile.LinuxTempFile.TryLink(_handle, FullPath))
            {
                if (!overwrite)
                {
                    return false;
                }

                // Replace atomically: link under a temporary name, then rename over the target.
                var temp = AtomicFile.TemporaryPathFor(FullPath);
                if (!AtomicFile.LinuxTempFile.TryLink(_handle, temp))
                {
                    throw new IOException($"'{FullPath}' could not be replaced.");
                }

                try
                {
                    File.Move(temp, FullPath, overwrite: true);
                }
                catch
                {
                    AtomicFile.TryDelete(temp);
                    throw;
                }
            }

            _committed = true;
            _handle.Dispose();
            return true;
        }

        _handle.Dispose();
        if (!overwrite && File.Exists(FullPath))
        {
            return false;
        }

        File.Move(_temporaryPath, FullPath, overwrite);
        _committed = true;
        return true;
    }

    /// <summary>Discards the file unless it was committed.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
        if (!_committed && _temporaryPath is not null)
        {
            AtomicFile.TryDelete(_temporaryPath);
        }
    }

    /// <summary>Sequential positional writes on a handle, no buffering and no seeks.</summary>
    private sealed class HandleStream(SafeFileHandle handle) : Stream
    {
        private long _position;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => !handle.IsClosed;

        public override long Length => _position;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            RandomAccess.Write(handle, buffer, _position);
            _position += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
