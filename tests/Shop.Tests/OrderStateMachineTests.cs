namespace Shop.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OrderStateMachineTests(ClusterFixture fixture)
{
    private static readonly HashSet<(OrderStatus, OrderStatus)> AllowedStatusChanges =
    [
        (OrderStatus.Pending, OrderStatus.Processing),
        (OrderStatus.Processing, OrderStatus.Shipped),
        (OrderStatus.Shipped, OrderStatus.Delivered),
        (OrderStatus.Pending, OrderStatus.Cancelled),
        (OrderStatus.Processing, OrderStatus.Cancelled),
    ];

    private static readonly HashSet<(PaymentStatus, PaymentStatus)> AllowedPaymentChanges =
    [
        (PaymentStatus.Pending, PaymentStatus.Paid),
        (PaymentStatus.Pending, PaymentStatus.Failed),
        (PaymentStatus.Paid, PaymentStatus.Refunded),
    ];

    private readonly ShopDriver shop = new(fixture.Grains);

    public static TheoryData<OrderStatus, OrderStatus> StatusPairs()
    {
        var data = new TheoryData<OrderStatus, OrderStatus>();
        foreach (var from in Enum.GetValues<OrderStatus>())
        {
            foreach (var to in Enum.GetValues<OrderStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    public static TheoryData<PaymentStatus, PaymentStatus> PaymentPairs()
    {
        var data = new TheoryData<PaymentStatus, PaymentStatus>();
        foreach (var from in Enum.GetValues<PaymentStatus>())
        {
            foreach (var to in Enum.GetValues<PaymentStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatusPairs))]
    public async Task EveryOrderStatusChangeIsAllowedOrRejectedByTheStateMachine(OrderStatus from, OrderStatus to)
    {
        var (order, productId) = await OrderInStatusAsync(from);
        var stockBefore = (await shop.Inventory(productId).GetAsync()).Stock;

        var change = () => shop.Order(order.Id).UpdateStatusAsync(new OrderStatusUpdate(to, null), ShopDriver.Staff);

        if (from == to)
        {
            var unchanged = await change();
            Assert.Equal((from, order.Version), (unchanged.Status, unchanged.Version));
        }
        else if (AllowedStatusChanges.Contains((from, to)))
        {
            Assert.Equal(to, (await change()).Status);
            var restored = to == OrderStatus.Cancelled ? order.TotalItems : 0;
            Assert.Equal(stockBefore + restored, (await shop.Inventory(productId).GetAsync()).Stock);
        }
        else
        {
            var failure = await Assert.ThrowsAsync<InvalidStatusTransitionException>(change);
            Assert.Equal($"Cannot change order status from '{WireNames.Of(from)}' to '{WireNames.Of(to)}'.", failure.Message);
            Assert.Equal(from, (await shop.Order(order.Id).GetAsync(ShopDriver.Staff)).Status);
            Assert.Equal(stockBefore, (await shop.Inventory(productId).GetAsync()).Stock);
        }
    }

    [Theory]
    [MemberData(nameof(PaymentPairs))]
    public async Task EveryPaymentStatusChangeIsAllowedOrRejectedByTheStateMachine(PaymentStatus from, PaymentStatus to)
    {
        var order = await OrderWithPaymentAsync(from);

        var change = () => shop.Order(order.Id).UpdateStatusAsync(new OrderStatusUpdate(null, to), ShopDriver.Staff);

        if (from == to)
        {
            var unchanged = await change();
            Assert.Equal((from, order.Version), (unchanged.PaymentStatus, unchanged.Version));
        }
        else if (AllowedPaymentChanges.Contains((from, to)))
        {
            Assert.Equal(to, (await change()).PaymentStatus);
        }
        else
        {
            var failure = await Assert.ThrowsAsync<InvalidPaymentTransitionException>(change);
            Assert.Equal($"Cannot change payment status from '{WireNames.Of(from)}' to '{WireNames.Of(to)}'.", failure.Message);
            Assert.Equal(from, (await shop.Order(order.Id).GetAsync(ShopDriver.Staff)).PaymentStatus);
        }
    }

    [Theory]
    [InlineData(OrderStatus.Pending, true)]
    [InlineData(OrderStatus.Processing, true)]
    [InlineData(OrderStatus.Shipped, false)]
    [InlineData(OrderStatus.Delivered, false)]
    [InlineData(OrderStatus.Cancelled, false)]
    public async Task OnlyPendingAndProcessingOrdersCanBeCancelled(OrderStatus from, bool cancellable)
    {
        var (order, productId) = await OrderInStatusAsync(from);
        var stockBefore = (await shop.Inventory(productId).GetAsync()).Stock;

        var cancel = () => shop.Order(order.Id).CancelAsync("Changed my mind", new OrderAccess(order.UserId, false));

        if (cancellable)
        {
            Assert.Equal(OrderStatus.Cancelled, (await cancel()).Status);
            Assert.Equal(stockBefore + order.TotalItems, (await shop.Inventory(productId).GetAsync()).Stock);
        }
        else
        {
            var failure = await Assert.ThrowsAsync<OrderNotCancellableException>(cancel);
            Assert.Equal(
                $"Order with status '{WireNames.Of(from)}' cannot be cancelled. Only pending or processing orders can be cancelled.",
                failure.Message);
            Assert.Equal(stockBefore, (await shop.Inventory(productId).GetAsync()).Stock);
        }
    }

    [Fact]
    public async Task CancellingAPaidOrderRefundsIt()
    {
        var order = await OrderWithPaymentAsync(PaymentStatus.Paid);

        var cancelled = await shop.Order(order.Id).CancelAsync(null, new OrderAccess(order.UserId, false));

        Assert.Equal((OrderStatus.Cancelled, PaymentStatus.Refunded), (cancelled.Status, cancelled.PaymentStatus));
        var audit = await shop.AuditAsync(AuditEntityTypes.Order, order.Id);
        Assert.Equal([AuditActions.Cancelled, AuditActions.PaymentStatusChanged, AuditActions.Create], audit.Select(e => e.Action));
    }

    [Fact]
    public async Task EachCommittedStatusChangeWritesOneAuditEntry()
    {
        var (order, _) = await OrderInStatusAsync(OrderStatus.Delivered);

        var audit = await shop.AuditAsync(AuditEntityTypes.Order, order.Id);

        Assert.Equal(
            [
                $"Order {order.OrderNumber} status shipped -> delivered",
                $"Order {order.OrderNumber} status processing -> shipped",
                $"Order {order.OrderNumber} status pending -> processing",
                $"Order {order.OrderNumber} created with 2 items",
            ],
            audit.Select(e => e.Details));
    }

    private async Task<(OrderDetails Order, long ProductId)> OrderInStatusAsync(OrderStatus status)
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var order = (await shop.CheckoutAsync(user, address.Id)).Order;
        var grain = shop.Order(order.Id);
        OrderStatus[] path = status switch
        {
            OrderStatus.Pending => [],
            OrderStatus.Processing => [OrderStatus.Processing],
            OrderStatus.Shipped => [OrderStatus.Processing, OrderStatus.Shipped],
            OrderStatus.Delivered => [OrderStatus.Processing, OrderStatus.Shipped, OrderStatus.Delivered],
            _ => [OrderStatus.Cancelled],
        };
        foreach (var step in path)
        {
            order = await grain.UpdateStatusAsync(new OrderStatusUpdate(step, null), ShopDriver.Staff);
        }

        Assert.Equal(status, order.Status);
        return (order, product.Id);
    }

    private async Task<OrderDetails> OrderWithPaymentAsync(PaymentStatus payment)
    {
        var (order, _) = await OrderInStatusAsync(OrderStatus.Pending);
        PaymentStatus[] path = payment switch
        {
            PaymentStatus.Pending => [],
            PaymentStatus.Paid => [PaymentStatus.Paid],
            PaymentStatus.Failed => [PaymentStatus.Failed],
            _ => [PaymentStatus.Paid, PaymentStatus.Refunded],
        };
        foreach (var step in path)
        {
            order = await shop.Order(order.Id).UpdateStatusAsync(new OrderStatusUpdate(null, step), ShopDriver.Staff);
        }

        Assert.Equal(payment, order.PaymentStatus);
        return order;
    }
}
