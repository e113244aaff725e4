namespace Shop.Grains;

/// <summary>A buyer waiting to be sold to in a batch, and the answer they are waiting for.</summary>
internal sealed class PendingSale(SaleRequest request, DateTime enqueued)
{
    public SaleRequest Request { get; } = request;

    public DateTime Enqueued { get; } = enqueued;

    public TaskCompletionSource<SaleOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The id this buyer's order gets, from the range of the batch they are in (see <see cref="OrderIds"/>).</summary>
    public long OrderId { get; set; }

    /// <summary>A crowd batch's buyer: their order, built before the batch's transaction, and whether their cart has taken its lines for it.</summary>
    public OrderDetails? Order { get; set; }

    public bool CartTaken { get; set; }

    /// <summary>How many times a desk put this buyer back for a later batch (a stock lease was in the way).</summary>
    public int Deferrals { get; set; }

    /// <summary>The units of <paramref name="productId"/> this buyer's cart holds (0: none).</summary>
    public int Wants(long productId)
    {
        foreach (var line in Request.Lines)
        {
            if (line.ProductId == productId)
            {
                return line.Quantity;
            }
        }

        return 0;
    }
}
