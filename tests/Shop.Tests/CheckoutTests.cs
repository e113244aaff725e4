namespace Shop.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CheckoutTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task CheckingOutFiveOfAHundredLeavesNinetyFiveAndCancellingBringsThemBack()
    {
        var product = await shop.CreateProductAsync(stock: 100);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 5));

        var result = await shop.CheckoutAsync(user, address.Id, notes: "Please deliver before 5 PM");

        Assert.Equal(new InventoryLevel(product.Id, 95, 0), await shop.Inventory(product.Id).GetAsync());
        Assert.Equal(95, (await shop.Inventory(product.Id).GetAsync()).Available);
        Assert.Empty((await shop.Cart(user).GetAsync()).Items);
        var order = result.Order;
        Assert.False(result.Replayed);
        Assert.Matches("^ORD-[0-9]{8}-[0-9A-Z]{4,}$", order.OrderNumber);
        Assert.Equal(user, order.UserId);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(PaymentStatus.Pending, order.PaymentStatus);
        Assert.Equal(150.00m, order.Subtotal);
        Assert.Equal(0.00m, order.TaxAmount);
        Assert.Equal(0.00m, order.ShippingAmount);
        Assert.Equal(150.00m, order.TotalAmount);
        Assert.Equal(5, order.TotalItems);
        Assert.Equal("Please deliver before 5 PM", order.Notes);
        Assert.Equal(address, order.ShippingAddress);
        Assert.Equal(address, order.BillingAddress);
        var item = Assert.Single(order.Items);
        Assert.Equal((product.Id, product.Sku, "T-Shirt Red - Medium", 5, 30.00m, 150.00m),
            (item.ProductId, item.Sku, item.ProductName, item.Quantity, item.UnitPrice, item.TotalPrice));
        Assert.Equal(product.Attributes, item.Attributes);
        Same.Equal(order, await shop.Order(order.Id).GetAsync(new OrderAccess(user, IsStaff: false)));

        var cancelled = await shop.Order(order.Id).CancelAsync("Changed my mind", new OrderAccess(user, IsStaff: false));

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal("Changed my mind", cancelled.CancellationReason);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Equal(new InventoryLevel(product.Id, 100, 0), await shop.Inventory(product.Id).GetAsync());

        var again = await Assert.ThrowsAsync<OrderNotCancellableException>(
            () => shop.Order(order.Id).CancelAsync("twice", new OrderAccess(user, IsStaff: false)));
        Assert.Equal("Order with status 'cancelled' cannot be cancelled. Only pending or processing orders can be cancelled.", again.Message);
        Assert.Equal(new InventoryLevel(product.Id, 100, 0), await shop.Inventory(product.Id).GetAsync());

        var audit = await shop.AuditAsync(AuditEntityTypes.Inventory, product.Id);
        Assert.Equal(
            [
                $"Restored 5 units from cancelled order {order.OrderNumber}",
                $"Fulfilled 5 units for order {order.OrderNumber}. Stock: 95, Reserved: 0",
            ],
            audit.Select(e => e.Details));
        var orderAudit = await shop.AuditAsync(AuditEntityTypes.Order, order.Id);
        Assert.Equal(
            [
                (AuditActions.Cancelled, $"Order {order.OrderNumber} cancelled: Changed my mind"),
                (AuditActions.Create, $"Order {order.OrderNumber} created with 5 items"),
            ],
            orderAudit.Select(e => (e.Action, e.Details)));
    }

    [Fact]
    public async Task ACartWithOneShortLineChangesNothingAnywhere()
    {
        var plenty = await shop.CreateProductAsync(stock: 50, name: "Plenty");
        var scarce = await shop.CreateProductAsync(stock: 3, name: "T-Shirt Red - Medium");
        var (user, address) = await shop.ShopperWithCartAsync((plenty.Id, 2), (scarce.Id, 5));
        var cartBefore = await shop.Cart(user).GetAsync();

        var failure = await Assert.ThrowsAsync<InsufficientStockException>(() => shop.CheckoutAsync(user, address.Id));

        Assert.Equal("Insufficient stock for 'T-Shirt Red - Medium'. Available: 3, Requested: 5", failure.Message);
        Assert.Equal(new InventoryLevel(plenty.Id, 50, 0), await shop.Inventory(plenty.Id).GetAsync());
        Assert.Equal(new InventoryLevel(scarce.Id, 3, 0), await shop.Inventory(scarce.Id).GetAsync());
        Same.Equal(cartBefore, await shop.Cart(user).GetAsync());
        Assert.Equal(0, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
        Assert.Empty(await shop.AuditAsync(AuditEntityTypes.Inventory, plenty.Id));
        Assert.Empty(await shop.AuditAsync(AuditEntityTypes.Inventory, scarce.Id));
        var index = await shop.Grains.GetGrain<IOrderIndexGrain>(0).ListAsync(new OrderQuery(null, user, new PageRequest()));
        Assert.Equal(0, index.Total);
    }

    [Fact]
    public async Task CheckingOutAnEmptyCartIsRejectedWithTheContractMessage()
    {
        var user = ShopDriver.NewUserId();
        var address = await shop.AddAddressAsync(user);

        var failure = await Assert.ThrowsAsync<EmptyCartException>(() => shop.CheckoutAsync(user, address.Id));

        Assert.Equal("Cart is empty. Add items before checkout.", failure.Message);
        Assert.Equal(0, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
    }

    [Fact]
    public async Task CheckingOutToSomeoneElsesAddressIsNotFoundAndKeepsTheCart()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (user, _) = await shop.ShopperWithCartAsync((product.Id, 1));
        var stranger = await shop.AddAddressAsync(ShopDriver.NewUserId());

        var failure = await Assert.ThrowsAsync<NotFoundException>(() => shop.CheckoutAsync(user, stranger.Id));

        Assert.Equal($"Address {stranger.Id} not found.", failure.Message);
        Assert.Single((await shop.Cart(user).GetAsync()).Items);
        Assert.Equal(10, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }

    [Fact]
    public async Task AnOrderKeepsItsSnapshotWhenTheProductChanges()
    {
        var product = await shop.CreateProductAsync(stock: 10, price: 12.50m, name: "Mug");
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var order = (await shop.CheckoutAsync(user, address.Id)).Order;

        await shop.Grains.GetGrain<IProductGrain>(product.Id).UpdateAsync(new ProductChanges("Big Mug", 99.00m, null));

        var reloaded = await shop.Order(order.Id).GetAsync(ShopDriver.Staff);
        Assert.Equal(("Mug", 12.50m, 25.00m), (reloaded.Items[0].ProductName, reloaded.Items[0].UnitPrice, reloaded.TotalAmount));
    }

    [Fact]
    public async Task AnotherUsersOrderIsNotFound()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        var order = (await shop.CheckoutAsync(user, address.Id)).Order;
        var stranger = new OrderAccess(ShopDriver.NewUserId(), IsStaff: false);

        var read = await Assert.ThrowsAsync<NotFoundException>(() => shop.Order(order.Id).GetAsync(stranger));
        var cancel = await Assert.ThrowsAsync<NotFoundException>(() => shop.Order(order.Id).CancelAsync(null, stranger));

        Assert.Equal($"Order {order.Id} not found.", read.Message);
        Assert.Equal(read.Message, cancel.Message);
        Assert.Equal(OrderStatus.Pending, (await shop.Order(order.Id).GetAsync(ShopDriver.Staff)).Status);
        Assert.Equal(9, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }

    [Fact]
    public async Task MyOrdersListsNewestFirstAndFiltersByStatus()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var user = ShopDriver.NewUserId();
        var address = await shop.AddAddressAsync(user);
        var orders = new List<OrderDetails>();
        for (var i = 0; i < 3; i++)
        {
            await shop.Cart(user).AddItemAsync(product.Id, 1);
            orders.Add((await shop.CheckoutAsync(user, address.Id)).Order);
        }

        await shop.Order(orders[1].Id).CancelAsync(null, new OrderAccess(user, false));

        var all = await shop.UserOrders(user).ListAsync(null, new PageRequest(1, 2));
        Assert.Equal((3L, 2L), (all.Total, all.Pages));
        Assert.Equal([orders[2].Id, orders[1].Id], all.Items.Select(o => o.Id));
        var cancelled = await shop.UserOrders(user).ListAsync(OrderStatus.Cancelled, new PageRequest());
        Assert.Equal(orders[1].Id, Assert.Single(cancelled.Items).Id);
    }
}
