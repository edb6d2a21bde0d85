using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MedImageCleaner.Dicom;

namespace MedImageCleaner.Network;

/// <summary>
/// A DIMSE command set (PS3.7 6.3, 9, E): a dataset of group 0000 elements, always encoded in Implicit VR Little
/// Endian with a Command Group Length first. Typed accessors for the common fields; <see cref="Dataset"/> holds
/// every element, so services this class does not know (N-xxx, C-FIND extras) can set and read what they need.
/// </summary>
public sealed class DimseCommand
{
    /// <summary>CommandDataSetType value meaning "no data set follows".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>The largest command set we parse (commands are small; a data set never goes here).</summary>
    public const int MaxEncodedLength = 64 * 1024;

    public DimseCommand()
        : this(new DicomDataset())
    {
    }

    public DimseCommand(DicomDataset dataset) => Dataset = dataset;

    /// <summary>The command elements (group 0000).</summary>
    public DicomDataset Dataset { get; }

    public CommandField CommandField
    {
        get => (CommandField)GetUShort(CommandTag.CommandField);
        set => SetUShort(CommandTag.CommandField, (ushort)value);
    }

    public ushort MessageId
    {
        get => GetUShort(CommandTag.MessageID);
        set => SetUShort(CommandTag.MessageID, value);
    }

    public ushort MessageIdBeingRespondedTo
    {
        get => GetUShort(CommandTag.MessageIDBeingRespondedTo);
        set => SetUShort(CommandTag.MessageIDBeingRespondedTo, value);
    }

    public ushort Status
    {
        get => GetUShort(CommandTag.Status);
        set => SetUShort(CommandTag.Status, value);
    }

    public ushort Priority
    {
        get => GetUShort(CommandTag.Priority);
        set => SetUShort(CommandTag.Priority, value);
    }

    /// <summary>True when a data set follows the command (CommandDataSetType other than 0x0101).</summary>
    public bool HasDataSet
    {
        get => Dataset.Contains(CommandTag.CommandDataSetType) && GetUShort(CommandTag.CommandDataSetType) != NoDataSet;
        set => SetUShort(CommandTag.CommandDataSetType, value ? (ushort)0x0000 : NoDataSet);
    }

    public string? AffectedSopClassUid
    {
        get => Dataset.GetString(CommandTag.AffectedSOPClassUID);
        set => SetString(CommandTag.AffectedSOPClassUID, value);
    }

    public string? AffectedSopInstanceUid
    {
        get => Dataset.GetString(CommandTag.AffectedSOPInstanceUID);
        set => SetString(CommandTag.AffectedSOPInstanceUID, value);
    }

    public string? ErrorComment
    {
        get => Dataset.GetString(CommandTag.ErrorComment);
        set => SetString(CommandTag.ErrorComment, value);
    }

    /// <summary>True for requests (the high bit of the command field is clear).</summary>
    public bool IsRequest => ((ushort)CommandField & 0x8000) == 0;

    /// <summary>A C-ECHO-RQ.</summary>
    public static DimseCommand CreateEchoRequest(ushort messageId) => new()
    {
        AffectedSopClassUid = NetworkDefaults.VerificationSopClass,
        CommandField = CommandField.CEchoRequest,
        MessageId = messageId,
        HasDataSet = false,
    };

