using Microsoft.Extensions.Options;

namespace Shop.Grains;

/// <summary>
/// Deliberately two integers: Orleans rewrites the whole transactional record, with a copy per pending
/// transaction, on every commit, so history (the audit trail) lives in the outbox, not here.
/// </summary>
[GenerateSerializer, Alias("shop.inventory.v1")]
public sealed class InventoryState
{
    [Id(0)] public int Stock { get; set; }

    [Id(1)] public int Reserved { get; set; }

    [Id(2)] public bool Initialized { get; set; }
}

public sealed class InventoryGrain(
    [TransactionalState("inventory", ShopStorage.Transactions)] ITransactionalState<InventoryState> state,
    TransactionRunner transactions,
    IOptions<OutboxOptions> outbox) : Grain, IInventoryGrain
{
    private long ProductId => this.GetPrimaryKeyLong();

    public Task InitializeAsync(int stock)
    {
        if (stock is < 0 or > InventoryRules.MaxStock)
        {
            throw new ValidationException("initial_stock", $"initial_stock must be between 0 and {InventoryRules.MaxStock}.");
        }

        return state.PerformUpdate(s =>
        {
            if (!s.Initialized)
            {
                s.Stock = stock;
                s.Initialized = true;
            }
        });
    }

    public Task<InventoryLevel> GetAsync() =>
        state.PerformRead(s => s.Initialized ? Level(s) : throw new NotFoundException("Product", ProductId));

    public Task<InventoryLevel> ReserveAsync(int quantity, string productName)
    {
        InventoryRules.ValidateQuantity(quantity);
        return state.PerformUpdate(s =>
        {
            EnsureAvailable(s, quantity, productName);
            s.Reserved += quantity;
            return Level(s);
        });
    }

    public Task<InventoryLevel> FulfilAsync(int quantity)
    {
        InventoryRules.ValidateQuantity(quantity);
        return state.PerformUpdate(s =>
        {
            if (quantity > s.Reserved)
            {
                throw new ConflictException($"Cannot fulfil {quantity} units of product {ProductId}: only {s.Reserved} are reserved.");
            }

            s.Reserved -= quantity;
            s.Stock -= quantity;
            return Level(s);
        });
    }

    public Task<InventoryLevel> ReleaseAsync(int quantity)
    {
        InventoryRules.ValidateQuantity(quantity);
        return state.PerformUpdate(s =>
        {
            if (quantity > s.Reserved)
            {
                throw new ConflictException($"Cannot release {quantity} units of product {ProductId}: only {s.Reserved} are reserved.");
            }

            s.Reserved -= quantity;
            return Level(s);
        });
    }

    public Task<InventoryLevel> SellAsync(int quantity, string productName)
    {
        InventoryRules.ValidateQuantity(quantity);
        // Check, reserve and fulfil in one update: the net effect is stock going down by the quantity.
        return state.PerformUpdate(s =>
        {
            EnsureAvailable(s, quantity, productName);
            s.Stock -= quantity;
            return Level(s);
        });
    }

    public Task<InventoryLevel> RestoreAsync(int quantity)
    {
        InventoryRules.ValidateQuantity(quantity);
        return state.PerformUpdate(s =>
        {
            if (s.Stock > InventoryRules.MaxStock - quantity)
            {
                throw new ConflictException($"Restoring {quantity} units would take the stock of product {ProductId} above {InventoryRules.MaxStock}.");
            }

            s.Stock += quantity;
            return Level(s);
        });
    }

    public async Task<InventoryLevel> AdjustAsync(StockAdjustment adjustment)
    {
        InventoryRules.Validate(adjustment);
        await EnsureProductExistsAsync();
        return await transactions.RunAsync("a stock adjustment", async () =>
        {
            var level = await state.PerformUpdate(s =>
            {
                var stock = (long)s.Stock + adjustment.Delta;
                if (stock < 0 || stock < s.Reserved)
                {
                    throw new ConflictException(
                        $"Cannot adjust stock by {adjustment.Delta}: stock would be {stock}, below 0 or below the {s.Reserved} units reserved.");
                }

                if (stock > InventoryRules.MaxStock)
                {
                    throw new ConflictException($"Cannot adjust stock by {adjustment.Delta}: stock would exceed {InventoryRules.MaxStock}.");
                }

                s.Stock = (int)stock;
                return Level(s);
            });
            var record = AuditTexts.StockAdjusted(ProductId, adjustment, level, DateTime.UtcNow);
            await GrainFactory.GetGrain<IOutboxGrain>(outbox.Value.PickLane()).AppendAsync(new OutboxBatch([record], []));
            return level;
        });
    }

    private async Task EnsureProductExistsAsync()
    {
        if (await GrainFactory.GetGrain<IProductGrain>(ProductId).FindAsync() is null)
        {
            throw new NotFoundException("Product", ProductId);
        }
    }

    private void EnsureAvailable(InventoryState s, int quantity, string productName)
    {
        var available = s.Stock - s.Reserved;
        if (available < quantity)
        {
            throw new InsufficientStockException(ProductId, productName, available, quantity);
        }
    }

    private InventoryLevel Level(InventoryState s) => new(ProductId, s.Stock, s.Reserved);
}
