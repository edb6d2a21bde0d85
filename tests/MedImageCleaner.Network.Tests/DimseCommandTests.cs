using System.Buffers.Binary;

namespace MedImageCleaner.Network.Tests;

public sealed class DimseCommandTests
{
    [Fact]
    public void StoreRequest_Encode_IsImplicitLittleEndianWithGroupLength()
    {
        var rq = DimseCommand.CreateStoreRequest(7, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5");
        var bytes = rq.Encode();
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal((uint)(bytes.Length - 12), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        var back = DimseCommand.Decode(bytes);
        Assert.Equal(CommandField.CStoreRequest, back.CommandField);
        Assert.Equal((ushort)7, back.MessageId);
        Assert.True(back.HasDataSet);
        Assert.Equal("1.2.3.4.5", back.AffectedSopInstanceUid);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", back.AffectedSopClassUid);
        Assert.Equal(0, bytes.Length % 2);
    }

    [Fact]
    public void CreateResponse_CopiesIdsAndSetsStatus()
    {
        var rq = DimseCommand.CreateEchoRequest(42);
        var rsp = DimseCommand.Decode(DimseCommand.CreateResponse(rq, DimseStatus.Success).Encode());
        Assert.Equal(CommandField.CEchoResponse, rsp.CommandField);
        Assert.Equal((ushort)42, rsp.MessageIdBeingRespondedTo);
        Assert.False(rsp.HasDataSet);
        Assert.False(rsp.IsRequest);
        Assert.Equal(NetworkDefaults.VerificationSopClass, rsp.AffectedSopClassUid);
    }

    [Fact]
    public void Decode_ElementOutsideGroupZero_Throws()
    {
        var bytes = DimseCommand.CreateEchoRequest(1).Encode();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(12), 0x0008);
        Assert.Throws<DicomProtocolException>(() => DimseCommand.Decode(bytes));
    }

    [Fact]
    public void Decode_LengthBeyondEnd_Throws()
    {
        var bytes = DimseCommand.CreateEchoRequest(1).Encode();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 0xFFFFFFF0);
        Assert.Throws<DicomProtocolException>(() => DimseCommand.Decode(bytes));
    }

    [Theory]
    [InlineData(0x0000, DimseStatusKind.Success)]
    [InlineData(0xB000, DimseStatusKind.Warning)]
    [InlineData(0xB007, DimseStatusKind.Warning)]
    [InlineData(0xB006, DimseStatusKind.Warning)]
    [InlineData(0xA700, DimseStatusKind.Failure)]
    [InlineData(0xA900, DimseStatusKind.Failure)]
    [InlineData(0xC001, DimseStatusKind.Failure)]
    [InlineData(0xFF00, DimseStatusKind.Pending)]
    [InlineData(0xFE00, DimseStatusKind.Cancel)]
    public void Classify_KnownCodes(int status, DimseStatusKind kind) => Assert.Equal(kind, DimseStatus.Classify((ushort)status));
}
