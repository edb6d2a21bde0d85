using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MedImageCleaner.Dicom.IO;

/// <summary>
/// Writes DICOM Part 10 files strictly: preamble, regenerated file meta with a correct group length, even value
/// lengths padded per VR, defined-length sequences and items, encapsulated pixel data copied fragment by fragment.
/// </summary>
public sealed class DicomWriter
{
    private const int BufferSize = 64 * 1024;
    private readonly Stream _stream;
    private static readonly byte[] Preamble = new byte[128];
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _used;
    private bool _bigEndian;

    private DicomWriter(Stream stream) => _stream = stream;

    /// <summary>Writes <paramref name="file"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="DicomWriteException">The dataset cannot be written with the requested transfer syntax.</exception>
    public static void Write(Stream destination, DicomFile file, DicomWriteOptions options)
    {
        var syntax = ChooseSyntax(file, options);
        var meta = BuildMeta(file, syntax, options);
        var writer = new DicomWriter(destination);
        try
        {
            writer.WriteBytes(Preamble);
            writer.WriteBytes("DICM"u8);
            writer.WriteDataset(meta, explicitVR: true);
            if (syntax.IsDeflated)
            {
                writer.Flush();
                using var deflate = new DeflateStream(destination, options.DeflateLevel, leaveOpen: true);
                var inner = new DicomWriter(deflate);
                try
                {
                    inner.WriteDataset(file.Dataset, explicitVR: true);
                    inner.Flush();
                }
                finally
                {
                    inner.Release();
                }
            }
            else
            {
                writer._bigEndian = syntax.IsBigEndian;
                writer.WriteDataset(file.Dataset, syntax.IsExplicitVR);
                writer.Flush();
            }
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Writes a bare dataset (no preamble, no meta) with a transfer syntax's encoding.</summary>
    public static void WriteDataset(Stream destination, DicomDataset dataset, TransferSyntax syntax)
    {
        var writer = new DicomWriter(destination) { _bigEndian = syntax.IsBigEndian };
        try
        {
            writer.WriteDataset(dataset, syntax.IsExplicitVR);
            writer.Flush();
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Returns the pooled buffer; the writer is not used afterwards.</summary>
    private void Release() => ArrayPool<byte>.Shared.Return(_buffer);

    /// <summary>The transfer syntax the writer will use for a file under some options.</summary>
    public static TransferSyntax ChooseSyntax(DicomFile file, DicomWriteOptions options)
    {
        var encapsulated = file.Dataset.TryGet(DicomTag.PixelData, out var pd) && pd is DicomFragmentSequence;
        var target = options.TransferSyntax
                     ?? (options.KeepSourceTransferSyntax || encapsulated ? file.TransferSyntax : TransferSyntax.ExplicitVRLittleEndian);
        if (target.IsEncapsulated != encapsulated && file.Dataset.Contains(DicomTag.PixelData))
        {
            throw new DicomWriteException(encapsulated
                ? "The pixel data is encapsulated (compressed); it can only be written with an encapsulated transfer syntax."
                : "The pixel data is native; it cannot be written with an encapsulated transfer syntax without encoding it.");
        }

        return target;
    }

    /// <summary>Builds the file meta group written for a file.</summary>
    public static DicomDataset BuildMeta(DicomFile file, TransferSyntax syntax, DicomWriteOptions options)
    {
        var meta = new DicomDataset();
        if (options.KeepOtherFileMetaElements)
        {
            foreach (var item in file.FileMetaInfo)
            {
                if (item.Tag.Group == 0x0002 && item.Tag.Element > 0x0013 && item is DicomElement)
                {
                    meta.AddOrUpdate(item);
                }
            }
        }

        var sopClass = FirstNonEmpty(file.Dataset.GetString(DicomTag.SOPClassUID), file.FileMetaInfo.GetString(DicomTag.MediaStorageSOPClassUID));
        var sopInstance = FirstNonEmpty(file.Dataset.GetString(DicomTag.SOPInstanceUID), file.FileMetaInfo.GetString(DicomTag.MediaStorageSOPInstanceUID));
        meta.AddOrUpdate(new DicomElement(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 }));

        // Media Storage SOP Class/Instance UID are Type 1 (PS3.10 7.1). When neither the dataset nor the source meta
        // says what they are (a bare dataset fragment, an ACR-NEMA file), they are left out rather than written empty
        // or invented: an empty value would claim a SOP class of "" and contradict the dataset.
        if (sopClass is not null)
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        }

        if (sopInstance is not null)
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        }

        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        meta.AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, options.ImplementationClassUid);
        meta.AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, options.ImplementationVersionName);
        long length = 0;
        foreach (var item in meta)
        {
            length += SizeOf(item, explicitVR: true);
        }

