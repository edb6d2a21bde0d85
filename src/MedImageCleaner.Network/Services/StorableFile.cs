using System.Buffers.Binary;
using System.Text;
using MedImageCleaner.Dicom;
using MedImageCleaner.Dicom.IO;

namespace MedImageCleaner.Network;

/// <summary>
/// What C-STORE needs to know about a file: SOP class and instance, transfer syntax, and where the data set starts.
/// Part 10 files are read from their file meta only (the data set bytes are then sent as they are, streamed from the
/// file); a file without meta, or whose meta lacks the SOP UIDs, is read by our reader and re-encoded when sent.
/// </summary>
public sealed record StorableFile(string Path, string SopClassUid, string SopInstanceUid, TransferSyntax TransferSyntax, long DataSetOffset, bool HasPart10Meta)
{
    private const int MaxMetaLength = 1024 * 1024;

    /// <summary>Reads the header of <paramref name="path"/> (opened read-only).</summary>
    /// <exception cref="DicomReadException">Not DICOM, damaged, or without SOP class/instance UIDs.</exception>
    public static StorableFile Inspect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        (TransferSyntax Syntax, long Offset)? part10 = null;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            var head = new byte[132];
            if (ReadFully(fs, head) == head.Length && head.AsSpan(128, 4).SequenceEqual("DICM"u8) && TryReadMeta(fs, out var meta, out var end)
                && meta.TryGetValue(DicomTag.TransferSyntaxUID, out var tsUid))
            {
                // The data set's own UIDs win over the meta's (the C-STORE names the data set's instance).
                var syntax = TransferSyntax.Lookup(tsUid);
                if (!syntax.IsDeflated && !syntax.IsBigEndian && ScanSopUids(fs, end, syntax.IsExplicitVR, out var cls, out var inst))
                {
                    cls ??= meta.GetValueOrDefault(DicomTag.MediaStorageSOPClassUID);
                    inst ??= meta.GetValueOrDefault(DicomTag.MediaStorageSOPInstanceUID);
                    if (!string.IsNullOrEmpty(cls) && !string.IsNullOrEmpty(inst))
                    {
                        return new StorableFile(path, cls, inst, syntax, end, HasPart10Meta: true);
                    }
                }
                else
                {
                    part10 = (syntax, end);
                }
            }
        }
        catch (IOException ex)
        {
            throw new DicomReadException("The file cannot be read: " + ex.GetType().Name + ".", ex) { FilePath = path };
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DicomReadException("The file cannot be opened: " + ex.GetType().Name + ".", ex) { FilePath = path };
        }

        using var file = DicomFile.Open(path, new DicomReadOptions { StopBeforePixelData = true });
        var sopClass = FirstNonEmpty(file.Dataset.GetString(DicomTag.SOPClassUID), file.FileMetaInfo.GetString(DicomTag.MediaStorageSOPClassUID));
        var sopInstance = FirstNonEmpty(file.Dataset.GetString(DicomTag.SOPInstanceUID), file.FileMetaInfo.GetString(DicomTag.MediaStorageSOPInstanceUID));
        if (sopClass is null || sopInstance is null)
        {
            throw new DicomReadException("The file has no SOP Class UID or SOP Instance UID, so it cannot be stored.") { FilePath = path };
        }

        return part10 is { } p && p.Syntax == file.TransferSyntax
            ? new StorableFile(path, sopClass, sopInstance, p.Syntax, p.Offset, HasPart10Meta: true)
            : new StorableFile(path, sopClass, sopInstance, file.TransferSyntax, -1, HasPart10Meta: false);
    }

    private static string? FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : !string.IsNullOrEmpty(b) ? b : null;

    /// <summary>
    /// Reads the data set's SOP Class and Instance UIDs from its first elements (little endian, at most 64 KB).
    /// False when it cannot tell (an undefined length before them, damage): the full reader decides then.
    /// </summary>
    private static bool ScanSopUids(FileStream fs, long offset, bool explicitVR, out string? sopClass, out string? sopInstance)
    {
        sopClass = null;
        sopInstance = null;
        var buffer = new byte[(int)Math.Min(64 * 1024, Math.Max(0, fs.Length - offset))];
        fs.Position = offset;
        var n = ReadFully(fs, buffer);
        var span = buffer.AsSpan(0, n);
        var at = 0;
        while (at + 8 <= span.Length)
        {
            var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[at..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 2)..]));
            if (tag.Value > DicomTag.SOPInstanceUID.Value)
            {
                return true;
            }

            int header;
            uint length;
            if (!explicitVR)
            {
                header = 8;
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 4)..]);
            }
            else
            {
                var vr = Encoding.ASCII.GetString(span.Slice(at + 4, 2));
                if (vr is "OB" or "OW" or "UN" or "SQ" or "UT" or "UC" or "UR" or "OF" or "OD" or "OL" or "OV" or "SV" or "UV")
                {
                    if (at + 12 > span.Length)
                    {
                        return false;
                    }

                    header = 12;
                    length = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 8)..]);
                }
                else
                {
                    header = 8;
                    length = BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 6)..]);
                }
            }

            if (length == uint.MaxValue || length > (uint)(span.Length - at - header))
            {
                return false;
            }

            if (tag == DicomTag.SOPClassUID || tag == DicomTag.SOPInstanceUID)
            {
                var value = Encoding.ASCII.GetString(span.Slice(at + header, (int)length)).TrimEnd('\0', ' ');
                if (tag == DicomTag.SOPClassUID)
                {
                    sopClass = value;
                }
                else
                {
                    sopInstance = value;
                    return true;
                }
            }

            at += header + (int)length;
        }

        return false;
    }

    /// <summary>The contexts to propose for this file: its own syntax, plus Explicit and Implicit VR Little Endian
    /// when the pixel data is native (we can convert between those).</summary>
    public IReadOnlyList<string> ProposedSyntaxes()
    {
        if (TransferSyntax.IsEncapsulated)
        {
            return [TransferSyntax.Uid];
        }

        var list = new List<string> { TransferSyntax.Uid };
        foreach (var ts in new[] { TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid })
        {
            if (!list.Contains(ts))
            {
                list.Add(ts);
            }
        }

        return list;
    }

    private static bool TryReadMeta(FileStream fs, out Dictionary<DicomTag, string> meta, out long end)
    {
        meta = [];
        end = fs.Position;
        var header = new byte[12];
        while (true)
        {
            var at = fs.Position;
            var n = ReadFully(fs, header.AsSpan(0, 8));
            if (n < 8)
            {
                end = at;
                return meta.Count > 0;
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(header);
            if (group != 0x0002)
            {
                fs.Position = at;
                end = at;
                return true;
            }

            var tag = new DicomTag(group, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(2)));
            var vr = Encoding.ASCII.GetString(header, 4, 2);
            if (!char.IsAsciiLetterUpper(vr[0]) || !char.IsAsciiLetterUpper(vr[1]))
            {
                return false;
            }

            long length;
            if (vr is "OB" or "OW" or "UN" or "SQ" or "UT" or "UC" or "UR" or "OF" or "OD" or "OL" or "OV")
            {
                if (ReadFully(fs, header.AsSpan(8, 4)) < 4)
                {
                    return false;
                }

                length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
            }

            if (length > MaxMetaLength || fs.Position + length > fs.Length || fs.Position > MaxMetaLength)
            {
                return false;
            }

            var value = new byte[length];
            if (ReadFully(fs, value) < length)
            {
                return false;
            }

            if (vr is "UI" or "AE" or "SH")
            {
                meta[tag] = Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
            }
        }
    }

    private static int ReadFully(Stream s, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = s.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
