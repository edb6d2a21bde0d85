using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MedImageCleaner.Network.Tests;

/// <summary>
/// Thousands of mutated PDU streams (seeded, so every run throws the same bytes) against a receiver: it must not
/// crash, hang or grow without bound, must leave no partial file, and good associations in between must still store.
/// </summary>
public sealed class FuzzTests
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>A whole session as the bytes a client sends: A-ASSOCIATE-RQ, C-STORE-RQ command and data set, A-RELEASE-RQ.</summary>
    private static byte[] Session(string instance)
    {
        var rq = AssociatePduCodec.Encode(
            new AssociateParameters
            {
                CalledAETitle = "DEID",
                CallingAETitle = "FUZZ",
                PresentationContexts = [new PresentationContext(1, CtImageStorage, ["1.2.840.10008.1.2"])],
                MaxPduLength = 16384,
            },
            accept: false);
        var command = DimseCommand.CreateStoreRequest(1, CtImageStorage, instance).Encode();

        // A small implicit VR data set: SOP Class UID, SOP Instance UID, Rows.
        var data = new List<byte>();
        void Element(ushort g, ushort e, byte[] v)
        {
            var h = new byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(h, g);
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(2), e);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), (uint)v.Length);
            data.AddRange(h);
            data.AddRange(v);
        }

        Element(0x0008, 0x0016, "1.2.840.10008.5.1.4.1.1.2\0"u8.ToArray());
        var inst = System.Text.Encoding.ASCII.GetBytes(instance.Length % 2 == 1 ? instance + "\0" : instance);
        Element(0x0008, 0x0018, inst);
        Element(0x0028, 0x0010, [0x10, 0x00]);

        var stream = new List<byte>();
        Pdu(stream, 0x01, rq);
        Pdu(stream, 0x04, Pdv(1, 0x03, command));
        Pdu(stream, 0x04, Pdv(1, 0x02, [.. data]));
        Pdu(stream, 0x05, new byte[4]);
        return [.. stream];
    }

    private static byte[] Pdv(byte context, byte header, byte[] fragment)
    {
        var b = new byte[fragment.Length + 6];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)(fragment.Length + 2));
        b[4] = context;
        b[5] = header;
        fragment.CopyTo(b, 6);
        return b;
    }

    private static void Pdu(List<byte> stream, byte type, byte[] body)
    {
        var h = new byte[6];
        h[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(2), (uint)body.Length);
        stream.AddRange(h);
        stream.AddRange(body);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var b = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0:
                // flip a few bytes
                for (var i = random.Next(1, 8); i > 0; i--)
                {
                    b[random.Next(b.Length)] = (byte)random.Next(256);
                }

                return b;
            case 1:
                // truncate
                return b[..random.Next(b.Length)];
            case 2:
                // a huge or odd 32-bit length somewhere (PDU or PDV length fields)
                BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(random.Next(b.Length - 4)), random.Next(2) == 0 ? 0xFFFFFFF0u : (uint)random.Next());
                return b;
            case 3:
                // a 16-bit item length
                BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(random.Next(b.Length - 2)), (ushort)random.Next(65536));
                return b;
            case 4:
                // random garbage appended or inserted
                var junk = new byte[random.Next(1, 64)];
                random.NextBytes(junk);
                var at = random.Next(b.Length);
                return [.. b[..at], .. junk, .. b[at..]];
            default:
                // pure noise with a plausible PDU type first
                var noise = new byte[random.Next(1, 512)];
                random.NextBytes(noise);
                noise[0] = (byte)random.Next(1, 8);
                return noise;
        }
    }

    private static async Task Throw(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await stream.WriteAsync(bytes, cts.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            while (await stream.ReadAsync(sink, cts.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // the receiver aborted and closed: fine
        }
        catch (SocketException)
        {
        }
    }

    [Fact]
    public async Task Receiver_ThousandsOfMutatedPdus_NoCrashNoHangBoundedMemory_GoodAssociationsStillStore()
    {
        var folder = NetworkTestSupport.TempFolder("fuzz");
        try
        {
            var stored = new System.Collections.Concurrent.ConcurrentBag<ReceivedInstance>();
            var options = new AssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(2), ReadTimeout = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(2), MaxPduLength = 16384 };
            await using var server = new DicomServer(
                new DicomServerOptions { AETitle = "DEID", Association = options, MaxAssociations = 256 },
                [new EchoService(), new StorageService(new StorageServiceOptions { Destination = folder, MinFreeDiskBytes = 0 }, stored.Add)]);
            server.Start(IPAddress.Loopback, 0);
            var port = server.LocalEndPoint.Port;

            // The unmutated session stores (so the fuzz starts from bytes that work).
            await Throw(port, Session("1.2.3.1"));
            Assert.True(File.Exists(Path.Combine(folder, "1.2.3.1.dcm")), "the unmutated session did not store");

            var random = new Random(20261207);
            var template = Session("1.2.3.999");
            GC.Collect();
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            const int Mutations = 3000;
            var good = 1;
            for (var batch = 0; batch < Mutations / 100; batch++)
            {
                var inputs = new byte[100][];
                for (var i = 0; i < inputs.Length; i++)
                {
                    inputs[i] = Mutate(template, random);
                }

                var tasks = new List<Task>();
                foreach (var input in inputs)
                {
                    tasks.Add(Throw(port, input));
                }

                // A good association in the middle of every batch (the limit of associations is above the batch size:
                // a transient rejection for too many associations is another test).
                var uid = "1.2.3." + (++good);
                tasks.Add(Throw(port, Session(uid)));
                await Task.WhenAll(tasks);
                Assert.True(File.Exists(Path.Combine(folder, uid + ".dcm")), "good association " + uid + " did not store after batch " + batch);
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(150), "the fuzz run took " + watch.Elapsed);

            // Every association ends (aborted, timed out or released).
            var settle = Stopwatch.StartNew();
            while (server.ActiveAssociations > 0 && settle.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }

            Assert.Equal(0, server.ActiveAssociations);
            GC.Collect();
            var growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
            Assert.True(growth < 64L * 1024 * 1024, "managed memory grew by " + growth + " bytes");
            Assert.Empty(Directory.GetFiles(folder, "*" + Dicom.IO.AtomicFile.TemporarySuffix));
            for (var i = 1; i <= good; i++)
            {
                Assert.True(File.Exists(Path.Combine(folder, "1.2.3." + i + ".dcm")));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
