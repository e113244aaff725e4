using System.Collections.Concurrent;

namespace Shop.Tests;

/// <summary>
/// A caller that lost track of a checkout (its call timed out, or the silo running it died) retries it as
/// the same request's next attempt, while the first attempt may still be in a batch and commit later.
/// </summary>
public sealed class CheckoutRetryTests(HeldCallsClusterFixture fixture) : IClassFixture<HeldCallsClusterFixture>
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task ARetryWhileTheFirstAttemptIsStillInABatchIsNeverToldSoldOutWhileTheFirstCreatesAnOrder()
    {
        // One unit, one buyer: whichever attempt sells it, the buyer must get that order, never "sold out"
        // next to an order of theirs created by the attempt they gave up on.
        var product = await shop.CreateProductAsync(stock: 1);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        var request = new CheckoutRequest(address.Id, null, null, PaymentMethod.CreditCard, null, Guid.NewGuid());
        // The first attempt's batch is held before its transaction (at the catalog read it starts with), so
        // the retry reads the cart before that batch takes it.
        var held = HeldCalls.Hold(nameof(IProductGrain.GetAsync), shop.Grains.GetGrain<IProductGrain>(product.Id).GetGrainId());

        // Both attempts go to the product's grain (the fixture has no sales desk), which lines them up: the
        // retry waits for the first attempt's batch to end and is sold in the next.
        var first = shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(user, request);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        // The caller retries; the retry finds the cart untaken and waits for that batch to end.
        var retry = shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(user, request with { Attempt = 2 });
        await Task.WhenAny(retry, Task.Delay(400));
        held.Release.SetResult();
        var (firstResult, retryResult) = (await first, await retry);

        var orders = await shop.UserOrders(user).ListAsync(null, new PageRequest());
        Assert.True(retryResult.Order is not null, $"The retry was refused ({retryResult.Rejection?.Message}) and the buyer has {orders.Total} orders.");
        Assert.Equal(retryResult.Order.Id, Assert.Single(orders.Items).Id);
        Assert.False(firstResult.Order is { } other && other.Id != retryResult.Order.Id, "The two attempts created two orders.");
        Assert.Equal(0, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Empty((await shop.Cart(user).GetAsync()).Items);
    }

    [Fact]
    public async Task ARetryAfterTheFirstAttemptCommittedReturnsItsOrderAndTakesNothingMore()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var requestId = Guid.NewGuid();

        var first = await CheckoutAsync(user, address.Id, requestId, attempt: 1);
        await shop.Cart(user).AddItemAsync(product.Id, 1);
        var retry = await CheckoutAsync(user, address.Id, requestId, attempt: 2);

        Assert.NotNull(first.Order);
        Assert.Equal(first.Order.Id, retry.Order?.Id);
        Assert.False(retry.Replayed, "The client sent the request once; its answer is 201, not a replay.");
        Assert.Equal(3, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Equal(1, Assert.Single((await shop.Cart(user).GetAsync()).Items).Quantity);
    }

    [Fact]
    public async Task AnAttemptASupersedingRetryFencedOffCannotBookTheCart()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        var requestId = Guid.NewGuid();
        await shop.Cart(user).SupersedeAsync(new CheckoutAttempt(requestId, 3));

        var stale = await CheckoutAsync(user, address.Id, requestId, attempt: 2);

        Assert.IsType<CheckoutSupersededException>(stale.Rejection);
        Assert.Equal(5, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Single((await shop.Cart(user).GetAsync()).Items);
        Assert.Equal(0, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);

        // The attempt that fenced it off goes through.
        var current = await CheckoutAsync(user, address.Id, requestId, attempt: 3);
        Assert.NotNull(current.Order);
        Assert.Equal(4, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }

    [Fact]
    public async Task SettlingARequestWhoseAttemptIsStillOnItsWayAnswersNothingWasOrderedAndKeepsItSo()
    {
        // The API gave up on every attempt (each call timed out) and settles the request before answering:
        // an attempt still on its way must not create an order after the answer said there was none.
        var product = await shop.CreateProductAsync(stock: 1);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        var request = new CheckoutRequest(address.Id, null, null, PaymentMethod.CreditCard, null, Guid.NewGuid());
        var held = HeldCalls.Hold(nameof(IProductGrain.GetAsync), shop.Grains.GetGrain<IProductGrain>(product.Id).GetGrainId());
        var lost = shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(user, request);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));

        var settled = await shop.Grains.GetGrain<ICheckoutGrain>(0).SettleAsync(user, request with { Attempt = 2 });
        held.Release.SetResult();
        var late = await lost;

        Assert.Null(settled);
        Assert.IsType<CheckoutSupersededException>(late.Rejection);
        Assert.Equal(1, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Single((await shop.Cart(user).GetAsync()).Items);
        Assert.Equal(0, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
    }

    [Fact]
    public async Task SettlingARequestWhoseAttemptCommittedAnswersWithItsOrder()
    {
        var product = await shop.CreateProductAsync(stock: 3);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        var requestId = Guid.NewGuid();
        var committed = await CheckoutAsync(user, address.Id, requestId, attempt: 1);

        var settled = await shop.Grains.GetGrain<ICheckoutGrain>(0).SettleAsync(
            user, new CheckoutRequest(address.Id, null, null, PaymentMethod.CreditCard, null, requestId, 2));

        Assert.NotNull(committed.Order);
        Assert.Equal(committed.Order.Id, settled?.Id);
        Assert.Equal(2, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Equal(1, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
    }

    private Task<CheckoutResult> CheckoutAsync(string user, long addressId, Guid requestId, int attempt) =>
        shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(
            user, new CheckoutRequest(addressId, null, null, PaymentMethod.CreditCard, null, requestId, attempt));
}

/// <summary>
/// A cluster in which a test can hold one grain call at the door (see <see cref="HeldCalls"/>), and whose
/// checkouts of one product all go to the product's grain (no sales desk).
/// </summary>
public sealed class HeldCallsClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Shop:Sales:SalesDesk"] = "false",
    };

    protected override void Configure(Orleans.TestingHost.TestClusterBuilder builder) =>
        builder.AddSiloBuilderConfigurator<HeldCallsConfigurator>();

    private sealed class HeldCallsConfigurator : Orleans.TestingHost.ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddIncomingGrainCallFilter<HeldCalls>().AddOutgoingGrainCallFilter<HeldCalls>();
    }
}

/// <summary>
/// Holds the next call of a method on a grain before it runs (or, with <see cref="HoldOutgoing{TGrain}"/>, the next
/// call of an interface's method a silo's grain sends, before it leaves: the target stays free), until the test
/// releases it.
/// </summary>
public sealed class HeldCalls : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(string Method, GrainId Grain), Gate> Gates = new();
    private static readonly ConcurrentDictionary<(Type Interface, string Method), Gate> OutgoingGates = new();

    public static Gate Hold(string method, GrainId grain) => Gates[(method, grain)] = new Gate();

    public static Gate HoldOutgoing<TGrain>(string method) => OutgoingGates[(typeof(TGrain), method)] = new Gate();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is { } method && Gates.TryRemove((method.Name, context.TargetId), out var gate))
        {
            gate.Reached();
            await gate.Release.Task;
        }

        await context.Invoke();
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod is { DeclaringType: { } type } method && OutgoingGates.TryRemove((type, method.Name), out var gate))
        {
            gate.Reached();
            await gate.Release.Task;
        }

        await context.Invoke();
    }

    public sealed class Gate
    {
        private readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arrived => arrived.Task;

        internal void Reached() => arrived.TrySetResult();
    }
}
