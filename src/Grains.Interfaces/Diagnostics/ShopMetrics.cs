using System.Diagnostics.Metrics;

namespace Shop.Diagnostics;

/// <summary>What a checkout ended as, the <c>outcome</c> tag of <c>shop.checkouts</c>.</summary>
public static class CheckoutOutcome
{
    public const string Ok = "ok";
    public const string SoldOut = "sold_out";
    public const string Invalid = "invalid";
    public const string Error = "error";
}

/// <summary>
/// Shop's own meter, <c>Shop</c>. The API counts checkouts as its callers see them (one per request, with
/// the latency they waited); the grains count what committed: units sold and restored per product, and
/// the transactions retried or left in doubt. One instance per host, from its <see cref="IMeterFactory"/>.
/// </summary>
public sealed class ShopMetrics
{
    public const string MeterName = "Shop";

    // Seconds: from a sold-out answer in a millisecond to a checkout that waited out an outage.
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> checkouts;
    private readonly Histogram<double> checkoutDuration;
    private readonly Counter<long> unitsSold;
    private readonly Counter<long> unitsRestored;
    private readonly Counter<long> retries;
    private readonly Counter<long> inDoubt;

    public ShopMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        checkouts = meter.CreateCounter<long>("shop.checkouts", "{checkout}", "Checkouts answered, by outcome: ok, sold_out, invalid, error.");
        checkoutDuration = meter.CreateHistogram<double>(
            "shop.checkout.duration", "s", "How long a checkout took, as its caller waited.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        unitsSold = meter.CreateCounter<long>("shop.units.sold", "{unit}", "Units sold by committed checkouts, by product.");
        unitsRestored = meter.CreateCounter<long>("shop.units.restored", "{unit}", "Units back in stock from committed cancellations, by product.");
        retries = meter.CreateCounter<long>("shop.transaction.retries", "{retry}", "Transactions run again after a transient abort, by operation.");
        inDoubt = meter.CreateCounter<long>("shop.checkout.in_doubt", "{transaction}", "Checkout transactions whose outcome was in doubt and was settled through their record.");
    }

    public void CheckoutAnswered(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        checkouts.Add(1, tag);
        checkoutDuration.Record(duration.TotalSeconds, tag);
    }

    public void UnitsSold(long productId, int units) => unitsSold.Add(units, new KeyValuePair<string, object?>("product_id", productId));

    public void UnitsRestored(long productId, int units) => unitsRestored.Add(units, new KeyValuePair<string, object?>("product_id", productId));

    public void TransactionRetried(string operation) => retries.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void CheckoutInDoubt(string operation) => inDoubt.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
