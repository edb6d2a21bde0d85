using System.IO.Compression;

namespace MedImageCleaner.Dicom.IO;

/// <content>The reader's item structure: delimiters, the items of sequences and the fragments of encapsulated pixel data.</content>
internal sealed partial class DicomReader
{
    private bool ReadDelimiter(DicomTag tag, long start, int depth, bool explicitVR, bool bigEndian, bool isItem, out bool stop)
    {
        stop = false;
        if (!_input.Ensure(4))
        {
            Truncated(start, tag);
            return false;
        }

        var length = _input.ReadUInt32(bigEndian);
        if (tag == DicomTag.ItemDelimitationItem)
        {
            if (isItem)
            {
                stop = true;
                return true;
            }

            Warn(start, tag, "StrayDelimiter", "An item delimiter outside an item; ignored.");
            return true;
        }

        if (tag == DicomTag.SequenceDelimitationItem)
        {
            if (isItem)
            {
                // The item's delimiter is missing: give the sequence delimiter back to the sequence.
                Warn(start, tag, "MissingDelimiter", "An item of undefined length ends without its delimiter.");
                _input.Position = start;
                stop = true;
                return true;
            }

            Warn(start, tag, "StrayDelimiter", "A sequence delimiter outside a sequence; ignored.");
            return true;
        }

        if (tag == DicomTag.Item && (length == UndefinedLength || length <= _input.Remaining))
        {
            // An item where an element was expected: the header of its sequence is missing (fodicom GH364). The item is
            // skipped (it has no tag to be kept under) and the elements after it are read.
            Warn(start, tag, "StrayItem", "An item outside a sequence (its sequence header is missing); the item is skipped.", dataMissing: true);
            if (length == UndefinedLength)
            {
                ReadDataset(new DicomDataset(), -1, depth + 1, explicitVR, bigEndian, isItem: true);
            }
            else
            {
                _input.Position += length;
            }

            return true;
        }

        Warn(start, tag, "UnexpectedItem", "An item tag where an element was expected; the rest of the dataset is not read.", dataMissing: true);
        _input.Position = _input.Length;
        return false;
    }

    private void ReadSequenceItems(DicomSequence seq, DicomDataset parent, long end, int depth, bool explicitVR, bool bigEndian)
    {
        if (depth > _options.MaxDepth)
        {
            throw new DicomLimitExceededException("Sequences are nested deeper than the configured maximum.", _input.Position, seq.Tag);
        }

        if (end > _input.Length)
        {
            end = _input.Length;
        }

        while (end < 0 || _input.Position < end)
        {
            var start = _input.Position;
            if (!_input.Ensure(8))
            {
                if (end < 0)
                {
                    Warn(start, seq.Tag, "MissingDelimiter", "The input ended inside a sequence of undefined length.", dataMissing: true);
                }

                _input.Position = _input.Length;
                return;
            }

            var group = _input.ReadUInt16(bigEndian);
            var element = _input.ReadUInt16(bigEndian);
            var length = _input.ReadUInt32(bigEndian);
            var tag = new DicomTag(group, element);
            if (tag == DicomTag.SequenceDelimitationItem)
            {
                if (end >= 0)
                {
                    Warn(start, seq.Tag, "DelimiterInDefinedSequence", "A sequence of defined length has a delimiter; accepted.");
                }

                return;
            }

            if (tag == DicomTag.ItemDelimitationItem)
            {
                Warn(start, seq.Tag, "StrayDelimiter", "An item delimiter between items; ignored.");
                continue;
            }

            if (tag != DicomTag.Item)
            {
                Warn(start, seq.Tag, "BadItemTag", "A sequence contains something that is not an item; the sequence ends here.", dataMissing: true);
                _input.Position = end >= 0 ? end : start;
                if (end < 0)
                {
                    // Give the element back to the enclosing dataset.
                    return;
                }

                return;
            }

            if (++_elementCount > _options.MaxElementCount)
            {
                throw new DicomLimitExceededException("The file has more elements than the configured maximum.", start, seq.Tag);
            }

            var item = new DicomDataset { Parent = parent };
            seq.Items.Add(item);
            if (length == UndefinedLength)
            {
                ReadDataset(item, -1, depth, explicitVR, bigEndian, isItem: true);
            }
            else
            {
                var itemEnd = _input.Position + length;
                if (itemEnd > _input.Length || (end >= 0 && itemEnd > end))
                {
                    Warn(start, seq.Tag, "ItemLengthMismatch", "An item is longer than its sequence or the input; read to the end.", dataMissing: true);
                    itemEnd = end >= 0 ? Math.Min(end, _input.Length) : _input.Length;
                }

                ReadDataset(item, itemEnd, depth, explicitVR, bigEndian, isItem: true);
                if (_input.Position < itemEnd)
                {
                    _input.Position = itemEnd;
                }
            }
        }
    }

    private void ReadFragments(DicomDataset ds, DicomTag tag, bool bigEndian)
    {
        ValueSource? offsetTable = null;
        var fragments = new List<ValueSource>();
        while (true)
        {
            var start = _input.Position;
            if (!_input.Ensure(8))
            {
                Warn(start, tag, "MissingDelimiter", "The input ended inside encapsulated pixel data.", dataMissing: true);
                _input.Position = _input.Length;
                break;
            }

            var group = _input.ReadUInt16(bigEndian);
            var element = _input.ReadUInt16(bigEndian);
            var length = _input.ReadUInt32(bigEndian);
            var itemTag = new DicomTag(group, element);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTag.Item || length == UndefinedLength)
            {
                Warn(start, tag, "BadFragment", "Encapsulated pixel data contains something that is not a fragment; it ends here.", dataMissing: true);
                _input.Position = _input.Length;
                break;
            }

            if (length > _input.Remaining)
            {
                Warn(start, tag, "ValueTruncated", "The input ends inside a fragment; the fragment is shortened.", dataMissing: true);
                length = (uint)_input.Remaining;
            }

            if (++_elementCount > _options.MaxElementCount)
            {
                throw new DicomLimitExceededException("The file has more fragments than the configured maximum.", start, tag);
            }

            var value = _input.ReadValue(length, length >= _options.LargeValueThreshold, 1);
            if (offsetTable is null)
            {
                offsetTable = value;
            }
            else
            {
                fragments.Add(value);
            }
        }

        // Encapsulated pixel data is OB whatever the file declared (PS3.5 A.4).
        ds.AddOrUpdate(new DicomFragmentSequence(tag, DicomVR.OB, offsetTable ?? ValueSource.Empty, fragments));
    }
}
