namespace Shop.Grains;

/// <summary>
/// Configurable pricing rules (section <c>Shop:Pricing</c>), all zero by default.
/// </summary>
public sealed class PricingOptions
{
    /// <summary>Tax as a fraction of the subtotal (0.19 is 19%).</summary>
    public decimal TaxRate { get; set; }

    /// <summary>Shipping charged on every order below the free-shipping threshold.</summary>
    public decimal FlatShipping { get; set; }

    /// <summary>Orders whose subtotal reaches this ship free; 0 means there is no threshold.</summary>
    public decimal FreeShippingThreshold { get; set; }
}

[GenerateSerializer, Immutable]
public sealed record OrderTotals(decimal Subtotal, decimal Tax, decimal Shipping, decimal Discount)
{
    public decimal Total => Subtotal + Tax + Shipping - Discount;
}

public static class Pricing
{
    /// <summary>
    /// Line totals are exact (prices have at most two decimals). Tax is computed on the subtotal and
    /// rounded once, to cents, half away from zero (0.005 becomes 0.01), as receipts do.
    /// </summary>
    public static OrderTotals Calculate(decimal subtotal, PricingOptions rules)
    {
        var tax = decimal.Round(subtotal * rules.TaxRate, 2, MidpointRounding.AwayFromZero);
        var freeShipping = rules.FreeShippingThreshold > 0 && subtotal >= rules.FreeShippingThreshold;
        var shipping = freeShipping ? 0m : rules.FlatShipping;
        return new OrderTotals(subtotal, tax, shipping, 0m);
    }
}
