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

    public OrderStatistics Build() =>
        From(Enum.GetValues<OrderStatus>().ToImmutableDictionary(s => s, s => byStatus[(int)s]), revenue, units);

    /// <summary>Statistics from counts per status and the revenue and units of orders that are not cancelled.</summary>
    public static OrderStatistics From(ImmutableDictionary<OrderStatus, long> byStatus, decimal revenue, long units)
    {
        var total = byStatus.Values.Sum();
        var counted = total - byStatus.GetValueOrDefault(OrderStatus.Cancelled);
        var average = counted == 0 ? 0m : decimal.Round(revenue / counted, 2, MidpointRounding.AwayFromZero);
        return new OrderStatistics(total, byStatus, revenue, units, average);
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
