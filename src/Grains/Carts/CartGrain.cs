using System.Collections.Immutable;

namespace Shop.Grains;

[GenerateSerializer, Alias("shop.cart.v1")]
public sealed class CartState
{
    [Id(0)] public List<CartLine> Lines { get; set; } = [];
}

/// <summary>
/// The cart's own changes run as transactions it starts itself, so when one returns the cart knows its
/// committed lines and answers reads from memory. The only change made elsewhere is a checkout taking
/// the lines; that makes the known lines unknown until the next read, which is then transactional.
/// </summary>
public sealed class CartGrain(
    [TransactionalState("cart", ShopStorage.Transactions)] ITransactionalState<CartState> state,
    TransactionRunner transactions) : Grain, ICartGrain
{
    private ImmutableArray<CartLine>? committed;

    public async Task<CartView> GetAsync() => await ViewAsync(await GetLinesAsync());

    public async Task<ImmutableArray<CartLine>> GetLinesAsync() =>
        committed ??= await transactions.RunAsync("reading a cart", () => state.PerformRead(s => s.Lines.ToImmutableArray()));

    public async Task<CartView> AddItemAsync(long productId, int quantity)
    {
        CartRules.ValidateQuantity(quantity, allowZero: false);
        await EnsureProductExistsAsync(productId);
        return await ChangeAsync(s =>
        {
            var index = s.Lines.FindIndex(l => l.ProductId == productId);
            var current = index < 0 ? 0 : s.Lines[index].Quantity;
            if (current + quantity > CartRules.MaxLineQuantity)
            {
                throw new ValidationException("quantity",
                    $"A cart line holds at most {CartRules.MaxLineQuantity} units; this one has {current}, so at most {CartRules.MaxLineQuantity - current} more can be added.");
            }

            SetLine(s, index, productId, current + quantity);
        });
    }

    public async Task<CartView> SetQuantityAsync(long productId, int quantity)
    {
        CartRules.ValidateQuantity(quantity, allowZero: true);
        await EnsureProductExistsAsync(productId);
        return await ChangeAsync(s =>
        {
            var index = s.Lines.FindIndex(l => l.ProductId == productId);
            if (quantity > 0)
            {
                SetLine(s, index, productId, quantity);
            }
            else if (index >= 0)
            {
                s.Lines.RemoveAt(index);
            }
        });
    }

    public Task<CartView> RemoveItemAsync(long productId) => SetQuantityAsync(productId, 0);

    public Task ClearAsync() => ChangeAsync(s => s.Lines.Clear());

    public Task<ImmutableArray<CartLine>> TakeForCheckoutAsync()
    {
        // Whether this checkout commits is decided elsewhere: until a read says otherwise, the lines are unknown.
        committed = null;
        return state.PerformUpdate(s =>
        {
            if (s.Lines.Count == 0)
            {
                throw new EmptyCartException();
            }

            var lines = s.Lines.ToImmutableArray();
            s.Lines.Clear();
            return lines;
        });
    }

    private async Task<CartView> ChangeAsync(Action<CartState> change)
    {
        var before = committed;
        committed = null;
        ImmutableArray<CartLine> lines;
        try
        {
            lines = await transactions.RunAsync("changing a cart", () => state.PerformUpdate(s =>
            {
                change(s);
                return s.Lines.ToImmutableArray();
            }));
        }
        catch (ShopException)
        {
            // A broken rule aborted the change: the cart is as it was.
            committed = before;
            throw;
        }

        committed = lines;
        return await ViewAsync(lines);
    }

    private static void SetLine(CartState s, int index, long productId, int quantity)
    {
        if (index >= 0)
        {
            s.Lines[index] = new CartLine(productId, quantity);
        }
        else if (s.Lines.Count >= CartRules.MaxLines)
        {
            throw new ValidationException("product_id", $"A cart holds at most {CartRules.MaxLines} different products.");
        }
        else
        {
            s.Lines.Add(new CartLine(productId, quantity));
        }
    }

    private async Task EnsureProductExistsAsync(long productId)
    {
        if (productId <= 0 || await GrainFactory.GetGrain<IProductGrain>(productId).FindAsync() is null)
        {
            throw new NotFoundException("Product", productId);
        }
    }

    private async Task<CartView> ViewAsync(ImmutableArray<CartLine> lines)
    {
        if (lines.IsEmpty)
        {
            return CartView.Empty;
        }

        var products = await Task.WhenAll(lines.Select(l => GrainFactory.GetGrain<IProductGrain>(l.ProductId).GetAsync()));
        return new CartView([.. lines.Zip(products, (line, product) => new CartItemView(line.ProductId, product.Name, line.Quantity, product.Price))]);
    }
}
