using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Shop.Grains;

/// <summary>
/// What this silo's checkouts see of each product's buyers, so that a checkout can send a lone buyer
/// straight to the silo's sales desk and a crowd to the product's grain, which batches it: the latest
/// arrivals per product, and which products' grains on this silo are selling batches of their own.
/// </summary>
/// <remarks>
/// Routing only: where a buyer is sold decides how many buyers share a transaction, never whether the
/// sale is exact (the desk and the product's grain both sell from the committed stock, in a transaction).
/// Arrivals are kept in a fixed table of slots by product id, so a catalog of any size costs the same; two
/// products sharing a slot take it from each other, which only makes one of them look quieter for a moment.
/// Each silo counts its own buyers: behind a load balancer a product's crowd is a crowd on every silo.
/// </remarks>
public sealed class ProductTraffic
{
    private const int Slots = 4096;
    private readonly Arrivals[] slots;
    private readonly ConcurrentDictionary<long, object> selling = new();
    private readonly TimeSpan window;

    public ProductTraffic(IOptions<SalesOptions> options)
    {
        window = options.Value.QuietBeforeDesk;
        slots = new Arrivals[Slots];
        for (var i = 0; i < Slots; i++)
        {
            slots[i] = new Arrivals(options.Value.Crowd);
        }
    }

    /// <summary>
    /// Counts a buyer of the product arriving at <paramref name="now"/>; whether the product's grain should
    /// sell it: <see cref="SalesOptions.Crowd"/> of its buyers came to this silo within
    /// <see cref="SalesOptions.QuietBeforeDesk"/> before it, or its grain on this silo is selling a batch.
    /// </summary>
    public bool IsCrowded(long productId, DateTime now) =>
        slots[(int)((ulong)productId % Slots)].Arrive(productId, now, window) | selling.ContainsKey(productId);

    /// <summary>Called by the product's grain (on this silo, as <paramref name="seller"/>): it started selling batches of its own.</summary>
    public void SellingStarted(long productId, object seller) => selling[productId] = seller;

    /// <summary>
    /// Called by the product's grain: it has no batch running and nobody waiting any more, or is going away.
    /// Only the seller that started it ends it: an activation going away after a newer one of the same
    /// product started selling (a deactivation finishing late) leaves the newer one's mark.
    /// </summary>
    public void SellingEnded(long productId, object seller) => selling.TryRemove(KeyValuePair.Create(productId, seller));

    /// <summary>The latest arrivals of one product: a ring of Crowd entries, the oldest about to be overwritten.</summary>
    private sealed class Arrivals(int crowd)
    {
        private readonly DateTime[] ring = new DateTime[crowd];
        private long productId = -1;
        private int next;

        public bool Arrive(long product, DateTime now, TimeSpan window)
        {
            lock (ring)
            {
                if (product != productId)
                {
                    // Another product had this slot: its history is not this one's.
                    Array.Clear(ring);
                    (productId, next) = (product, 0);
                }

                var crowded = now - ring[next] < window;
                ring[next] = now;
                next = (next + 1) % ring.Length;
                return crowded;
            }
        }
    }
}
