using Shop.Bench.Load;
using Shop.Bench.Measurement;

namespace Shop.Bench.Targets;

/// <summary>A shop under test, started for one run: its API, its processes, and its books after the sale.</summary>
public interface ITarget : IAsyncDisposable
{
    /// <summary>"shop" or "baseline".</summary>
    string Name { get; }

    /// <summary>An HTTP client of its API, sized for the run's concurrency: preparation, books, the first entrance.</summary>
    HttpClient Http { get; }

    /// <summary>
    /// Every process that serves the API, one client each (<see cref="Http"/> first): the checkout load's
    /// workers are spread over them, each keeping its connection to one, as behind a load balancer.
    /// </summary>
    IReadOnlyList<HttpClient> Entrances { get; }

    /// <summary>
    /// The processes whose runtime counters (garbage collections, <see cref="GcMeter"/>) are read from their
    /// <c>/metrics</c>: Shop's processes serving the API (co-hosted, the default: all of Shop); none for the baseline.
    /// </summary>
    IReadOnlyList<HttpClient> RuntimeMetrics { get; }

    /// <summary>The server processes whose CPU time and memory count against it.</summary>
    IReadOnlyList<MeasuredProcess> Processes { get; }

    /// <summary>Stock per product, orders and sold lines as the target records them, once they reach <paramref name="expected"/> or the wait ends.</summary>
    Task<Ledger> ReadLedgerAsync(IReadOnlyList<long> productIds, LedgerExpectation expected, CancellationToken cancellation);

    /// <summary>Whether <paramref name="buyer"/> has an order: how a checkout with an unknown outcome ended.</summary>
    Task<bool> HasOrderAsync(Buyer buyer, CancellationToken cancellation);
}

/// <summary>The orders and sold lines the acknowledged checkouts account for.</summary>
public sealed record LedgerExpectation(long Orders, long Lines);

/// <summary>
/// A target's books: stock by product id, its order count, and its count of sold lines (Shop: the audit
/// trail's ORDER_FULFILLED entries; the baseline: order_items rows), and how long the counts took to settle.
/// </summary>
public sealed record Ledger(IReadOnlyDictionary<long, int> Stock, long Orders, long Lines, string LinesSource, double SettledAfterSeconds);
