using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Validation;

/// <summary>The contract's pagination: <c>page</c> (>= 1, default 1) and <c>limit</c> (1..100, default 20).</summary>
public sealed record PageQuery([FromQuery(Name = "page")] int? Page, [FromQuery(Name = "limit")] int? Limit) : IValidatable
{
    public PageRequest Request => new(Page ?? 1, Limit ?? PageRequest.DefaultLimit);

    public void Validate() => Request.Validate();
}

public sealed record PageResponse<T>(IReadOnlyList<T> Items, long Total, int Page, int Limit, long Pages);

public static class PageResponse
{
    public static PageResponse<T> From<TSource, T>(Page<TSource> page, Func<TSource, T> map) =>
        new([.. page.Items.Select(map)], page.Total, page.PageNumber, page.Limit, page.Pages);
}
