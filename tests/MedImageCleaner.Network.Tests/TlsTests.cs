using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MedImageCleaner.Network.Tests;

/// <summary>Secure transport (PS3.15 B.1): the association runs inside TLS when both sides are given TLS options.</summary>
public sealed class TlsTests
{
    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task EchoAndStore_OverTls_Succeed_AndAPlainClientIsNotServed()
    {
        using var cert = SelfSigned();
        var folder = NetworkTestSupport.TempFolder("tls");
        try
        {
            var options = new AssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(3), ReadTimeout = TimeSpan.FromSeconds(5) };
            var received = new System.Collections.Concurrent.ConcurrentQueue<ReceivedInstance>();
            await using var server = new DicomServer(
                new DicomServerOptions { AETitle = "TLS", Association = options, Tls = new SslServerAuthenticationOptions { ServerCertificate = cert } },
                [new EchoService(), new StorageService(new StorageServiceOptions { Destination = folder, MinFreeDiskBytes = 0 }, received.Enqueue)]);
            server.Start(IPAddress.Loopback, 0);
            var tls = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetCertHashString() == cert.GetCertHashString(),
            };
            var peer = new DicomPeer { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, CalledAETitle = "TLS", Tls = tls };
            await using (var a = await DicomClient.ConnectAsync(peer, [(NetworkDefaults.VerificationSopClass, ["1.2.840.10008.1.2"])], options))
            {
                Assert.Equal(DimseStatus.Success, (await a.EchoAsync()).Status);
                await a.ReleaseAsync();
            }

            // A C-STORE over TLS stores the data set bytes as sent.
            var file = Path.Combine(folder, "in.dcm");
            await File.WriteAllBytesAsync(file, BuildCtFile("1.2.826.0.1.3680043.2.1143.1"));
            await using (var scu = new StoreClient(peer, new StoreClientOptions { Association = options }))
            {
                var r = await scu.StoreAsync(file);
                Assert.Equal(DimseStatus.Success, r.Status);
            }

            var stored = Assert.Single(received);
            Assert.Equal(StoreTests.DataSetBytes(file), StoreTests.DataSetBytes(stored.FullName));

            // Without TLS the server's handshake fails: no association.
            await Assert.ThrowsAnyAsync<DicomNetworkException>(() =>
                DicomClient.ConnectAsync(peer with { Tls = null }, [(NetworkDefaults.VerificationSopClass, ["1.2.840.10008.1.2"])], options));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A minimal Part 10 CT file (meta + a few implicit VR elements) written with our meta writer.</summary>
    private static byte[] BuildCtFile(string instance)
    {
        using var ms = new MemoryStream();
        StorageService.WriteMeta(ms, "1.2.840.10008.5.1.4.1.1.2", instance, "1.2.840.10008.1.2", "TEST");
        var ds = new Dicom.DicomDataset();
        ds.AddOrUpdate(Dicom.DicomTag.SOPClassUID, Dicom.DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.AddOrUpdate(Dicom.DicomTag.SOPInstanceUID, Dicom.DicomVR.UI, instance);
        ds.AddOrUpdate(Dicom.DicomTag.Modality, Dicom.DicomVR.CS, "CT");
        Dicom.IO.DicomWriter.WriteDataset(ms, ds, Dicom.TransferSyntax.ImplicitVRLittleEndian);
        return ms.ToArray();
    }
}
