using System.Buffers.Binary;
using System.Text;

namespace MedImageCleaner.Network;

/// <summary>
/// Encodes and parses the variable part of A-ASSOCIATE-RQ/-AC (PS3.8 9.3.2, 9.3.3 and the user information
/// sub-items of PS3.7 Annex D). Parsing is strict: every item length is checked against what is left of its parent
/// before anything is read or allocated; a violation throws <see cref="DicomProtocolException"/>.
/// </summary>
internal static class AssociatePduCodec
{
    private const byte ApplicationContextItem = 0x10;
    private const byte PresentationContextRqItem = 0x20;
    private const byte PresentationContextAcItem = 0x21;
    private const byte AbstractSyntaxItem = 0x30;
    private const byte TransferSyntaxItem = 0x40;
    private const byte UserInformationItem = 0x50;
    private const byte MaxLengthSubItem = 0x51;
    private const byte ImplementationClassSubItem = 0x52;
    private const byte AsyncOperationsSubItem = 0x53;
    private const byte RoleSelectionSubItem = 0x54;
    private const byte ImplementationVersionSubItem = 0x55;
    private const byte UserIdentityRqSubItem = 0x58;
    private const byte UserIdentityAcSubItem = 0x59;
    private const int MaxUidLength = 64;

    /// <summary>The PDU body (after the 6-byte header) of an A-ASSOCIATE-RQ (<paramref name="accept"/> false) or -AC.</summary>
    public static byte[] Encode(AssociateParameters p, bool accept)
    {
        var w = new ByteWriter(256);
        w.U16(p.ProtocolVersion);
        w.U16(0);
        w.Bytes(AeTitle.ToBytes(p.CalledAETitle));
        w.Bytes(AeTitle.ToBytes(p.CallingAETitle));
        w.Zeros(32);
        Item(w, ApplicationContextItem, Encoding.ASCII.GetBytes(p.ApplicationContext));
        foreach (var pc in p.PresentationContexts)
        {
            var body = new ByteWriter(128);
            body.U8(pc.Id);
            body.U8(0);
            body.U8(accept ? (byte)pc.Result : (byte)0);
            body.U8(0);
            if (!accept)
            {
                Item(body, AbstractSyntaxItem, Uid(pc.AbstractSyntax));
            }

            foreach (var ts in pc.TransferSyntaxes)
            {
                Item(body, TransferSyntaxItem, Uid(ts));
                if (accept)
                {
                    break;
                }
            }

            if (accept && pc.TransferSyntaxes.Count == 0)
            {
                // A rejected context still carries one (ignored) transfer syntax sub-item.
                Item(body, TransferSyntaxItem, []);
            }

            Item(w, accept ? PresentationContextAcItem : PresentationContextRqItem, body.ToArray());
        }

        var user = new ByteWriter(128);
        var max = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(max, p.MaxPduLength);
        Item(user, MaxLengthSubItem, max);
        Item(user, ImplementationClassSubItem, Uid(p.ImplementationClassUid));
        if (p.AsyncOperations is { } async)
        {
            var a = new byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(a, async.Invoked);
            BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(2), async.Performed);
            Item(user, AsyncOperationsSubItem, a);
        }

        foreach (var role in p.RoleSelections)
        {
            var uid = Uid(role.SopClassUid);
            var r = new ByteWriter(uid.Length + 4);
            r.U16((ushort)uid.Length);
            r.Bytes(uid);
            r.U8(role.ScuRole ? (byte)1 : (byte)0);
            r.U8(role.ScpRole ? (byte)1 : (byte)0);
            Item(user, RoleSelectionSubItem, r.ToArray());
        }

        if (!string.IsNullOrEmpty(p.ImplementationVersionName))
        {
            var name = Encoding.ASCII.GetBytes(p.ImplementationVersionName);
            Item(user, ImplementationVersionSubItem, name.Length > 16 ? name[..16] : name);
        }

        if (!accept && p.UserIdentity is { } id)
        {
            var u = new ByteWriter(id.Primary.Length + id.Secondary.Length + 6);
            u.U8(id.Type);
            u.U8(id.PositiveResponseRequested ? (byte)1 : (byte)0);
            u.U16(checked((ushort)id.Primary.Length));
            u.Bytes(id.Primary.Span);
            u.U16(checked((ushort)id.Secondary.Length));
            u.Bytes(id.Secondary.Span);
            Item(user, UserIdentityRqSubItem, u.ToArray());
        }