        var gl = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(gl, (uint)length);
        meta.AddOrUpdate(new DicomElement(DicomTag.FileMetaInformationGroupLength, DicomVR.UL, gl));
        return meta;
    }

    private static string? FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : !string.IsNullOrEmpty(b) ? b : null;

    /// <summary>The encoded size of an item (header included) in little-endian with the given VR encoding.</summary>
    public static long SizeOf(DicomItem item, bool explicitVR)
    {
        switch (item)
        {
            case DicomElement e:
                {
                    if (e.Tag.IsGroupLength && e.Tag.Group != 0x0002)
                    {
                        // Recomputed on write: always a 4-byte UL, whatever was read.
                        return HeaderSize(DicomVR.UL, explicitVR) + 4;
                    }

                    var vr = WireVR(e, explicitVR);
                    return HeaderSize(vr, explicitVR) + Padded(e.Length);
                }

            case DicomSequence s:
                {
                    if (WritesUndefinedLength(s, explicitVR))
                    {
                        long un = (explicitVR ? 12 : 8) + 8;
                        foreach (var ds in s.Items)
                        {
                            un += 8 + SizeOfDataset(ds, explicitVR: false, undefinedItems: true) + 8;
                        }

                        return un;
                    }

                    long total = explicitVR ? 12 : 8;
                    foreach (var ds in s.Items)
                    {
                        total += 8 + SizeOfDataset(ds, explicitVR, undefinedItems: false);
                    }

                    return total;
                }

            case DicomFragmentSequence f:
                {
                    long total = (explicitVR ? 12 : 8) + 8 + Padded(f.OffsetTable.Length) + 8;
                    foreach (var frag in f.Fragments)
                    {
                        total += 8 + Padded(frag.Length);
                    }

                    return total;
                }

            default:
                throw new DicomWriteException("Unknown item type.");
        }
    }

    private static long SizeOfDataset(DicomDataset ds, bool explicitVR, bool undefinedItems)
    {
        long total = 0;
        foreach (var item in ds)
        {
            if (undefinedItems && item is DicomSequence s)
            {
                // Inside an implicit-VR UN sequence every nested sequence is written with undefined lengths.
                total += 8 + 8;
                foreach (var inner in s.Items)
                {
                    total += 8 + SizeOfDataset(inner, false, true) + 8;
                }
            }
            else
            {
                total += SizeOf(item, explicitVR);
            }
        }

        return total;
    }

    private static long Padded(long length) => length + (length & 1);

    /// <summary>
    /// True when a sequence is written with undefined lengths and implicit VR LE content: a UN sequence in explicit VR
    /// (PS3.5 6.2.2), and in implicit VR a sequence whose tag a reader cannot know to be SQ (private or not in the
    /// dictionary): only an undefined length tells such a reader that the value is a sequence.
    /// </summary>
    private static bool WritesUndefinedLength(DicomSequence s, bool explicitVR) =>
        explicitVR ? s.VR == DicomVR.UN : DicomDictionary.GetImplicitVR(s.Tag) != DicomVR.SQ;

    private static int HeaderSize(DicomVR vr, bool explicitVR) => !explicitVR ? 8 : vr.HasLongLength ? 12 : 8;

    private static DicomVR WireVR(DicomElement e, bool explicitVR)
    {
        var vr = e.VR.IsKnown && e.VR != DicomVR.SQ ? e.VR : DicomVR.UN;
        if (explicitVR && !vr.HasLongLength && Padded(e.Length) > 0xFFFF)
        {
            // The value does not fit a 16-bit length: PS3.5 6.2.2 allows UN for such a value.
            return DicomVR.UN;
        }

        return vr;
    }

    private void WriteDataset(DicomDataset ds, bool explicitVR, bool undefinedLengths = false)
    {
        var items = ds.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Tag.IsGroupLength && item is DicomElement && item.Tag.Group != 0x0002)
            {
                long groupLength = 0;
                for (var k = i + 1; k < items.Count && items[k].Tag.Group == item.Tag.Group; k++)
                {
                    groupLength += SizeOf(items[k], explicitVR);
                }

                var v = new byte[4];
                if (_bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(v, (uint)groupLength);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(v, (uint)groupLength);
                }

                WriteHeader(item.Tag, DicomVR.UL, 4, explicitVR);
                WriteBytes(v);
                continue;
            }

            WriteItem(item, explicitVR, undefinedLengths);
        }
    }

    private void WriteItem(DicomItem item, bool explicitVR, bool undefinedLengths)
    {
        switch (item)
        {
            case DicomElement e:
                WriteElement(e, explicitVR);
                break;
            case DicomSequence s:
                WriteSequence(s, explicitVR, undefinedLengths);
                break;
            case DicomFragmentSequence f:
                // PS3.5 A.4: encapsulated pixel data is always OB.
                WriteHeader(f.Tag, DicomVR.OB, 0xFFFFFFFF, explicitVR);
                WriteFragment(f.OffsetTable);
                foreach (var frag in f.Fragments)
                {
                    WriteFragment(frag);
                }

                WriteTag(DicomTag.SequenceDelimitationItem);
                WriteUInt32(0);
                break;
            default:
                throw new DicomWriteException("Unknown item type.");
        }
    }

    private void WriteElement(DicomElement e, bool explicitVR)
    {
        var vr = WireVR(e, explicitVR);
        var length = e.Length;
        var padded = Padded(length);
        if (padded > uint.MaxValue - 1)
        {
            throw new DicomWriteException($"The value of {e.Tag} is too long to encode.");
        }

        WriteHeader(e.Tag, vr, (uint)padded, explicitVR);
        var swap = _bigEndian ? e.VR.UnitSize : 1;
        if (e.Value.IsInMemory && length <= BufferSize)
        {
            var bytes = e.Value.GetBytes().Span;
            EnsureSpace((int)padded);
            bytes.CopyTo(_buffer.AsSpan(_used));
            if (swap > 1)
            {
                ValueSource.Swap(_buffer.AsSpan(_used, bytes.Length), swap);
            }

            _used += bytes.Length;
        }
        else
        {
            Flush();
            e.Value.CopyTo(_stream, swap);
        }

        if (padded != length)
        {
            EnsureSpace(1);
            _buffer[_used++] = e.VR.PaddingByte;
        }
    }

    private void WriteSequence(DicomSequence s, bool explicitVR, bool undefinedLengths)
    {
        var asUN = s.VR == DicomVR.UN && explicitVR;
        if (undefinedLengths || WritesUndefinedLength(s, explicitVR))
        {
            var wasBigEndian = _bigEndian;
            WriteHeader(s.Tag, asUN ? DicomVR.UN : DicomVR.SQ, 0xFFFFFFFF, explicitVR && !undefinedLengths);
            if (asUN)
            {
                // PS3.5 6.2.2: the content of a UN sequence of undefined length is implicit VR little endian.
                _bigEndian = false;
            }

            foreach (var ds in s.Items)
            {
                WriteTag(DicomTag.Item);
                WriteUInt32(0xFFFFFFFF);
                WriteDataset(ds, explicitVR: false, undefinedLengths: true);
                WriteTag(DicomTag.ItemDelimitationItem);
                WriteUInt32(0);
            }

            WriteTag(DicomTag.SequenceDelimitationItem);
            WriteUInt32(0);
            _bigEndian = wasBigEndian;
            return;
        }

        var length = SizeOf(s, explicitVR) - (explicitVR ? 12 : 8);
        if (length > uint.MaxValue - 1)
        {
            throw new DicomWriteException($"The sequence {s.Tag} is too long to encode with a defined length.");
        }

        WriteHeader(s.Tag, DicomVR.SQ, (uint)length, explicitVR);
        foreach (var ds in s.Items)
        {
            WriteTag(DicomTag.Item);
            WriteUInt32((uint)SizeOfDataset(ds, explicitVR, undefinedItems: false));
            WriteDataset(ds, explicitVR);
        }
    }

    private void WriteFragment(ValueSource fragment)
    {
        var padded = Padded(fragment.Length);
        WriteTag(DicomTag.Item);
        WriteUInt32((uint)padded);
        if (fragment.IsInMemory && fragment.Length <= BufferSize)
        {
            var bytes = fragment.GetBytes().Span;
            EnsureSpace(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }
        else
        {
            Flush();
            fragment.CopyTo(_stream, 1);
        }

        if (padded != fragment.Length)
        {
            EnsureSpace(1);
            _buffer[_used++] = 0;
        }
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length, bool explicitVR)
    {
        WriteTag(tag);
        if (!explicitVR)
        {
            WriteUInt32(length);
            return;
        }

        EnsureSpace(8);
        _buffer[_used++] = (byte)(vr.Code >> 8);
        _buffer[_used++] = (byte)vr.Code;
        if (vr.HasLongLength)
        {
            _buffer[_used++] = 0;
            _buffer[_used++] = 0;
            WriteUInt32(length);
        }
        else
        {
            WriteUInt16((ushort)length);
        }
    }

    private void WriteTag(DicomTag tag)
    {
        WriteUInt16(tag.Group);
        WriteUInt16(tag.Element);
    }

    private void WriteUInt16(ushort v)
    {
        EnsureSpace(2);
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_used), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_used), v);
        }

        _used += 2;
    }

    private void WriteUInt32(uint v)
    {
        EnsureSpace(4);
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_used), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_used), v);
        }

        _used += 4;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > BufferSize)
        {
            Flush();
            _stream.Write(bytes);
            return;
        }

        EnsureSpace(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    private void EnsureSpace(int n)
    {
        if (_used + n > _buffer.Length)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_used > 0)
        {
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }

    internal static string Ascii(ReadOnlySpan<byte> b) => Encoding.ASCII.GetString(b);
}