    /// <summary>A C-STORE-RQ (a data set follows).</summary>
    public static DimseCommand CreateStoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid, ushort priority = 0) => new()
    {
        AffectedSopClassUid = sopClassUid,
        CommandField = CommandField.CStoreRequest,
        MessageId = messageId,
        Priority = priority,
        HasDataSet = true,
        AffectedSopInstanceUid = sopInstanceUid,
    };

    /// <summary>The response to <paramref name="request"/> with a status (no data set; set <see cref="HasDataSet"/> for one).</summary>
    public static DimseCommand CreateResponse(DimseCommand request, ushort status)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rsp = new DimseCommand
        {
            CommandField = (CommandField)((ushort)request.CommandField | 0x8000),
            MessageIdBeingRespondedTo = request.MessageId,
            HasDataSet = false,
            Status = status,
        };
        if (request.AffectedSopClassUid is { } cls)
        {
            rsp.AffectedSopClassUid = cls;
        }

        if (request.AffectedSopInstanceUid is { } inst)
        {
            rsp.AffectedSopInstanceUid = inst;
        }

        return rsp;
    }

    public ushort GetUShort(DicomTag tag) =>
        Dataset.TryGetElement(tag, out var e) && e.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(e.Value.GetBytes().Span) : (ushort)0;

    public void SetUShort(DicomTag tag, ushort value) => Dataset.AddOrUpdate(tag, value);

    public void SetString(DicomTag tag, string? value)
    {
        if (value is null)
        {
            Dataset.Remove(tag);
            return;
        }

        var bytes = Encoding.ASCII.GetBytes(value);
        var vr = CommandTag.VROf(tag);
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr == DicomVR.UI ? (byte)0 : (byte)' ';
        }

        Dataset.AddOrUpdate(new DicomElement(tag, vr, bytes));
    }

    /// <summary>Encodes the command in Implicit VR Little Endian with a correct Command Group Length.</summary>
    public byte[] Encode()
    {
        var length = 0;
        foreach (var item in Dataset)
        {
            if (item.Tag != CommandTag.CommandGroupLength)
            {
                length += 8 + checked((int)((DicomElement)item).Length + (int)(((DicomElement)item).Length & 1));
            }
        }

        var buffer = new byte[12 + length];
        var span = buffer.AsSpan();
        WriteHeader(span, CommandTag.CommandGroupLength, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)length);
        var at = 12;
        foreach (var item in Dataset)
        {
            if (item.Tag == CommandTag.CommandGroupLength)
            {
                continue;
            }

            var e = (DicomElement)item;
            var value = e.Value.GetBytes().Span;
            var padded = value.Length + (value.Length & 1);
            WriteHeader(span[at..], e.Tag, (uint)padded);
            value.CopyTo(span[(at + 8)..]);
            if (padded != value.Length)
            {
                span[at + 8 + value.Length] = e.VR == DicomVR.UI ? (byte)0 : (byte)' ';
            }

            at += 8 + padded;
        }

        return buffer;
    }

    /// <summary>Parses an Implicit VR Little Endian command set; strict (group 0000 only, lengths checked).</summary>
    public static DimseCommand Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedLength)
        {
            throw new DicomProtocolException("A command set of " + bytes.Length + " bytes exceeds the limit.");
        }

        var ds = new DicomDataset();
        var at = 0;
        uint previous = 0;
        var first = true;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 8)
            {
                throw new DicomProtocolException("A command element header is truncated.");
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]);
            var tag = new DicomTag(group, element);
            if (group != 0x0000)
            {
                throw new DicomProtocolException("A command set holds an element outside group 0000.");
            }

            if (!first && tag.Value <= previous)
            {
                throw new DicomProtocolException("Command elements are not in ascending order.");
            }

            if (length > (uint)(bytes.Length - at - 8))
            {
                throw new DicomProtocolException("A command element is longer than the command set.");
            }

            ds.AddOrUpdate(new DicomElement(tag, CommandTag.VROf(tag), bytes.Slice(at + 8, (int)length).ToArray()));
            previous = tag.Value;
            first = false;
            at += 8 + (int)length;
        }

        var command = new DimseCommand(ds);
        if (!ds.Contains(CommandTag.CommandField))
        {
            throw new DicomProtocolException("A command set has no Command Field.");
        }

        return command;
    }

    /// <summary>The command field and message id, for logs (no UIDs or other values).</summary>
    public override string ToString() =>
        CommandField.ToString() + " #" + (IsRequest ? MessageId : MessageIdBeingRespondedTo).ToString(CultureInfo.InvariantCulture);

    private static void WriteHeader(Span<byte> span, DicomTag tag, uint length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], length);
    }
}
