namespace Shop;

/// <summary>A page request: <c>page</c> is 1-based, <c>limit</c> is 1..100.</summary>
[GenerateSerializer, Immutable, Alias("Shop.PageRequest")]
public sealed record PageRequest(int Page = 1, int Limit = PageRequest.DefaultLimit)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public int Skip => (Page - 1) * Limit;

    public void Validate()
    {
        if (Page < 1)
        {
            throw new ValidationException("page", "page must be 1 or greater.");
        }

        if (Limit is < 1 or > MaxLimit)
        {
            throw new ValidationException("limit", $"limit must be between 1 and {MaxLimit}.");
        }
    }
}

[GenerateSerializer, Immutable, Alias("Shop.Page`1")]
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int PageNumber, int Limit)
{
    public long Pages => Total == 0 ? 0 : (Total + Limit - 1) / Limit;
}

public static class Page
{
    /// <summary>The requested page of an already ordered sequence of <paramref name="total"/> items.</summary>
    public static Page<T> Slice<T>(IEnumerable<T> ordered, long total, PageRequest request) =>
        new([.. ordered.Skip(request.Skip).Take(request.Limit)], total, request.Page, request.Limit);
}
