using Shop.Bench.Load;
using Shop.Bench.Targets;

namespace Shop.Bench.Running;

/// <summary>
/// Checks the sale after the load: exactly the expected number of successful checkouts, every product's
/// final stock equal to its initial stock minus the units sold, the target's order and sold-line counts
/// equal to what the checkouts account for, and nothing oversold.
/// </summary>
public static class SaleVerifier
{
    private const int Examples = 3;

    /// <param name="earlier">The orders and lines already in the books before this sale (a warm-up's); the counts are of this sale's.</param>
    public static async Task<Verification> VerifyAsync(
        ITarget target, Scenario scenario, Buyer[] buyers, long[] productIds, LoadRecord record, LoadSummary load,
        LedgerExpectation earlier, CancellationToken cancellation)
    {
        var failures = new List<string>();
        var committedUnknown = new List<Buyer>();
        foreach (var buyer in buyers.Where(b => record.Outcomes[b.Index] == Outcome.Unknown))
        {
            if (await target.HasOrderAsync(buyer, cancellation))
            {
                committedUnknown.Add(buyer);
            }
        }

        var sold = buyers.Where(b => record.Outcomes[b.Index] == Outcome.Success).Concat(committedUnknown).ToList();
        var unitsByProduct = new int[scenario.Products];
        foreach (var product in sold.SelectMany(b => b.Cart))
        {
            unitsByProduct[product]++;
        }

        var expectedLines = sold.Sum(b => b.Cart.Length);
        var books = await target.ReadLedgerAsync(productIds, new LedgerExpectation(earlier.Orders + sold.Count, earlier.Lines + expectedLines), cancellation);
        var ledger = books with { Orders = books.Orders - earlier.Orders, Lines = books.Lines - earlier.Lines };

        var expectedSuccesses = scenario.ExpectedSuccesses([.. buyers.Select(b => b.Cart)]);
        if (expectedSuccesses is { } expected && load.Successes != expected)
        {
            failures.Add($"{load.Successes} successful checkouts, expected exactly {expected}");
        }

        var oversold = 0;
        var unbalanced = new List<string>();
        for (var p = 0; p < scenario.Products; p++)
        {
            var initial = scenario.StockPerProduct;
            if (!ledger.Stock.TryGetValue(productIds[p], out var final))
            {
                unbalanced.Add($"product {productIds[p]} is missing");
                continue;
            }

            oversold += Math.Max(0, Math.Max(unitsByProduct[p], initial - final) - initial);
            if (initial - final != unitsByProduct[p])
            {
                unbalanced.Add($"product {productIds[p]}: stock {final}, expected {initial} - {unitsByProduct[p]} sold = {initial - unitsByProduct[p]}");
            }
        }

        if (unbalanced.Count > 0)
        {
            failures.Add($"stock does not balance on {unbalanced.Count} product(s): {string.Join("; ", unbalanced.Take(Examples))}");
        }

        if (oversold > 0)
        {
            failures.Add($"{oversold} unit(s) oversold");
        }

        if (ledger.Orders != sold.Count)
        {
            failures.Add($"{ledger.Orders} orders recorded, expected {sold.Count} (waited {ledger.SettledAfterSeconds:F0} s)");
        }

        if (ledger.Lines != expectedLines)
        {
            failures.Add($"{ledger.Lines} {ledger.LinesSource}, expected {expectedLines} (waited {ledger.SettledAfterSeconds:F0} s)");
        }

        return new Verification(failures.Count == 0, failures, expectedSuccesses, unitsByProduct.Sum(), oversold, committedUnknown.Count,
            ledger.Orders, ledger.Lines, ledger.LinesSource, ledger.SettledAfterSeconds);
    }
}
