using System.Collections.Immutable;

namespace Shop.Grains;

/// <summary>Running totals over order summaries; revenue and units count orders that are not cancelled.</summary>
public sealed class OrderStatisticsBuilder
{
    private readonly long[] byStatus = new long[Enum.GetValues<OrderStatus>().Length];
    private decimal revenue;
    private long units;

    public void Add(OrderSummary order) => Apply(order, +1);

    public void Remove(OrderSummary order) => Apply(order, -1);

    public OrderStatistics Build()
    {
        var total = byStatus.Sum();
        var counted = total - byStatus[(int)OrderStatus.Cancelled];
        var average = counted == 0 ? 0m : decimal.Round(revenue / counted, 2, MidpointRounding.AwayFromZero);
        var statuses = Enum.GetValues<OrderStatus>().ToImmutableDictionary(s => s, s => byStatus[(int)s]);
        return new OrderStatistics(total, statuses, revenue, units, average);
    }

    private void Apply(OrderSummary order, int sign)
    {
        byStatus[(int)order.Status] += sign;
        if (order.Status != OrderStatus.Cancelled)
        {
            revenue += sign * order.TotalAmount;
            units += sign * order.TotalItems;
        }
    }
}
