namespace Shop.Bench.Load;

/// <summary>How one checkout request ended, as the buyer sees it.</summary>
public enum Outcome : byte
{
    /// <summary>Not sent (the run was cut short).</summary>
    None,

    /// <summary>201: an order.</summary>
    Success,

    /// <summary>409 with the contract's insufficient-stock message: the expected answer once the stock is gone.</summary>
    SoldOut,

    /// <summary>Any other 4xx: clearly rejected, but an error.</summary>
    Rejected,

    /// <summary>5xx, a timeout or a broken connection: the buyer cannot tell whether it bought.</summary>
    Unknown,
}