        if (accept && p.UserIdentityResponse is { } response)
        {
            var u = new ByteWriter(response.Length + 2);
            u.U16(checked((ushort)response.Length));
            u.Bytes(response.Span);
            Item(user, UserIdentityAcSubItem, u.ToArray());
        }

        foreach (var (type, value) in p.OtherUserItems)
        {
            Item(user, type, value.Span);
        }

        Item(w, UserInformationItem, user.ToArray());
        return w.ToArray();
    }

    /// <summary>Parses the body of an A-ASSOCIATE-RQ or -AC.</summary>
    public static AssociateParameters Decode(ReadOnlySpan<byte> body, bool accept)
    {
        if (body.Length < 68)
        {
            throw Bad("the fixed fields are truncated");
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        var called = AeTitle.FromBytes(body.Slice(4, 16));
        var calling = AeTitle.FromBytes(body.Slice(20, 16));
        var rest = body[68..];
        string? context = null;
        var contexts = new List<PresentationContext>();
        var roles = new List<RoleSelection>();
        var others = new List<(byte, ReadOnlyMemory<byte>)>();
        uint maxPdu = 0;
        string implementationUid = string.Empty;
        string? versionName = null;
        (ushort, ushort)? async = null;
        UserIdentity? identity = null;
        ReadOnlyMemory<byte>? identityResponse = null;
        var sawUser = false;
        while (!rest.IsEmpty)
        {
            var type = NextItem(ref rest, out var value);
            switch (type)
            {
                case ApplicationContextItem:
                    context = ReadUid(value, allowEmpty: false);
                    break;
                case PresentationContextRqItem when !accept:
                case PresentationContextAcItem when accept:
                    contexts.Add(ReadContext(value, accept));
                    if (contexts.Count > 128)
                    {
                        throw Bad("more than 128 presentation contexts");
                    }

                    break;
                case UserInformationItem:
                    sawUser = true;
                    var user = value;
                    while (!user.IsEmpty)
                    {
                        var subType = NextItem(ref user, out var sub);
                        switch (subType)
                        {
                            case MaxLengthSubItem:
                                maxPdu = sub.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(sub) : throw Bad("the maximum length sub-item is not 4 bytes");
                                break;
                            case ImplementationClassSubItem:
                                implementationUid = ReadUid(sub, allowEmpty: true);
                                break;
                            case ImplementationVersionSubItem:
                                versionName = sub.Length <= 16 ? Encoding.ASCII.GetString(sub).Trim() : throw Bad("the implementation version name is longer than 16 bytes");
                                break;
                            case AsyncOperationsSubItem:
                                async = sub.Length == 4
                                    ? (BinaryPrimitives.ReadUInt16BigEndian(sub), BinaryPrimitives.ReadUInt16BigEndian(sub[2..]))
                                    : throw Bad("the asynchronous operations sub-item is not 4 bytes");
                                break;
                            case RoleSelectionSubItem:
                                roles.Add(ReadRole(sub));
                                if (roles.Count > 128)
                                {
                                    throw Bad("more than 128 role selections");
                                }

                                break;
                            case UserIdentityRqSubItem when !accept:
                                identity = ReadIdentity(sub);
                                break;
                            case UserIdentityAcSubItem when accept:
                                identityResponse = ReadShortField(ref sub).ToArray();
                                break;
                            default:
                                if (others.Count >= 64)
                                {
                                    throw Bad("too many user information sub-items");
                                }

                                others.Add((subType, sub.ToArray()));
                                break;
                        }
                    }

                    break;
                default:
                    throw Bad("unexpected item type 0x" + type.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (context is null || !sawUser)
        {
            throw Bad(context is null ? "no application context item" : "no user information item");
        }

        return new AssociateParameters
        {
            ProtocolVersion = version,
            CalledAETitle = called,
            CallingAETitle = calling,
            ApplicationContext = context,
            PresentationContexts = contexts,
            MaxPduLength = maxPdu,
            ImplementationClassUid = implementationUid,
            ImplementationVersionName = versionName,
            AsyncOperations = async,
            RoleSelections = roles,
            UserIdentity = identity,
            UserIdentityResponse = identityResponse,
            OtherUserItems = others,
        };
    }

    private static PresentationContext ReadContext(ReadOnlySpan<byte> value, bool accept)
    {
        if (value.Length < 4)
        {
            throw Bad("a presentation context item is truncated");
        }

        var id = value[0];
        var result = value[2];
        if (accept && result > 4)
        {
            throw Bad("a presentation context result is out of range");
        }

        var rest = value[4..];
        string abstractSyntax = string.Empty;
        var syntaxes = new List<string>();
        while (!rest.IsEmpty)
        {
            var type = NextItem(ref rest, out var sub);
            if (type == AbstractSyntaxItem && !accept)
            {
                abstractSyntax = ReadUid(sub, allowEmpty: false);
            }
            else if (type == TransferSyntaxItem)
            {
                if (syntaxes.Count >= 64)
                {
                    throw Bad("more than 64 transfer syntaxes in a presentation context");
                }

                var ts = ReadUid(sub, allowEmpty: accept);
                if (ts.Length > 0)
                {
                    syntaxes.Add(ts);
                }
            }
            else
            {
                throw Bad("unexpected sub-item in a presentation context");
            }
        }

        return new PresentationContext(id, abstractSyntax, syntaxes, accept ? (PresentationContextResult)result : PresentationContextResult.Acceptance);
    }

    private static RoleSelection ReadRole(ReadOnlySpan<byte> sub)
    {
        var uid = ReadShortField(ref sub);
        if (sub.Length != 2)
        {
            throw Bad("a role selection sub-item has a bad length");
        }

        return new RoleSelection(ReadUid(uid, allowEmpty: false), sub[0] == 1, sub[1] == 1);
    }

    private static UserIdentity ReadIdentity(ReadOnlySpan<byte> sub)
    {
        if (sub.Length < 2)
        {
            throw Bad("the user identity sub-item is truncated");
        }

        var type = sub[0];
        var positive = sub[1] == 1;
        sub = sub[2..];
        var primary = ReadShortField(ref sub).ToArray();
        var secondary = sub.IsEmpty ? [] : ReadShortField(ref sub).ToArray();
        return new UserIdentity(type, positive, primary, secondary);
    }

    private static ReadOnlySpan<byte> ReadShortField(ref ReadOnlySpan<byte> span)
    {
        if (span.Length < 2)
        {
            throw Bad("a length field is truncated");
        }

        var n = BinaryPrimitives.ReadUInt16BigEndian(span);
        if (n > span.Length - 2)
        {
            throw Bad("a field is longer than its item");
        }

        var value = span.Slice(2, n);
        span = span[(2 + n)..];
        return value;
    }

    private static byte NextItem(ref ReadOnlySpan<byte> span, out ReadOnlySpan<byte> value)
    {
        if (span.Length < 4)
        {
            throw Bad("an item header is truncated");
        }

        var type = span[0];
        var length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        if (length > span.Length - 4)
        {
            throw Bad("an item is longer than its parent");
        }

        value = span.Slice(4, length);
        span = span[(4 + length)..];
        return type;
    }

    private static string ReadUid(ReadOnlySpan<byte> value, bool allowEmpty)
    {
        var s = Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
        if ((s.Length == 0 && !allowEmpty) || s.Length > MaxUidLength)
        {
            throw Bad("a UID is empty or longer than 64 characters");
        }

        foreach (var c in s)
        {
            if (c != '.' && !char.IsAsciiDigit(c))
            {
                throw Bad("a UID holds a character other than digits and dots");
            }
        }

        return s;
    }

    private static byte[] Uid(string uid) => Encoding.ASCII.GetBytes(uid);

    private static void Item(ByteWriter w, byte type, ReadOnlySpan<byte> value)
    {
        w.U8(type);
        w.U8(0);
        w.U16(checked((ushort)value.Length));
        w.Bytes(value);
    }

    private static DicomProtocolException Bad(string what) => new("Malformed A-ASSOCIATE PDU: " + what + ".");
}
