using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Shop.Api.Checkout;

namespace Shop.Tests.Api;

/// <summary>
/// The API's side of a checkout whose answers are lost on the way back (a call that timed out, a silo
/// that died): the request is answered with what happened, its order or "nothing was ordered", never a
/// guess. The checkouts run for real on the test cluster; only their answers are dropped.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CheckoutRunnerTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task ACheckoutWhoseEveryAnswerWasLostIsAnsweredWithTheOrderItCreated()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var checkouts = new LostAnswers(shop.Grains.GetGrain<ICheckoutGrain>(0), run: true);

        var result = await Runner(checkouts).CheckoutAsync(user, Request(address.Id), CancellationToken.None);

        Assert.True(result.Order is not null, $"Answered {result.Rejection?.GetType().Name}: {result.Rejection?.Message}");
        Assert.Equal([1, 2, 3, 4], checkouts.Attempts);
        Assert.Equal(result.Order.Id, Assert.Single((await shop.UserOrders(user).ListAsync(null, new PageRequest())).Items).Id);
        Assert.Equal(3, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Empty((await shop.Cart(user).GetAsync()).Items);
    }

    [Fact]
    public async Task ACheckoutNoAttemptOfWhichRanIsAnsweredNothingWasOrderedAndChangesNothing()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var checkouts = new LostAnswers(shop.Grains.GetGrain<ICheckoutGrain>(0), run: false);

        var result = await Runner(checkouts).CheckoutAsync(user, Request(address.Id), CancellationToken.None);

        var refusal = Assert.IsType<ServiceUnavailableException>(result.Rejection);
        Assert.Contains("Nothing was ordered", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(5, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Equal(2, Assert.Single((await shop.Cart(user).GetAsync()).Items).Quantity);
        Assert.Equal(0, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
    }

    [Fact]
    public async Task ACheckoutTheSiloCouldNotSettleIsSettledByTheApiWithoutAnotherAttempt()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        // The silo's own lookup of an in-doubt outcome ran out of time (the checkout did commit).
        var checkouts = new LostAnswers(shop.Grains.GetGrain<ICheckoutGrain>(0), run: true, inDoubt: true);

        var result = await Runner(checkouts).CheckoutAsync(user, Request(address.Id), CancellationToken.None);

        Assert.True(result.Order is not null, $"Answered {result.Rejection?.GetType().Name}: {result.Rejection?.Message}");
        Assert.Equal([1], checkouts.Attempts);
        Assert.Equal(4, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }

    private static CheckoutRequest Request(long addressId) =>
        new(addressId, null, null, PaymentMethod.CreditCard, null, Guid.NewGuid());

    private static CheckoutRunner Runner(ICheckoutGrain checkouts) =>
        new(GrainFactoryOf(checkouts), NullLogger<CheckoutRunner>.Instance);

    private static IGrainFactory GrainFactoryOf(ICheckoutGrain checkouts)
    {
        var factory = DispatchProxy.Create<IGrainFactory, OneGrain>();
        ((OneGrain)(object)factory).Grain = checkouts;
        return factory;
    }

    /// <summary>A grain factory that knows one grain: the checkout entry point the runner asks for.</summary>
    public class OneGrain : DispatchProxy
    {
        public object? Grain { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IGrainFactory.GetGrain) ? Grain : throw new NotSupportedException(targetMethod?.Name);
    }

    /// <summary>
    /// The real checkout entry point, whose answers never arrive: each attempt runs (or, with
    /// <c>run: false</c>, is lost on the way there) and its caller gets a timeout; with <c>inDoubt</c>,
    /// the answer is the silo's "outcome not established" instead. Settling is passed through.
    /// </summary>
    private sealed class LostAnswers(ICheckoutGrain real, bool run, bool inDoubt = false) : ICheckoutGrain
    {
        private readonly ConcurrentQueue<int> attempts = new();

        public int[] Attempts => [.. attempts];

        public async Task<CheckoutResult> CheckoutAsync(string userId, CheckoutRequest request)
        {
            attempts.Enqueue(request.Attempt);
            if (run)
            {
                await real.CheckoutAsync(userId, request);
            }

            return inDoubt
                ? CheckoutResult.Refused(new OutcomeUnknownException("The outcome of the request could not be established yet."))
                : throw new TimeoutException("The answer was lost.");
        }

        public Task<OrderDetails?> SettleAsync(string userId, CheckoutRequest request) => real.SettleAsync(userId, request);
    }
}
