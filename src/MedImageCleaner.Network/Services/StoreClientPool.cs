using System.Collections.Concurrent;

namespace MedImageCleaner.Network;

/// <summary>
/// C-STORE SCU for parallel senders: each call borrows a <see cref="StoreClient"/> (one association each), so N
/// concurrent callers use N associations, each reused for the files it sends. Thread-safe.
/// </summary>
public sealed class StoreClientPool(DicomPeer peer, StoreClientOptions options) : IAsyncDisposable
{
    private readonly ConcurrentBag<StoreClient> _idle = [];
    private readonly ConcurrentBag<StoreClient> _all = [];

    /// <summary>Associations opened by every client so far.</summary>
    public int AssociationsOpened
    {
        get
        {
            var n = 0;
            foreach (var c in _all)
            {
                n += c.AssociationsOpened;
            }

            return n;
        }
    }

    /// <summary>Sends one file on an idle client's association (a new client when none is idle).</summary>
    public async Task<StoreResult> StoreAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!_idle.TryTake(out var client))
        {
            client = new StoreClient(peer, options);
            _all.Add(client);
        }

        try
        {
            return await client.StoreAsync(path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _idle.Add(client);
        }
    }

    /// <summary>Releases every association.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var c in _all)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }
}
