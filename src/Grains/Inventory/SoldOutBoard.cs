using System.Collections.Concurrent;

namespace Shop.Grains;

/// <summary>
/// What this silo's inventory grains know to be sold out, for checkouts on the same silo to answer
/// without a call to the product's grain (under a flash sale, most of the requests after the sell-out).
/// </summary>
/// <remarks>
/// A grain posts its committed availability only while it knows it (its own batches were the last writes)
/// and takes it down inside any other write's update, before that write can commit, and when it
/// deactivates. So an entry is never older than the stock it describes: reading "3 left" here means the
/// committed stock was 3 at that moment, exactly what the grain itself would have answered. Checkouts on
/// other silos ask the grain, as before.
/// </remarks>
public sealed class SoldOutBoard
{
    private readonly ConcurrentDictionary<long, Posting> postings = new();

    /// <summary>The committed availability, when the product's grain on this silo knows it.</summary>
    public bool TryGet(long productId, out int available, out string productName)
    {
        if (postings.TryGetValue(productId, out var posting))
        {
            (available, productName) = (posting.Available, posting.ProductName);
            return true;
        }

        (available, productName) = (0, "");
        return false;
    }

    internal void Post(long productId, int available, string productName) => postings[productId] = new Posting(available, productName);

    internal void TakeDown(long productId) => postings.TryRemove(productId, out _);

    private sealed record Posting(int Available, string ProductName);
}
