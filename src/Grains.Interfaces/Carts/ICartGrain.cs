using System.Collections.Immutable;

namespace Shop;

/// <summary>
/// A user's cart, keyed by user id. Transactional, because checkout clears it in the same transaction
/// that takes the stock: a cart in plain persistent state would stay cleared when a checkout aborts.
/// </summary>
[Alias("Shop.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    [Transaction(TransactionOption.CreateOrJoin), ReadOnly]
    Task<CartView> GetAsync();

    /// <summary>Adds to the line's quantity (1..1000 per request and per line).</summary>
    [Transaction(TransactionOption.CreateOrJoin)]
    Task<CartView> AddItemAsync(long productId, int quantity);

    /// <summary>Sets the line's quantity; 0 removes the line.</summary>
    [Transaction(TransactionOption.CreateOrJoin)]
    Task<CartView> SetQuantityAsync(long productId, int quantity);

    [Transaction(TransactionOption.CreateOrJoin)]
    Task<CartView> RemoveItemAsync(long productId);

    [Transaction(TransactionOption.CreateOrJoin)]
    Task ClearAsync();

    /// <summary>Empties the cart for a checkout and returns what it held.</summary>
    /// <exception cref="EmptyCartException">The cart has no lines.</exception>
    [Transaction(TransactionOption.Join)]
    Task<ImmutableArray<CartLine>> TakeForCheckoutAsync();
}
