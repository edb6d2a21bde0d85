using System.IO.Compression;

namespace MedImageCleaner.Dicom.IO;

/// <summary>
/// Parses a DICOM stream into datasets. Tolerant: what real files get wrong is recorded as a warning and read anyway;
/// what cannot be read ends with a <see cref="DicomReadException"/> (never another exception type).
/// </summary>
internal sealed partial class DicomReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private readonly DicomReadOptions _options;
    private readonly List<DicomReadWarning> _warnings;
    private DicomInput _input;
    private int _elementCount;

    public DicomReader(DicomInput input, DicomReadOptions options, List<DicomReadWarning> warnings)
    {
        _input = input;
        _options = options;
        _warnings = warnings;
    }

    /// <summary>The input (replaced by an inflated copy for deflated transfer syntaxes).</summary>
    public DicomInput Input => _input;

    /// <summary>A temporary file (deleted on close) holding the inflated dataset, when one was needed.</summary>
    public FileStream? InflatedFile { get; private set; }

    public bool HadPreamble { get; private set; }

    /// <summary>Reads preamble, file meta and dataset.</summary>
    public (DicomDataset Meta, DicomDataset Dataset, TransferSyntax Syntax) ReadFile()
    {
        if (_input.Length > _options.MaxTotalBytes)
        {
            throw new DicomLimitExceededException("The input is larger than the configured maximum.", 0, null);
        }

        var meta = new DicomDataset();
        if (_input.Ensure(132) && _input.Peek(132)[128..].SequenceEqual("DICM"u8))
        {
            HadPreamble = true;
            _input.Position = 132;
        }
        else if (_input.Ensure(4) && _input.Peek(4).SequenceEqual("DICM"u8))
        {
            Warn(0, null, "MissingPreamble", "The file starts with DICM without the 128-byte preamble.");
            _input.Position = 4;
        }

        var metaStart = _input.Position;
        if (_input.Ensure(6) && _input.Peek(2)[0] == 0x02 && _input.Peek(2)[1] == 0x00)
        {
            ReadMeta(meta);
        }
        else if (HadPreamble)
        {
            Warn(metaStart, null, "MissingFileMeta", "The file has a preamble but no file meta information.");
        }

        TransferSyntax syntax;
        var tsUid = meta.GetString(DicomTag.TransferSyntaxUID);
        var declared = tsUid is { Length: > 0 };
        if (declared)
        {
            syntax = TransferSyntax.Lookup(tsUid!);
            if (syntax.IsUnknown)
            {
                Warn(_input.Position, DicomTag.TransferSyntaxUID, "UnknownTransferSyntax", "The transfer syntax is not known; the dataset is read as explicit VR little endian.");
            }
        }
        else
        {
            syntax = GuessSyntax(requireKnownTag: !HadPreamble && meta.Count == 0);
            if (meta.Count > 0 || HadPreamble)
            {
                Warn(_input.Position, DicomTag.TransferSyntaxUID, "MissingTransferSyntax", $"No transfer syntax in the file meta; the dataset looks like {syntax.Name}.");
            }
        }

        if (syntax.IsDeflated)
        {
            Inflate();
        }

        var explicitVR = syntax.IsExplicitVR;
        var bigEndian = syntax.IsBigEndian;
        if (declared && _input.Remaining >= 8)
        {
            // Some writers declare one VR encoding and use the other: trust the bytes of the first element.
            var looksExplicit = LooksExplicit(bigEndian);
            if (looksExplicit != explicitVR)
            {
                Warn(_input.Position, null, explicitVR ? "ImplicitDatasetDeclaredExplicit" : "ExplicitDatasetDeclaredImplicit", "The dataset's VR encoding differs from its transfer syntax; read as found.");
                explicitVR = looksExplicit;
            }
        }

        var dataset = new DicomDataset(64);
        ReadDataset(dataset, -1, 0, explicitVR, bigEndian, isItem: false);
        return (meta, dataset, syntax);
    }

    private void ReadMeta(DicomDataset meta)
    {
        while (_input.Ensure(6))
        {
            var head = _input.Peek(6);
            if (head[0] != 0x02 || head[1] != 0x00)
            {
                break;
            }

            var explicitMeta = IsVrChars(head[4], head[5]);
            if (!explicitMeta)
            {
                Warn(_input.Position, null, "ImplicitFileMeta", "The file meta information is not explicit VR.");
            }

            if (!ReadElement(meta, 0, explicitMeta, bigEndian: false, isItem: false, out _))
            {
                break;
            }
        }
    }

    /// <summary>Reads elements into <paramref name="ds"/> until <paramref name="end"/> (or a delimiter / end of input when -1).</summary>
    private void ReadDataset(DicomDataset ds, long end, int depth, bool explicitVR, bool bigEndian, bool isItem)
    {
        if (depth > _options.MaxDepth)
        {
            throw new DicomLimitExceededException("Sequences are nested deeper than the configured maximum.", _input.Position, null);
        }

        while (end < 0 || _input.Position < end)
        {
            if (!ReadElement(ds, depth, explicitVR, bigEndian, isItem, out var stop) || stop)
            {
                return;
            }
        }

        if (end >= 0 && _input.Position > end)
        {
            Warn(_input.Position, null, "ItemLengthMismatch", "An element ran past the end of its item; the item length is wrong.", dataMissing: true);
        }
    }

    /// <summary>Reads one element. Returns false at end of input; <paramref name="stop"/> is set at an item delimiter.</summary>
    private bool ReadElement(DicomDataset ds, int depth, bool explicitVR, bool bigEndian, bool isItem, out bool stop)
    {
        stop = false;
        var start = _input.Position;
        if (!_input.Ensure(4))
        {
            if (_input.Remaining > 0)
            {
                Warn(start, null, "TrailingBytes", "The input ends with bytes too short for an element; ignored.", dataMissing: true);
                _input.Position = _input.Length;
            }

            if (isItem)
            {
                Warn(start, null, "MissingDelimiter", "The input ended inside an item of undefined length.", dataMissing: true);
            }

            return false;
        }

        var group = _input.ReadUInt16(bigEndian);
        var element = _input.ReadUInt16(bigEndian);
        var tag = new DicomTag(group, element);

        if (group == 0xFFFE)
        {
            return ReadDelimiter(tag, start, depth, explicitVR, bigEndian, isItem, out stop);
        }

        if (depth == 0 && !isItem && tag.Value == 0 && AllZeroFrom(start))
        {
            Warn(start, null, "TrailingPadding", "The dataset is followed by zero padding; ignored.");
            _input.Position = _input.Length;
            return false;
        }

        if (_options.StopBeforePixelData && depth == 0 && tag.Value >= DicomTag.PixelData.Value)
        {
            _input.Position = start;
            return false;
        }

        if (++_elementCount > _options.MaxElementCount)
        {
            throw new DicomLimitExceededException("The file has more elements than the configured maximum.", start, tag);
        }

        DicomVR vr;
        uint length;
        var elementExplicit = explicitVR;
        if (explicitVR)
        {
            if (!_input.Ensure(4))
            {
                Truncated(start, tag);
                return false;
            }

            var vb = _input.Peek(2);
            if (IsVrChars(vb[0], vb[1]))
            {
                vr = DicomVR.FromBytes(vb[0], vb[1]);
                _input.Position += 2;
                if (!vr.IsKnown)
                {
                    // Unknown VR: PS3.5 7.1.2 says to treat as 32-bit length when the reserved bytes are zero.
                    var reserved = _input.Peek(2);
                    var longForm = reserved[0] == 0 && reserved[1] == 0 && _input.Ensure(6);
                    Warn(start, tag, "UnknownVR", "The element has a VR that is not in the standard; read as UN.");
                    if (longForm)
                    {
                        _input.Position += 2;
                        length = _input.ReadUInt32(bigEndian);
                    }
                    else
                    {
                        length = _input.ReadUInt16(bigEndian);
                    }

                    vr = DicomVR.UN;
                }
                else if (vr.HasLongLength)
                {
                    if (!_input.Ensure(6))
                    {
                        Truncated(start, tag);
                        return false;
                    }

                    _input.Position += 2;
                    length = _input.ReadUInt32(bigEndian);
                }
                else
                {
                    length = _input.ReadUInt16(bigEndian);
                    if (length == 0xFFFF && vr == DicomVR.UN)
                    {
                        length = UndefinedLength;
                    }
                }
            }
            else if (ReadsAsImplicit(start, tag, bigEndian))
            {
                Warn(start, tag, "ImplicitElementInExplicit", "An element without explicit VR in an explicit VR dataset; read as implicit.");
                elementExplicit = false;
                vr = ImplicitVR(tag, ds);
                length = _input.ReadUInt32(bigEndian);
            }
            else
            {
                // Two bytes that are not a VR, followed by a 16-bit length (the reading dcmtk takes too): UN.
                Warn(start, tag, "InvalidVR", "The element's VR bytes are not a VR; read as UN with a 16-bit length.");
                _input.Position += 2;
                vr = DicomVR.UN;
                length = _input.ReadUInt16(bigEndian);
            }
        }
        else
        {
            if (!_input.Ensure(4))
            {
                Truncated(start, tag);
                return false;
            }

            vr = ImplicitVR(tag, ds);
            length = _input.ReadUInt32(bigEndian);
        }

        if (length == UndefinedLength)
        {
            if (tag == DicomTag.PixelData || (vr == DicomVR.OB || vr == DicomVR.OW) && !(vr == DicomVR.UN))
            {
                if (elementExplicit && vr != DicomVR.OB)
                {
                    Warn(start, tag, "EncapsulatedNotOB", "Encapsulated pixel data declared with a VR other than OB; read as OB (PS3.5 A.4).");
                }

                ReadFragments(ds, tag, bigEndian);
                return true;
            }

            var seqExplicit = vr == DicomVR.UN ? false : elementExplicit;
            var seqBigEndian = vr == DicomVR.UN ? false : bigEndian;
            // An undefined-length UN is a sequence (CP-246). When the dictionary knows the tag as SQ, it is an SQ whose
            // VR a system on the way did not know (PS3.5 6.2.2): it becomes SQ again, so it is written as one.
            var seqVR = vr == DicomVR.UN && !IsKnownSequence(tag) ? DicomVR.UN : DicomVR.SQ;
            if (vr != DicomVR.SQ && vr != DicomVR.UN)
            {
                Warn(start, tag, "UndefinedLengthNonSequence", "An element of a non-sequence VR has undefined length; read as a sequence.");
            }

            var seq = new DicomSequence(tag, seqVR, null) { WasUndefinedLength = true };
            ReadSequenceItems(seq, ds, -1, depth + 1, seqExplicit, seqBigEndian);
            Add(ds, seq, start);
            return true;
        }

        if (length > _options.MaxElementLength)
        {
            throw new DicomLimitExceededException("An element is longer than the configured maximum.", start, tag);
        }

        var available = _input.Remaining;
        if (length > available)
        {
            Warn(start, tag, "ValueTruncated", "The input ends inside this value; the value is shortened to what is present.", dataMissing: true);
            length = (uint)available;
        }

        if (vr == DicomVR.SQ)
        {
            var seq = new DicomSequence(tag, vr, null);
            ReadSequenceItems(seq, ds, _input.Position + length, depth + 1, elementExplicit, bigEndian);
            Add(ds, seq, start);
            return true;
        }

        if ((length & 1) == 1)
        {
            Warn(start, tag, "OddLength", "The value has odd length; it will be padded when written.");
        }

        var swap = bigEndian ? vr.UnitSize : 1;
        var value = _input.ReadValue(length, length >= _options.LargeValueThreshold, swap);
        Add(ds, new DicomElement(tag, vr, value), start);
        return true;
    }

    /// <summary>Appends an item read from the input; out of order it is inserted, and a repeated tag keeps the first occurrence (as dcmtk does).</summary>
    private void Add(DicomDataset ds, DicomItem item, long start)
    {
        var tag = item.Tag;
        if (ds.Count == 0 || ds.Items[ds.Count - 1].Tag < tag)
        {
            ds.AppendUnchecked(item);
            return;
        }

        if (ds.Contains(tag))
        {
            Warn(start, tag, "DuplicateTag", "The element appears twice; the first one is kept.");
            return;
        }

        Warn(start, tag, "OutOfOrder", "Elements are not in ascending tag order.");
        ds.AddOrUpdate(item);
    }

    private static bool IsKnownSequence(DicomTag tag) =>
        !tag.IsPrivate && DicomDictionary.TryGet(tag, out var e) && e.AllowedVRs.Count == 1 && e.VR == DicomVR.SQ;

    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset ds)
    {
        if (tag.IsPrivate || !DicomDictionary.TryGet(tag, out var e) || e.AllowedVRs.Count == 0)
        {
            return DicomDictionary.GetImplicitVR(tag);
        }

        if (e.AllowedVRs.Count == 1)
        {
            return e.VR;
        }

        // "OB or OW" (pixel data, overlay data...): implicit VR little endian always means OW (PS3.5 A.1 / 8.2).
        foreach (var v in e.AllowedVRs)
        {
            if (v == DicomVR.OW)
            {
                return DicomVR.OW;
            }
        }

        // "US or SS": signed when Pixel Representation says so (PS3.5 A.1); in a sequence item (a LUT Descriptor in a
        // VOI LUT item) the image's Pixel Representation is in an enclosing dataset.
        if (e.VR == DicomVR.US)
        {
            for (var d = ds; d is not null; d = d.Parent)
            {
                if (d.Contains(DicomTag.PixelRepresentation))
                {
                    return d.GetInt32(DicomTag.PixelRepresentation, 0) == 1 ? DicomVR.SS : DicomVR.US;
                }
            }

            return DicomVR.US;
        }

        return e.VR;
    }

    /// <summary>
    /// In an explicit VR dataset, an element whose VR bytes are not letters is either an implicit VR element (32-bit
    /// length after the tag) or an explicit one with damaged VR bytes and a 16-bit length. Takes the reading after which
    /// the next element header is plausible; when both or neither are, the explicit reading (dcmtk's), except for an
    /// undefined 32-bit length, which only the implicit reading can have.
    /// </summary>
    private bool ReadsAsImplicit(long start, DicomTag tag, bool bigEndian)
    {
        var saved = _input.Position;
        try
        {
            if (!_input.Ensure(4))
            {
                return false;
            }

            var b = _input.Peek(4);
            var length32 = bigEndian ? (uint)((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) : (uint)(b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24));
            var length16 = bigEndian ? (ushort)((b[2] << 8) | b[3]) : (ushort)(b[2] | (b[3] << 8));
            if (length32 == UndefinedLength)
            {
                return true;
            }

            var afterImplicit = PlausibleElementAt(start + 8 + length32, tag, bigEndian);
            var afterExplicit = PlausibleElementAt(start + 8 + length16, tag, bigEndian);
            return afterImplicit && !afterExplicit;
        }
        finally
        {
            // The probes moved the read window of a file-backed input: bring the 4 bytes the caller reads next back in.
            _input.Position = saved;
            _input.Ensure(4);
        }
    }

    /// <summary>True when <paramref name="position"/> is the end of the input or starts a plausible element header (ascending tag with a known VR, or an item/delimiter tag).</summary>
    private bool PlausibleElementAt(long position, DicomTag previous, bool bigEndian)
    {
        if (position == _input.Length)
        {
            return true;
        }

        if (position > _input.Length - 8)
        {
            return false;
        }

        _input.Position = position;
        if (!_input.Ensure(8))
        {
            return false;
        }

        var b = _input.Peek(8);
        var group = bigEndian ? (ushort)((b[0] << 8) | b[1]) : (ushort)(b[0] | (b[1] << 8));
        var element = bigEndian ? (ushort)((b[2] << 8) | b[3]) : (ushort)(b[2] | (b[3] << 8));
        var next = new DicomTag(group, element);
        if (next == DicomTag.Item || next == DicomTag.ItemDelimitationItem || next == DicomTag.SequenceDelimitationItem)
        {
            return true;
        }

        return next > previous && IsVrChars(b[4], b[5]) && DicomVR.FromBytes(b[4], b[5]).IsKnown;
    }

    private bool AllZeroFrom(long start)
    {
        var saved = _input.Position;
        _input.Position = start;
        try
        {
            while (_input.Remaining > 0)
            {
                var n = (int)Math.Min(4096, _input.Remaining);
                if (!_input.Ensure(n))
                {
                    return false;
                }

                if (_input.Peek(n).ContainsAnyExcept((byte)0))
                {
                    return false;
                }

                _input.Position += n;
            }

            return true;
        }
        finally
        {
            _input.Position = saved;
        }
    }

    private void Truncated(long start, DicomTag tag)
    {
        Warn(start, tag, "TruncatedHeader", "The input ends inside an element header.", dataMissing: true);
        _input.Position = _input.Length;
    }

    private static bool IsVrChars(byte a, byte b) => a is >= (byte)'A' and <= (byte)'Z' && b is >= (byte)'A' and <= (byte)'Z';

    private void Warn(long offset, DicomTag? tag, string code, string message, bool dataMissing = false)
    {
        if (_warnings.Count < 1000)
        {
            _warnings.Add(new DicomReadWarning(offset, tag, code, message) { DataMissing = dataMissing });
        }
    }
}
