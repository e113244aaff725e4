namespace Shop.Grains;

/// <summary>
/// Section <c>Shop:Sales</c>: how a product's inventory grain, and a silo's sales desk, combine concurrent
/// buyers into transactions. The batch limits apply to both.
/// </summary>
public sealed class SalesOptions
{
    /// <summary>
    /// Most buyers in one transaction. Larger batches sell faster and wait longer each; 128 sold about
    /// 8% more than 64 on the hot product (bench, 12,000 buyers, 256 concurrent: 535-542/s against 497/s).
    /// At most <see cref="OrderIds.PerBatch"/>: a batch's orders share one range of ids.
    /// </summary>
    public int MaxBatch { get; set; } = 128;

    /// <summary>Batches of one product (or of one desk) in flight at once: the next one builds while the previous commits.</summary>
    public int MaxBatchesInFlight { get; set; } = 2;

    /// <summary>
    /// Whether a buyer of a product nobody else is buying at that moment, and a cart of several products, go
    /// to the silo's sales desk, which sells many products' buyers in one transaction, instead of each
    /// taking a transaction of its own.
    /// </summary>
    public bool SalesDesk { get; set; } = true;

    /// <summary>
    /// Whether a desk sells lone buyers from stock leases (<see cref="IStockLaneGrain"/>): a product grants a
    /// desk's lane a few units ahead, and the buyers that follow are sold without the product's grain in
    /// their transaction until the lease runs out or something else needs the product (docs/stock-leases.md).
    /// </summary>
    public bool StockLeases { get; set; } = true;

    /// <summary>
    /// Units a product grants a lease beyond what the desk's buyers of the moment want: the larger, the fewer
    /// desk transactions the product's grain takes part in (units in a lease are still for sale, to any desk,
    /// and come back whenever anything else needs the product).
    /// </summary>
    public int LeaseExtra { get; set; } = 32;

    /// <summary>How many lanes of leases there are; each silo's desk picks one when it activates.</summary>
    public int StockLanes { get; set; } = 16;

    /// <summary>
    /// A lease no desk sold from for this long goes back to its product (a lane's record holds every lease
    /// it has, and every batch selling from the lane writes it whole); a desk's memory of it lapses too.
    /// </summary>
    public TimeSpan IdleLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The window in which <see cref="Crowd"/> buyers of one product at one silo (counted by its checkouts,
    /// <see cref="ProductTraffic"/>) make a crowd that the product's grain batches itself; a buyer of a
    /// product with fewer buyers in the window goes to the desk.
    /// </summary>
    public TimeSpan QuietBeforeDesk { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How many earlier buyers of one product within <see cref="QuietBeforeDesk"/> make a crowd (and while
    /// the product's own batch runs or has buyers waiting, its next buyers join it anyway). One, as it was
    /// until 2026-12-01, kept a tenth of a thousand busy products' buyers (a second buyer within 100 ms)
    /// in transactions of one or two buyers, several times a desk buyer's cost; a hot product is a crowd
    /// within its first milliseconds either way (on a hot product at 64 concurrent buyers, handing the desk
    /// every buyer who found the grain idle sold about a tenth less).
    /// </summary>
    public int Crowd { get; set; } = 4;

    /// <summary>Most buyers waiting for one product; beyond this a buyer is turned away with 503.</summary>
    public int MaxWaiting { get; set; } = 5000;

    /// <summary>Most buyers waiting at one silo's sales desk; beyond this a buyer is turned away with 503.</summary>
    public int MaxDeskWaiting { get; set; } = 10_000;

    /// <summary>
    /// A buyer still waiting after this long (for a product's grain or at a sales desk), and too far back in
    /// the queue for the next batch, is turned away (503) before entering a transaction.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long the product's catalog data is reused for order snapshots (changes also refresh it).</summary>
    public TimeSpan ProductCacheTime { get; set; } = TimeSpan.FromSeconds(2);
}
