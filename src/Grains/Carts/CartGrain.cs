using System.Collections.Immutable;

namespace Shop.Grains;

/// <summary>A user's cart and order book: one transactional record, so a checkout writes it once.</summary>
[GenerateSerializer, Alias("shop.cart.v1")]
public sealed class CartState
{
    [Id(0)] public List<CartLine> Lines { get; set; } = [];

    /// <summary>The user's orders, oldest first.</summary>
    [Id(1)] public List<OrderSummary> Orders { get; set; } = [];

    /// <summary>The idempotency records of the user's checkouts, by key.</summary>
    [Id(2)] public Dictionary<string, CheckoutRecord> Checkouts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Checkout requests a retry superseded: their attempts numbered below the fence may not book.</summary>
    [Id(3)] public Dictionary<Guid, CheckoutFence> Fences { get; set; } = [];
}

/// <summary>Attempts of a request numbered below <c>Below</c> may not book the cart (set at <c>At</c>).</summary>
[GenerateSerializer, Immutable, Alias("shop.checkout-fence.v1")]
public sealed record CheckoutFence(int Below, DateTime At);

/// <summary>
/// A user's cart, their order book ("my orders" and the idempotency records of their checkouts) and
/// their address book: the grain behind <see cref="ICartGrain"/>, <see cref="IUserOrdersGrain"/> and
/// <see cref="IAddressBookGrain"/> for a user id. A checkout empties the cart and books the order in the
/// same record, so each buyer adds one participant (and its two storage writes) fewer to a flash sale's
/// transaction than two grains would; and it starts with one call that reads the cart and the addresses
/// it ships to, not one per grain (a sold-out answer costs that call alone).
/// </summary>
/// <remarks>
/// The cart's own changes run as transactions it starts itself, so when one returns the cart knows its
/// committed lines and idempotency records and answers reads from memory. The only changes to them
/// made elsewhere are checkouts taking the lines and booking a record; those make both unknown until
/// the next read, which is then transactional. Updating order summaries touches neither.
/// <para>
/// A crowd batch's buyer is not a participant of the batch's transaction: the cart checks the checkout against
/// its committed record and writes the order it now waits on to one plain row (<see cref="ICheckoutWaits"/>, a
/// batched write, no transaction), and the batch commits the order without the cart. Its lines stay in the
/// record meanwhile, but nothing may use them: everything that answers from or changes the cart settles the
/// waiting order first, asking the batch's order grain for the final word (which voids the order if the batch
/// had not committed it), and books it (the lines taken, the order and the key recorded) or lets it go. Reads
/// inside a caller's transaction (my orders, a key's record) answer as settling would, without writing.
/// </para>
/// </remarks>
public sealed class CartGrain(
    [TransactionalState("cart", ShopStorage.Transactions)] ITransactionalState<CartState> state,
    [PersistentState("address-book", ShopStorage.State)] IPersistentState<AddressBookState> addressBook,
    TransactionRunner transactions,
    IdGenerator ids,
    ICheckoutWaits waits) : Grain, ICartGrain, IUserOrdersGrain, IAddressBookGrain
{
    /// <summary>Idempotency records are kept this long (the contract promises at least 24 hours).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(48);

    /// <summary>
    /// Fences are kept this long: far longer than a superseded attempt can still be on its way (a request's
    /// retries end within a minute or two, a batch waits seconds at most).
    /// </summary>
    public static readonly TimeSpan FenceRetention = TimeSpan.FromHours(1);

    private readonly AddressBook addresses = new(addressBook, ids);

    /// <summary>The committed lines and idempotency records, when known.</summary>
    private Committed? known;

    /// <summary>The order this cart waits on (its <see cref="ICheckoutWaits"/> row), once read; and the row's version.</summary>
    private (BatchCheckout? Order, long? Version)? waiting;

    private string UserId => this.GetPrimaryKeyString();

    public async Task<CartView> GetAsync() => await ViewAsync((await SettledAsync()).Lines);

    public async Task<CheckoutStart> StartCheckoutAsync(string? recordKey, long shippingAddressId, long billingAddressId)
    {
        var shipping = addresses.Get(shippingAddressId);
        var billing = billingAddressId == shippingAddressId ? shipping : addresses.Get(billingAddressId);
        var (lines, records, _) = await SettledAsync();
        return new CheckoutStart(lines, recordKey is null ? null : Live(records, recordKey), shipping, billing);
    }

    public Task<AddressDetails> AddAsync(NewAddress address) => addresses.AddAsync(address);

    public Task<ImmutableArray<AddressDetails>> ListAsync() => Task.FromResult(addresses.List());

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

    public async Task<ImmutableArray<CartLine>> TakeForCheckoutAsync()
    {
        // Whether this checkout commits is decided elsewhere: until a read says otherwise, the cart is unknown.
        await ThrowIfWaitingAsync();
        known = null;
        return await state.PerformUpdate(Take);
    }

    public async Task RecordCheckoutAsync(OrderSummary order, CheckoutRecord? record, CheckoutAttempt? attempt = null)
    {
        await ThrowIfWaitingAsync();
        known = null;
        await state.PerformUpdate(s => Book(s, order, record, attempt));
    }

    public async Task<ImmutableArray<CartLine>> TakeAndBookAsync(OrderSummary order, CheckoutRecord record, CheckoutAttempt? attempt = null)
    {
        await ThrowIfWaitingAsync();
        known = null;
        return await state.PerformUpdate(s =>
        {
            // The key first: a recorded key explains an empty cart, not the other way round.
            Book(s, order, record, attempt);
            return Take(s);
        });
    }

    public async Task<ImmutableArray<CartLine>> TakeForBatchAsync(BatchCheckout checkout, CheckoutAttempt? attempt = null)
    {
        var current = await SettledAsync(except: checkout.Order.Id);
        var (order, version) = await WaitingAsync();
        if (order is not null)
        {
            // Taken for this order by an earlier attempt of the same batch.
            return order.Lines;
        }

        // What the cart's own transaction would check, against its committed record: nothing else can change it
        // between here and the row's write (this grain runs one call at a time, and every other writer of the
        // record settles or refuses while an order waits).
        EnsureBookable(current.Fences, current.Records, checkout.Record, attempt);
        if (!current.Lines.SequenceEqual(checkout.Lines))
        {
            throw current.Lines.IsEmpty ? new EmptyCartException() : new CartChangedException();
        }

        await WriteWaitingAsync(checkout, version);
        return checkout.Lines;
    }

    public async Task ReturnFromBatchAsync(long orderId)
    {
        var (order, version) = await WaitingAsync();
        if (order?.Order.Id == orderId)
        {
            await WriteWaitingAsync(null, version);
        }
    }

    public async Task SupersedeAsync(CheckoutAttempt attempt)
    {
        // An attempt's order waiting on a batch is settled for good first: after the fence it cannot commit.
        await SettledAsync();
        known = null;
        // Like a change of the cart's own: it commits after any checkout holding the cart, and leaves the
        // committed records in memory for the StartCheckoutAsync that follows.
        known = await transactions.RunAsync("superseding earlier checkout attempts", () => state.PerformUpdate(s =>
        {
            Prune(s.Fences, f => f.At, FenceRetention);
            var below = s.Fences.TryGetValue(attempt.RequestId, out var fence) ? Math.Max(fence.Below, attempt.Number) : attempt.Number;
            s.Fences[attempt.RequestId] = new CheckoutFence(below, DateTime.UtcNow);
            return Committed.Of(s);
        }));
    }

    public async Task UpdateAsync(OrderSummary order)
    {
        var (waitingOrder, _) = await WaitingAsync();
        var booking = waitingOrder?.Order.Id == order.Id ? waitingOrder : null;
        if (booking is not null)
        {
            known = null;
        }

        await state.PerformUpdate(s =>
        {
            if (booking is not null)
            {
                // The order is being changed, so its batch committed it: booked here (the row is let go when the cart next settles).
                BookWaiting(s, booking);
            }

            Update(s, order);
        });
    }

    private static void Update(CartState s, OrderSummary order)
    {
        var index = s.Orders.FindLastIndex(o => o.Id == order.Id);
        if (index >= 0 && s.Orders[index].Version < order.Version)
        {
            s.Orders[index] = order;
        }
    }

    public async Task<CheckoutRecord?> FindCheckoutAsync(string idempotencyKey)
    {
        var (order, _) = await WaitingAsync();
        var record = await state.PerformRead(s => Live(s.Checkouts, idempotencyKey));
        return record is null && order?.Record.IdempotencyKey == idempotencyKey && await CommittedAsync(order)
            ? order.Record
            : record;
    }

    public async Task<Page<OrderSummary>> ListAsync(OrderStatus? status, PageRequest page)
    {
        page.Validate();
        var (waitingOrder, _) = await WaitingAsync();
        var orders = await state.PerformRead(s => s.Orders.ToList());
        if (waitingOrder is not null && !orders.Exists(o => o.Id == waitingOrder.Order.Id) && await CommittedAsync(waitingOrder))
        {
            orders.Add(waitingOrder.Order);
        }

        var matches = Enumerable.Reverse(orders).Where(o => status is not { } wanted || o.Status == wanted).ToList();
        return Page.Slice(matches, matches.Count, page);
    }

    private async Task<Committed> KnownAsync() =>
        known ??= await transactions.RunAsync("reading a cart", () => state.PerformRead(Committed.Of));

    /// <summary>
    /// The committed cart once an order it waits on (other than <paramref name="except"/>) is settled: booked if
    /// the batch committed it, let go if the batch can no longer commit it (the batch's order grain says which).
    /// </summary>
    private async Task<Committed> SettledAsync(long? except = null)
    {
        var (order, version) = await WaitingAsync();
        if (order is null || order.Order.Id == except)
        {
            return await KnownAsync();
        }

        if (await BatchOf(order).ResolveAsync(order.Order.Id) is not null)
        {
            known = null;
            known = await transactions.RunAsync("booking a batch's order", () => state.PerformUpdate(s =>
            {
                BookWaiting(s, order);
                return Committed.Of(s);
            }));
        }

        await WriteWaitingAsync(null, version);
        return await KnownAsync();
    }

    /// <summary>The order the cart waits on, read from its row once per activation.</summary>
    private async Task<(BatchCheckout? Order, long? Version)> WaitingAsync() => waiting ??= await waits.ReadAsync(UserId);

    private async Task WriteWaitingAsync(BatchCheckout? order, long? version)
    {
        if (!await waits.WriteAsync(UserId, order, version, (version ?? 0) + 1))
        {
            // Another activation of this cart wrote the row (this one is on its way out): read it again next time.
            waiting = null;
            throw new ServiceUnavailableException("This cart was busy elsewhere. Nothing was ordered; please try again.");
        }

        waiting = (order, (version ?? 0) + 1);
    }

    /// <summary>Whether the batch committed the order (read-only: the cart settles it at its next change).</summary>
    private async Task<bool> CommittedAsync(BatchCheckout order) => await BatchOf(order).FindAsync(order.Order.Id) is not null;

    private IOrderBatchGrain BatchOf(BatchCheckout order) => GrainFactory.GetGrain<IOrderBatchGrain>(
        OrderIds.BatchOf(order.Order.Id) ?? throw new InvalidOperationException($"Order {order.Order.Id} is not a batch's."));

    /// <summary>Books a batch's committed order: the lines it took leave the cart, the order and the key are recorded. Once.</summary>
    private static void BookWaiting(CartState s, BatchCheckout order)
    {
        if (s.Checkouts.TryGetValue(order.Record.IdempotencyKey, out var booked) && booked.OrderId == order.Order.Id)
        {
            return;
        }

        foreach (var line in order.Lines)
        {
            s.Lines.Remove(line);
        }

        Book(s, order.Order, order.Record, attempt: null);
    }

    private async Task ThrowIfWaitingAsync()
    {
        if ((await WaitingAsync()).Order is not null)
        {
            throw new ServiceUnavailableException("This cart's previous checkout is still being completed. Nothing was ordered; please try again.");
        }
    }

    private async Task<CartView> ChangeAsync(Action<CartState> change)
    {
        await SettledAsync();
        var before = known;
        known = null;
        try
        {
            // The records come along, so a checkout right after the cart's last change starts from memory.
            known = await transactions.RunAsync("changing a cart", () => state.PerformUpdate(s =>
            {
                change(s);
                return Committed.Of(s);
            }));
        }
        catch (ShopException)
        {
            // A broken rule aborted the change: the cart is as it was.
            known = before;
            throw;
        }

        return await ViewAsync(known.Lines);
    }

    /// <summary>The record under <paramref name="key"/>, unless it is older than the retention.</summary>
    private static CheckoutRecord? Live(IReadOnlyDictionary<string, CheckoutRecord> records, string key) =>
        records.TryGetValue(key, out var record) && record.CreatedAt > DateTime.UtcNow - Retention ? record : null;

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

    private static ImmutableArray<CartLine> Take(CartState s)
    {
        if (s.Lines.Count == 0)
        {
            throw new EmptyCartException();
        }

        var lines = s.Lines.ToImmutableArray();
        s.Lines.Clear();
        return lines;
    }

    private static void Book(CartState s, OrderSummary order, CheckoutRecord? record, CheckoutAttempt? attempt)
    {
        EnsureBookable(s.Fences, s.Checkouts, record, attempt);
        if (record is not null)
        {
            Prune(s.Checkouts, r => r.CreatedAt, Retention);
            s.Checkouts[record.IdempotencyKey] = record;
        }

        s.Orders.Add(order);
    }

    /// <summary>What a checkout's booking must pass: no fence against its attempt, and its key not recorded before.</summary>
    private static void EnsureBookable(
        IReadOnlyDictionary<Guid, CheckoutFence> fences, IReadOnlyDictionary<string, CheckoutRecord> checkouts, CheckoutRecord? record, CheckoutAttempt? attempt)
    {
        if (attempt is not null && fences.TryGetValue(attempt.RequestId, out var fence) && attempt.Number < fence.Below)
        {
            throw new CheckoutSupersededException();
        }

        if (record is not null && Live(checkouts, record.IdempotencyKey) is { } earlier)
        {
            throw earlier.Fingerprint == record.Fingerprint
                ? new CheckoutAlreadyRecordedException(earlier.OrderId)
                : new IdempotencyKeyReusedException();
        }
    }

    /// <summary>Forgets the entries written before <paramref name="retention"/> ago (<paramref name="writtenAt"/> says when each was).</summary>
    private static void Prune<TKey, TValue>(Dictionary<TKey, TValue> entries, Func<TValue, DateTime> writtenAt, TimeSpan retention)
        where TKey : notnull
    {
        var cutoff = DateTime.UtcNow - retention;
        foreach (var (key, value) in entries)
        {
            if (writtenAt(value) < cutoff)
            {
                entries.Remove(key);
            }
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

    /// <summary>A snapshot of the committed lines and idempotency records (a shared empty one for the usual none).</summary>
    /// <remarks>Immutable, so a transactional read or update hands it out without a copy.</remarks>
    [Immutable]
    private sealed record Committed(
        ImmutableArray<CartLine> Lines, ImmutableDictionary<string, CheckoutRecord> Records, ImmutableDictionary<Guid, CheckoutFence> Fences)
    {
        private static readonly ImmutableDictionary<string, CheckoutRecord> NoRecords = ImmutableDictionary.Create<string, CheckoutRecord>(StringComparer.Ordinal);

        public static Committed Of(CartState s) => new(
            s.Lines.ToImmutableArray(),
            s.Checkouts.Count == 0 ? NoRecords : s.Checkouts.ToImmutableDictionary(StringComparer.Ordinal),
            s.Fences.Count == 0 ? ImmutableDictionary<Guid, CheckoutFence>.Empty : s.Fences.ToImmutableDictionary());
    }
}
