namespace Shop.Grains;

/// <summary>The names of the storage providers the grains use; the silo decides what backs them.</summary>
public static class ShopStorage
{
    /// <summary>Plain grain state (products, SKUs, address books, id blocks).</summary>
    public const string State = "shop";

    /// <summary>Transactional state (inventory, carts, orders, user order lists, outbox lanes).</summary>
    public const string Transactions = "shop-transactions";
}
