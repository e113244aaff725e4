using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CsCheck;

namespace Shop.Tests;

/// <summary>
/// Random shopping sessions run concurrently (so their operations interleave at random), and afterwards
/// the books must balance: stock is explained by adjustments, sales and restorations, the audit trail
/// tells the same story as the orders, and no order exists without its stock taken.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class CheckoutPropertyTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    private static Gen<Scenario> Scenarios =>
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 3]).SelectMany((users, products) =>
            Gen.Select(Gen.Int[0, 8].Array[products], Operations(users, products).Array[4, 30],
                (stocks, operations) => new Scenario(users, stocks, operations)));

    [Fact]
    public async Task RandomInterleavingsKeepStockOrdersAndAuditInAgreement() =>
        await Scenarios.SampleAsync(RunAndCheckAsync, iter: 40, threads: 1, print: s => s.ToString());

    private async Task RunAndCheckAsync(Scenario scenario)
    {
        var products = new List<ProductDetails>();
        foreach (var stock in scenario.Stocks)
        {
            products.Add(await shop.CreateProductAsync(stock, price: 10.00m));
        }

        var users = new List<(string Id, long AddressId)>();
        for (var i = 0; i < scenario.Users; i++)
        {
            var user = ShopDriver.NewUserId();
            users.Add((user, (await shop.AddAddressAsync(user)).Id));
        }

        var adjustments = new ConcurrentBag<(long ProductId, int Delta)>();
        var checkouts = new ConcurrentBag<OrderDetails>();
        var unexpected = new ConcurrentBag<Exception>();

        async Task RunAsync(Func<Task> operation)
        {
            try
            {
                await operation();
            }
            catch (ShopException)
            {
                // Rejections (short stock, empty cart, invalid transitions) are part of the game.
            }
            catch (Exception exception)
            {
                unexpected.Add(exception);
            }
        }

        async Task SessionAsync(int userIndex)
        {
            var (user, addressId) = users[userIndex];
            var mine = new List<long>();
            foreach (var operation in scenario.Operations.Where(o => o.User == userIndex))
            {
                await RunAsync(async () =>
                {
                    switch (operation)
                    {
                        case AddToCart add:
                            await shop.Cart(user).AddItemAsync(products[add.Product].Id, add.Quantity);
                            break;
                        case Checkout:
                            var order = (await shop.CheckoutAsync(user, addressId)).Order;
                            checkouts.Add(order);
                            mine.Add(order.Id);
                            break;
                        case Cancel cancel when mine.Count > 0:
                            await shop.Order(mine[cancel.Nth % mine.Count]).CancelAsync("random", new OrderAccess(user, false));
                            break;
                        case ChangeStatus change when mine.Count > 0:
                            await shop.Order(mine[change.Nth % mine.Count]).UpdateStatusAsync(change.Update, ShopDriver.Staff);
                            break;
                    }
                });
            }
        }

        async Task AdministrationAsync()
        {
            foreach (var adjust in scenario.Operations.OfType<Adjust>())
            {
                await RunAsync(async () =>
                {
                    var productId = products[adjust.Product].Id;
                    await shop.Inventory(productId).AdjustAsync(new StockAdjustment(adjust.Delta, "count", "admin"));
                    adjustments.Add((productId, adjust.Delta));
                });
            }
        }

        await Task.WhenAll(Enumerable.Range(0, scenario.Users).Select(SessionAsync).Append(AdministrationAsync()));

        Assert.Empty(unexpected);
        var orders = new List<OrderDetails>();
        foreach (var (user, _) in users)
        {
            var listed = await shop.UserOrders(user).ListAsync(null, new PageRequest(1, 100));
            foreach (var summary in listed.Items)
            {
                orders.Add(await shop.Order(summary.Id).GetAsync(ShopDriver.Staff));
            }
        }

        // Every acknowledged checkout exists, and nothing else does.
        Assert.Equal(checkouts.Select(o => o.Id).Order(), orders.Select(o => o.Id).Order());

        for (var i = 0; i < products.Count; i++)
        {
            var productId = products[i].Id;
            var sold = orders.SelectMany(o => o.Items).Where(l => l.ProductId == productId).Sum(l => l.Quantity);
            var restored = orders.Where(o => o.Status == OrderStatus.Cancelled).SelectMany(o => o.Items).Where(l => l.ProductId == productId).Sum(l => l.Quantity);
            var adjusted = adjustments.Where(a => a.ProductId == productId).Sum(a => a.Delta);
            var level = await shop.Inventory(productId).GetAsync();
            Assert.Equal(scenario.Stocks[i] + adjusted - sold + restored, level.Stock);
            Assert.InRange(level.Reserved, 0, level.Stock);

            var audit = await shop.AuditAsync(AuditEntityTypes.Inventory, productId);
            Assert.Equal(adjustments.Count(a => a.ProductId == productId), audit.Count(e => e.Action == AuditActions.StockAdjusted));
            foreach (var order in orders)
            {
                var lines = order.Items.Where(l => l.ProductId == productId).Select(l => l.Quantity).ToList();
                Assert.Equal(lines, QuantitiesFor(audit, AuditActions.OrderFulfilled, order.OrderNumber));
                Assert.Equal(order.Status == OrderStatus.Cancelled ? lines : [], QuantitiesFor(audit, AuditActions.StockRestored, order.OrderNumber));
            }
        }

        foreach (var order in orders)
        {
            var audit = await shop.AuditAsync(AuditEntityTypes.Order, order.Id);
            Assert.Single(audit, e => e.Action == AuditActions.Create && e.Details == $"Order {order.OrderNumber} created with {order.TotalItems} items");
            Assert.Equal(order.Status == OrderStatus.Cancelled ? 1 : 0, audit.Count(e => e.Action == AuditActions.Cancelled));
        }
    }

    private static List<int> QuantitiesFor(IEnumerable<AuditEntry> audit, string action, string orderNumber) =>
        [.. audit.Where(e => e.Action == action)
            .Select(e => QuantityAndOrder().Match(e.Details))
            .Where(m => m.Groups["order"].Value == orderNumber)
            .Select(m => int.Parse(m.Groups["quantity"].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"^(Fulfilled|Restored) (?<quantity>\d+) units (for|from cancelled) order (?<order>ORD-[0-9A-Z-]+)")]
    private static partial Regex QuantityAndOrder();

    private static Gen<Operation> Operations(int users, int products)
    {
        var user = Gen.Int[0, users - 1];
        var product = Gen.Int[0, products - 1];
        var status = Gen.OneOf<OrderStatusUpdate>(
            new OrderStatusUpdate(OrderStatus.Processing, null),
            new OrderStatusUpdate(OrderStatus.Shipped, null),
            new OrderStatusUpdate(OrderStatus.Delivered, null),
            new OrderStatusUpdate(OrderStatus.Cancelled, null),
            new OrderStatusUpdate(null, PaymentStatus.Paid),
            new OrderStatusUpdate(null, PaymentStatus.Refunded));
        return Gen.Frequency<Operation>(
            (4, Gen.Select(user, product, Gen.Int[1, 3], (u, p, q) => (Operation)new AddToCart(u, p, q))),
            (3, user.Select(u => (Operation)new Checkout(u))),
            (1, Gen.Select(user, Gen.Int[0, 9], (u, n) => (Operation)new Cancel(u, n))),
            (2, Gen.Select(user, Gen.Int[0, 9], status, (u, n, s) => (Operation)new ChangeStatus(u, n, s))),
            (1, Gen.Select(product, Gen.Int[-3, 5].Where(d => d != 0), (p, d) => (Operation)new Adjust(p, d))));
    }

    private sealed record Scenario(int Users, int[] Stocks, Operation[] Operations)
    {
        public override string ToString() => $"{Users} users, stocks [{string.Join(", ", Stocks)}]: {string.Join("; ", Operations.Select(o => o.ToString()))}";
    }

    private abstract record Operation(int User);

    private sealed record AddToCart(int User, int Product, int Quantity) : Operation(User);

    private sealed record Checkout(int User) : Operation(User);

    private sealed record Cancel(int User, int Nth) : Operation(User);

    private sealed record ChangeStatus(int User, int Nth, OrderStatusUpdate Update) : Operation(User);

    private sealed record Adjust(int Product, int Delta) : Operation(-1);
}
