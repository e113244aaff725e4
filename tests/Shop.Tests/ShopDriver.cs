using System.Collections.Immutable;

namespace Shop.Tests;

public sealed record PlacedOrder(OrderDetails Order, bool Replayed);

/// <summary>Shortcuts for arranging a scenario; every call uses fresh keys, so tests never share state.</summary>
public sealed class ShopDriver(IGrainFactory grains)
{
    private static readonly ImmutableDictionary<string, string> RedMedium =
        ImmutableDictionary<string, string>.Empty.Add("color", "red").Add("size", "M");

    public IGrainFactory Grains => grains;

    public static string NewUserId() => $"user-{Guid.NewGuid():N}";

    public async Task<ProductDetails> CreateProductAsync(int stock, decimal price = 30.00m, string name = "T-Shirt Red - Medium")
    {
        var created = await grains.GetGrain<IProductRegistrarGrain>(0)
            .CreateAsync(new NewProduct($"TS-{Guid.NewGuid():N}", name, price, RedMedium, stock));
        return created.Product;
    }

    public Task<AddressDetails> AddAddressAsync(string userId) =>
        grains.GetGrain<IAddressBookGrain>(userId).AddAsync(
            new NewAddress("Ada Lovelace", "12 Analytical Way", null, "London", "N1 9GU", "GB", "+44 20 7946 0000"));

    public ICartGrain Cart(string userId) => grains.GetGrain<ICartGrain>(userId);

    public IInventoryGrain Inventory(long productId) => grains.GetGrain<IInventoryGrain>(productId);

    public IOrderGrain Order(long orderId) => grains.GetGrain<IOrderGrain>(orderId);

    public IUserOrdersGrain UserOrders(string userId) => grains.GetGrain<IUserOrdersGrain>(userId);

    /// <summary>Checks out; a refusal is thrown as the domain exception it is.</summary>
    public async Task<PlacedOrder> CheckoutAsync(string userId, long addressId, string? idempotencyKey = null, string? notes = null)
    {
        var result = await grains.GetGrain<ICheckoutGrain>(0)
            .CheckoutAsync(userId, new CheckoutRequest(addressId, null, notes, PaymentMethod.CreditCard, idempotencyKey));
        return result.Rejection is { } rejection ? throw rejection : new PlacedOrder(result.Order!, result.Replayed);
    }

    /// <summary>A user with an address and the given cart lines, ready to check out.</summary>
    public async Task<(string UserId, AddressDetails Address)> ShopperWithCartAsync(params (long ProductId, int Quantity)[] lines)
    {
        var userId = NewUserId();
        var address = await AddAddressAsync(userId);
        foreach (var (productId, quantity) in lines)
        {
            await Cart(userId).AddItemAsync(productId, quantity);
        }

        return (userId, address);
    }

    public static OrderAccess Staff => new("staff", IsStaff: true);

    /// <summary>The audit log after every committed change so far has been projected into it.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string entityType, long entityId)
    {
        await grains.GetGrain<IOrderIndexGrain>(0).CatchUpAsync();
        var entries = new List<AuditEntry>();
        for (var page = 1; ; page++)
        {
            var result = await grains.GetGrain<IAuditLogGrain>(0).ListAsync(new AuditQuery(entityType, entityId, null, new PageRequest(page, 100)));
            entries.AddRange(result.Items);
            if (page >= result.Pages)
            {
                return entries;
            }
        }
    }
}
