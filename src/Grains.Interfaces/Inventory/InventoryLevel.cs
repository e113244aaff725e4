namespace Shop;

/// <summary>A product's stock: <c>0 &lt;= Reserved &lt;= Stock</c>, and what can still be sold is <see cref="Available"/>.</summary>
[GenerateSerializer, Immutable, Alias("Shop.InventoryLevel")]
public sealed record InventoryLevel(long ProductId, int Stock, int Reserved)
{
    public int Available => Stock - Reserved;
}

/// <summary>A manual stock correction (delivery, damage, count): <c>Delta</c> is never 0.</summary>
[GenerateSerializer, Immutable, Alias("Shop.StockAdjustment")]
public sealed record StockAdjustment(int Delta, string Reason, string UserId);

public static class InventoryRules
{
    /// <summary>Stock never exceeds this, so no sum of stock and quantities overflows an <see cref="int"/>.</summary>
    public const int MaxStock = 1_000_000_000;

    public const int MaxReasonLength = 200;

    public static void ValidateQuantity(int quantity, string field = "quantity")
    {
        if (quantity <= 0)
        {
            throw new ValidationException(field, $"{field} must be greater than 0.");
        }

        if (quantity > MaxStock)
        {
            throw new ValidationException(field, $"{field} must be at most {MaxStock}.");
        }
    }

    public static void Validate(StockAdjustment adjustment)
    {
        if (adjustment.Delta == 0)
        {
            throw new ValidationException("delta", "delta must not be 0.");
        }

        if (adjustment.Delta is > MaxStock or < -MaxStock)
        {
            throw new ValidationException("delta", $"delta must be between -{MaxStock} and {MaxStock}.");
        }

        if (string.IsNullOrWhiteSpace(adjustment.Reason))
        {
            throw new ValidationException("reason", "reason is required.");
        }

        if (adjustment.Reason.Length > MaxReasonLength)
        {
            throw new ValidationException("reason", $"reason must be at most {MaxReasonLength} characters.");
        }
    }
}
