using System.Buffers.Binary;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Network;

/// <summary>Where and how a <see cref="StorageService"/> stores what it receives.</summary>
public sealed record StorageServiceOptions
{
    /// <summary>The folder instances are written to (as &lt;SOP Instance UID&gt;.dcm).</summary>
    public required string Destination { get; init; }

    /// <summary>Below this many free bytes on the destination's volume a C-STORE is refused with 0xA700.</summary>
    public long MinFreeDiskBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Accept SOP classes this build does not know (private ones); known non-storage classes are refused.</summary>
    public bool AcceptUnknownSopClasses { get; init; } = true;
}

/// <summary>An instance received and stored (raised after the file is complete and in place).</summary>
/// <param name="FullName">The stored Part 10 file.</param>
/// <param name="SopClassUid">The SOP class.</param>
/// <param name="SopInstanceUid">The SOP instance (the file name).</param>
/// <param name="TransferSyntaxUid">The transfer syntax it arrived (and is stored) in.</param>
/// <param name="CallingAETitle">Who sent it.</param>
/// <param name="RemoteHost">From where.</param>
/// <param name="Length">The file's size in bytes.</param>
/// <param name="ReceivedAt">When it was complete.</param>
public sealed record ReceivedInstance(string FullName, string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, string CallingAETitle, string? RemoteHost, long Length, DateTimeOffset ReceivedAt)
{
    /// <summary>The file name (the SOP Instance UID and .dcm).</summary>
    public string Name => Path.GetFileName(FullName);
}

/// <summary>
/// C-STORE SCP: streams each data set, as it arrives, into a temporary file after a file meta built from the
/// command and the context (Part 10, PS3.10), and renames it to &lt;SOP Instance UID&gt;.dcm when the last fragment
/// is in. A data set cut short (abort, timeout, stop) leaves nothing behind and is never reported.
/// </summary>
public sealed class StorageService(StorageServiceOptions options, Action<ReceivedInstance> stored, TimeProvider? clock = null) : IDimseService
{
    private static readonly CommandField[] Handled = [CommandField.CStoreRequest];
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public IReadOnlyCollection<CommandField> Commands => Handled;

    public bool SupportsSopClass(string sopClassUid) =>
        sopClassUid != NetworkDefaults.VerificationSopClass &&
        (DicomUids.TryGetName(sopClassUid, out var name) ? name.Contains("Storage", StringComparison.Ordinal) : options.AcceptUnknownSopClasses);

    public string? ChooseTransferSyntax(string sopClassUid, IReadOnlyList<string> proposed) => TransferSyntaxPolicy.FirstKnown(proposed);

    public async Task HandleAsync(DimseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = request.Command;
        var instance = command.AffectedSopInstanceUid;
        var sopClass = command.AffectedSopClassUid ?? request.Context.AbstractSyntax;
        if (!command.HasDataSet || !IsUid(instance) || !IsUid(sopClass))
        {
            // A UID names the file: anything but digits and dots could escape the folder.
            await SkipAsync(request, cancellationToken).ConfigureAwait(false);
            await request.RespondAsync(DimseStatus.CannotUnderstand, rsp => rsp.ErrorComment = "Bad SOP UIDs", cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        if (FreeBytes() < options.MinFreeDiskBytes)
        {
            await SkipAsync(request, cancellationToken).ConfigureAwait(false);
            await request.RespondAsync(DimseStatus.OutOfResources, rsp => rsp.ErrorComment = "Low disk space", cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var path = Path.Combine(options.Destination, instance + ".dcm");
        var syntax = request.Context.AcceptedTransferSyntax!;
        long length;
        using (var pending = AtomicFile.Create(path))
        {
            await using (var buffered = new BufferedStream(pending.Stream, 64 * 1024))
            {
                WriteMeta(buffered, sopClass!, instance!, syntax, request.Association.CallingAETitle);
                await request.CopyDataSetToAsync(buffered, cancellationToken).ConfigureAwait(false);
                await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            length = pending.Length;
            pending.TryCommit(overwrite: true);
        }

        stored(new ReceivedInstance(path, sopClass!, instance!, syntax, request.Association.CallingAETitle, (request.Association.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString(), length, _clock.GetUtcNow()));
        await request.RespondAsync(DimseStatus.Success, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes preamble, "DICM" and the file meta group (Explicit VR Little Endian, PS3.10 7.1).</summary>
    internal static void WriteMeta(Stream destination, string sopClass, string sopInstance, string syntax, string sourceAETitle)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(new DicomElement(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 }));
        meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, syntax);
        meta.AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, NetworkDefaults.ImplementationClassUid);
        meta.AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, NetworkDefaults.ImplementationVersionName);
        meta.AddOrUpdate(DicomTag.SourceApplicationEntityTitle, DicomVR.AE, sourceAETitle);
        long length = 0;
        foreach (var item in meta)
        {
            length += DicomWriter.SizeOf(item, explicitVR: true);
        }

        var gl = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(gl, (uint)length);
        meta.AddOrUpdate(new DicomElement(DicomTag.FileMetaInformationGroupLength, DicomVR.UL, gl));
        destination.Write(new byte[128]);
        destination.Write("DICM"u8);
        DicomWriter.WriteDataset(destination, meta, TransferSyntax.ExplicitVRLittleEndian);
    }

    private static async Task SkipAsync(DimseRequest request, CancellationToken cancellationToken)
    {
        if (request.Command.HasDataSet)
        {
            await request.CopyDataSetToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
    }

    private long FreeBytes()
    {
        if (options.MinFreeDiskBytes <= 0)
        {
            return long.MaxValue;
        }

        try
        {
            return new DriveInfo(Path.GetFullPath(options.Destination)).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }

    private static bool IsUid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64 || uid[0] == '.' || uid[^1] == '.')
        {
            return false;
        }

        foreach (var c in uid)
        {
            if (c != '.' && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
