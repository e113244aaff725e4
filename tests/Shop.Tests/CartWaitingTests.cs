using Orleans.Core.Internal;

namespace Shop.Tests;

/// <summary>
/// A crowd batch's buyers are not participants of its transaction: each cart notes the order it waits on, and
/// settles it with the batch's order grain at its next use. Whatever happens in between, the buyer sees either
/// the order booked and the cart empty, or no order and the cart as it was.
/// </summary>
public sealed class CartWaitingTests(HeldCallsClusterFixture fixture) : IClassFixture<HeldCallsClusterFixture>
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task ABuyerSoldInABatchFindsTheOrderBookedEvenAfterTheCartLostItsActivation()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var request = new CheckoutRequest(address.Id, null, null, PaymentMethod.CreditCard, "key-1");

        var sold = await shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(user, request);
        // The cart's activation goes (as with its silo's crash) before anything settled the order it waited on.
        await shop.Cart(user).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);

        Assert.NotNull(sold.Order);
        Assert.Empty((await shop.Cart(user).GetAsync()).Items);
        Assert.Equal(sold.Order.Id, Assert.Single((await shop.UserOrders(user).ListAsync(null, new PageRequest())).Items).Id);
        var repeated = await shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(user, request);
        Assert.Equal(sold.Order.Id, repeated.Order?.Id);
        Assert.True(repeated.Replayed, "A repeated key is answered as a replay of the first order.");
        Assert.Equal(3, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }

    [Fact]
    public async Task AnOrderUsedBeforeTheCartSettledItIsBookedWithItsChange()
    {
        // "My orders" and the key's record, read in a transaction before the cart settled: the order is there.
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        var request = new CheckoutRequest(address.Id, null, null, PaymentMethod.CreditCard, "key-2");
        var sold = await shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(user, request);
        Assert.NotNull(sold.Order);

        var listed = await shop.UserOrders(user).ListAsync(null, new PageRequest());
        var record = await shop.UserOrders(user).FindCheckoutAsync(request.RecordKey!);
        var cancelled = await shop.Grains.GetGrain<IOrderGrain>(sold.Order.Id).CancelAsync("changed my mind", new OrderAccess(user, IsStaff: false));

        Assert.Equal(sold.Order.Id, Assert.Single(listed.Items).Id);
        Assert.Equal(sold.Order.Id, record?.OrderId);
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(OrderStatus.Cancelled, Assert.Single((await shop.UserOrders(user).ListAsync(null, new PageRequest())).Items).Status);
        Assert.Empty((await shop.Cart(user).GetAsync()).Items);
        Assert.Equal(5, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }

    [Fact]
    public async Task ACartSettledBeforeItsBatchRecordedTheOrderKeepsItsLinesAndTheBatchLeavesTheBuyerOut()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        var request = new CheckoutRequest(address.Id, null, null, PaymentMethod.CreditCard, "key-3");
        // The batch has taken the cart and is about to record its orders when the buyer looks at the cart.
        var held = HeldCalls.HoldOutgoing<IOrderBatchGrain>(nameof(IOrderBatchGrain.RecordAsync));
        var checkout = shop.Grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(user, request);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));

        var seen = await shop.Cart(user).GetAsync();
        held.Release.SetResult();
        var result = await checkout;

        // The look settled the order for good as not ordered (the batch had not committed it), so the cart still
        // held its line; the batch then had to leave the buyer out, whose checkout went the general way.
        Assert.Equal(1, Assert.Single(seen.Items).Quantity);
        Assert.NotNull(result.Order);
        Assert.Equal(result.Order.Id, Assert.Single((await shop.UserOrders(user).ListAsync(null, new PageRequest())).Items).Id);
        Assert.Empty((await shop.Cart(user).GetAsync()).Items);
        Assert.Equal(4, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }
}
