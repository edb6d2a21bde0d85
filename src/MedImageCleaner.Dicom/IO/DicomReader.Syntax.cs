using System.IO.Compression;

namespace MedImageCleaner.Dicom.IO;

/// <content>The reader's transfer-syntax work: guessing the syntax of a file without meta information, and inflating deflated datasets.</content>
internal sealed partial class DicomReader
{
    private TransferSyntax GuessSyntax(bool requireKnownTag)
    {
        if (!_input.Ensure(8))
        {
            throw new NotDicomException("The input is too short to be DICOM.");
        }

        var b = _input.Peek(8);
        var groupLE = (ushort)(b[0] | (b[1] << 8));
        var groupBE = (ushort)((b[0] << 8) | b[1]);
        var elemLE = (ushort)(b[2] | (b[3] << 8));
        var elemBE = (ushort)((b[2] << 8) | b[3]);
        var bigEndian = groupBE < groupLE;
        var tag = bigEndian ? new DicomTag(groupBE, elemBE) : new DicomTag(groupLE, elemLE);
        var explicitVR = IsVrChars(b[4], b[5]) && DicomVR.FromBytes(b[4], b[5]).IsKnown;
        if (requireKnownTag)
        {
            var plausible = (tag.Group is >= 0x0002 and <= 0x7FE0 || tag.Group == 0xFFFC) &&
                            (tag.IsGroupLength || DicomDictionary.TryGet(tag, out _) || (tag.IsPrivate && explicitVR));
            if (!plausible)
            {
                throw new NotDicomException("The input has no DICOM preamble and does not start with a DICOM element.");
            }

            if (!explicitVR)
            {
                var len = bigEndian ? (uint)((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) : (uint)(b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24));
                if (len != UndefinedLength && len > _input.Remaining)
                {
                    throw new NotDicomException("The input has no DICOM preamble and does not start with a DICOM element.");
                }
            }
        }

        if (bigEndian && !explicitVR)
        {
            Warn(_input.Position, null, "ImplicitBigEndian", "The dataset looks implicit VR big endian, which is not a DICOM transfer syntax; read anyway.");
        }

        return explicitVR
            ? (bigEndian ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian)
            : TransferSyntax.ImplicitVRLittleEndian;
    }

    private bool LooksExplicit(bool bigEndian)
    {
        if (!_input.Ensure(8))
        {
            return true;
        }

        var b = _input.Peek(8);
        if (!IsVrChars(b[4], b[5]))
        {
            return false;
        }

        var vr = DicomVR.FromBytes(b[4], b[5]);
        if (!vr.IsKnown)
        {
            return false;
        }

        // An implicit length whose low bytes happen to be letters: check the dictionary agrees with the VR.
        var tag = bigEndian ? new DicomTag((ushort)((b[0] << 8) | b[1]), (ushort)((b[2] << 8) | b[3])) : new DicomTag((ushort)(b[0] | (b[1] << 8)), (ushort)(b[2] | (b[3] << 8)));
        if (DicomDictionary.TryGet(tag, out var e) && e.AllowedVRs.Count > 0)
        {
            foreach (var allowed in e.AllowedVRs)
            {
                if (allowed == vr)
                {
                    return true;
                }
            }

            return vr == DicomVR.UN;
        }

        return true;
    }

    private void Inflate()
    {
        var start = _input.Position;
        var compressedLength = _input.Remaining;
        Stream compressed;
        if (_input.IsMemory)
        {
            _input.Ensure((int)compressedLength);
            compressed = new MemoryStream(_input.Peek((int)compressedLength).ToArray(), writable: false);
        }
        else
        {
            compressed = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(_input.Handle!.DangerousGetHandle(), ownsHandle: false), FileAccess.Read);
            compressed.Position = start;
        }

        using (compressed)
        using (var deflate = new DeflateStream(compressed, CompressionMode.Decompress))
        {
            var memory = new MemoryStream();
            var buffer = new byte[81920];
            FileStream? spill = null;
            try
            {
                long total = 0;
                int n;
                while ((n = ReadInflated(deflate, buffer, start)) > 0)
                {
                    total += n;
                    if (total > _options.MaxTotalBytes)
                    {
                        throw new DicomLimitExceededException("The inflated dataset is larger than the configured maximum.", start, null);
                    }

                    if (spill is null && total > _options.InMemoryThreshold)
                    {
                        spill = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
                        memory.Position = 0;
                        memory.CopyTo(spill);
                        memory = new MemoryStream();
                    }

                    if (spill is not null)
                    {
                        spill.Write(buffer, 0, n);
                    }
                    else
                    {
                        memory.Write(buffer, 0, n);
                    }
                }

                if (spill is not null)
                {
                    spill.Flush();
                    InflatedFile = spill;
                    _input = new DicomInput(spill.SafeFileHandle, 0, spill.Length);
                    spill = null;
                }
                else
                {
                    _input = new DicomInput(memory.GetBuffer().AsMemory(0, (int)memory.Length));
                }
            }
            finally
            {
                spill?.Dispose();
            }
        }
    }

    private int ReadInflated(DeflateStream deflate, byte[] buffer, long start)
    {
        try
        {
            return deflate.Read(buffer, 0, buffer.Length);
        }
        catch (InvalidDataException ex)
        {
            Warn(start, null, "DeflateError", "The deflated dataset is damaged; read up to the damage.", dataMissing: true);
            _ = ex;
            return 0;
        }
    }
}
