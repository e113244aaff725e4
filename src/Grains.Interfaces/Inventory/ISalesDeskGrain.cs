namespace Shop;

/// <summary>
/// A silo's sales desk: sells to the buyers of products that have no queue of their own (one buyer at a
/// time, as most products see in a busy shop) and to carts of several products, combining many buyers
/// of many products into one transaction. A product's inventory grain hands a buyer here when nobody
/// else is buying it; under contention it batches its own buyers. One stateless worker per silo, so
/// every silo has its own desk and no single grain sits on every checkout's path.
/// </summary>
[Alias("Shop.ISalesDeskGrain")]
public interface ISalesDeskGrain : IGrainWithIntegerKey
{
    /// <summary>Sells the request's lines to one buyer whose cart holds exactly those lines.</summary>
    Task<SaleOutcome> SellAsync(SaleRequest request);
}
