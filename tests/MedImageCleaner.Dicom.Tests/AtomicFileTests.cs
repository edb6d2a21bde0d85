using MedImageCleaner.Dicom.IO;
using Xunit;

namespace MedImageCleaner.Dicom.Tests;

/// <summary>
/// AtomicFile on both of its paths: the Linux unnamed file linked into place, and the named temporary file renamed
/// into place. The tests run serially: they switch the process-wide path.
/// </summary>
[Collection(nameof(AtomicFileTests))]
[CollectionDefinition(nameof(AtomicFileTests), DisableParallelization = true)]
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mic-atomic-").FullName;

    public static TheoryData<bool> Paths => new() { true, false };

    public void Dispose()
    {
        AtomicFile.LinuxTempFile.Enabled = true;
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Nothing_is_visible_until_commit_and_nothing_is_left_on_discard(bool unnamed)
    {
        AtomicFile.LinuxTempFile.Enabled = unnamed;
        var target = Path.Combine(_dir, "a.bin");
        using (var pending = AtomicFile.Create(target))
        {
            pending.Stream.Write(new byte[] { 1, 2, 3 });
            Assert.False(File.Exists(target));
            Assert.Equal(3, pending.Length);
        }

        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Commit_writes_the_bytes_and_refuses_to_overwrite_unless_asked(bool unnamed)
    {
        AtomicFile.LinuxTempFile.Enabled = unnamed;
        var target = Path.Combine(_dir, "b.bin");
        using (var first = AtomicFile.Create(target))
        {
            first.Stream.Write("first"u8);
            Assert.True(first.TryCommit(overwrite: false));
        }

        using (var second = AtomicFile.Create(target))
        {
            second.Stream.Write("second"u8);
            Assert.False(second.TryCommit(overwrite: false));
            Assert.Equal("first", File.ReadAllText(target));
            Assert.True(second.TryCommit(overwrite: true));
        }

        Assert.Equal("second", File.ReadAllText(target));
        Assert.Equal(["b.bin"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
        Assert.Throws<IOException>(() => AtomicFile.Write(target, overwrite: false, s => s.Write("third"u8)));
        Assert.Equal("second", File.ReadAllText(target));
        Assert.Equal(["b.bin"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_large_file_written_in_pieces_arrives_whole()
    {
        var target = Path.Combine(_dir, "c.bin");
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(5).NextBytes(data);
        AtomicFile.Write(target, overwrite: false, s =>
        {
            for (var i = 0; i < data.Length; i += 65536)
            {
                s.Write(data, i, Math.Min(65536, data.Length - i));
            }
        });
        Assert.Equal(data, File.ReadAllBytes(target));
    }

    [Fact]
    public void A_missing_folder_is_an_IOException()
    {
        Assert.ThrowsAny<IOException>(() => AtomicFile.Create(Path.Combine(_dir, "missing", "d.bin")));
    }
}
