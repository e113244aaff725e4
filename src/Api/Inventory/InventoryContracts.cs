using Shop.Api.Validation;

namespace Shop.Api.Inventory;

public sealed record AdjustmentRequest(int? Delta, string? Reason) : IValidatable
{
    public StockAdjustment ToAdjustment(string userId) => new(Require.Present(Delta, "delta"), Reason?.Trim() ?? "", userId);

    public void Validate() => InventoryRules.Validate(ToAdjustment("validation"));
}

/// <summary>An inventory record; its <c>id</c> is the product id.</summary>
public sealed record InventoryResponse(long Id, long ProductId, int StockQuantity, int ReservedQuantity, int AvailableQuantity)
{
    public static InventoryResponse From(InventoryLevel level) =>
        new(level.ProductId, level.ProductId, level.Stock, level.Reserved, level.Available);
}
