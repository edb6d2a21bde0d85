using System.Buffers.Binary;

namespace MedImageCleaner.Network.Tests;

public sealed class PduCodecTests
{
    private static AssociateParameters Sample() => new()
    {
        CalledAETitle = "PACS",
        CallingAETitle = "MODALITY",
        PresentationContexts =
        [
            new PresentationContext(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"]),
            new PresentationContext(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
        ],
        MaxPduLength = 16384,
        RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)],
        UserIdentity = UserIdentity.FromUserName("user", "secret"),
        AsyncOperations = (1, 1),
    };

    [Fact]
    public void AssociateRequest_RoundTrip_KeepsEveryField()
    {
        var bytes = AssociatePduCodec.Encode(Sample(), accept: false);
        var back = AssociatePduCodec.Decode(bytes, accept: false);
        Assert.Equal("PACS", back.CalledAETitle);
        Assert.Equal("MODALITY", back.CallingAETitle);
        Assert.Equal(AssociateParameters.DicomApplicationContext, back.ApplicationContext);
        Assert.Equal(2, back.PresentationContexts.Count);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", back.PresentationContexts[1].AbstractSyntax);
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"], back.PresentationContexts[1].TransferSyntaxes);
        Assert.Equal(16384u, back.MaxPduLength);
        Assert.Equal(NetworkDefaults.ImplementationClassUid, back.ImplementationClassUid);
        Assert.Equal(NetworkDefaults.ImplementationVersionName, back.ImplementationVersionName);
        Assert.Equal(Sample().RoleSelections, back.RoleSelections);
        Assert.Equal((ushort)2, back.UserIdentity!.Type);
        Assert.Equal("secret"u8.ToArray(), back.UserIdentity.Secondary.ToArray());
        Assert.Equal(((ushort)1, (ushort)1), back.AsyncOperations);
    }

    [Fact]
    public void AssociateAccept_RoundTrip_KeepsResultsAndTheOneSyntax()
    {
        var ac = Sample() with
        {
            PresentationContexts =
            [
                new PresentationContext(1, string.Empty, ["1.2.840.10008.1.2"]),
                new PresentationContext(3, string.Empty, [], PresentationContextResult.AbstractSyntaxNotSupported),
            ],
            UserIdentityResponse = new byte[] { 1, 2, 3 },
        };
        var back = AssociatePduCodec.Decode(AssociatePduCodec.Encode(ac, accept: true), accept: true);
        Assert.Equal("1.2.840.10008.1.2", back.PresentationContexts[0].AcceptedTransferSyntax);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, back.PresentationContexts[1].Result);
        Assert.Null(back.PresentationContexts[1].AcceptedTransferSyntax);
        Assert.Equal(new byte[] { 1, 2, 3 }, back.UserIdentityResponse!.Value.ToArray());
    }

    [Fact]
    public void Decode_ItemLongerThanItsParent_Throws()
    {
        var bytes = AssociatePduCodec.Encode(Sample(), accept: false);

        // The application context item starts at 68: claim 0xFFFF bytes.
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(70), 0xFFFF);
        Assert.Throws<DicomProtocolException>(() => AssociatePduCodec.Decode(bytes, accept: false));
    }

    [Fact]
    public void Decode_EveryTruncation_ThrowsProtocolErrorOnly()
    {
        var bytes = AssociatePduCodec.Encode(Sample(), accept: false);
        for (var n = 0; n < bytes.Length; n++)
        {
            try
            {
                AssociatePduCodec.Decode(bytes.AsSpan(0, n), accept: false);
            }
            catch (DicomProtocolException)
            {
                // expected; any other exception type fails the test
            }
        }
    }

    [Fact]
    public void Decode_NonDigitUid_Throws()
    {
        var p = Sample() with { PresentationContexts = [new PresentationContext(1, "1.2.x", ["1.2.840.10008.1.2"])] };
        var bytes = AssociatePduCodec.Encode(p, accept: false);
        Assert.Throws<DicomProtocolException>(() => AssociatePduCodec.Decode(bytes, accept: false));
    }

    [Fact]
    public void AeTitle_PaddedAndTrimmed()
    {
        Assert.Equal("AB", AeTitle.FromBytes(AeTitle.ToBytes(" AB ")));
        Assert.False(AeTitle.IsValid("THIS_TITLE_IS_TOO_LONG"));
        Assert.False(AeTitle.IsValid("A\\B"));
        Assert.False(AeTitle.IsValid("   "));
        Assert.True(AeTitle.IsValid("STORESCP"));
    }
}
