using System.Collections.Immutable;
using Shop.Api.Validation;

namespace Shop.Api.Products;

public sealed record CreateProductRequest(
    string? Sku,
    string? Name,
    decimal? Price,
    Dictionary<string, string>? Attributes,
    int? InitialStock) : IValidatable
{
    public NewProduct ToNewProduct() => new(
        Require.Present(Sku, "sku"),
        Require.Present(Name, "name"),
        Require.Present(Price, "price"),
        Attributes?.ToImmutableDictionary() ?? ImmutableDictionary<string, string>.Empty,
        InitialStock ?? 0);

    public void Validate() => ProductRules.Validate(ToNewProduct());
}

public sealed record UpdateProductRequest(
    string? Name,
    decimal? Price,
    Dictionary<string, string>? Attributes) : IValidatable
{
    public ProductChanges ToChanges() => new(Name, Price, Attributes?.ToImmutableDictionary());

    public void Validate()
    {
        if (Name is null && Price is null && Attributes is null)
        {
            throw new ValidationException("body", "Provide at least one of name, price and attributes.");
        }

        ProductRules.Validate(ToChanges());
    }
}

public sealed record ProductResponse(
    long Id,
    string Sku,
    string Name,
    decimal Price,
    IReadOnlyDictionary<string, string> Attributes,
    int AvailableQuantity,
    DateTime CreatedAt)
{
    public static ProductResponse From(ProductView view) => new(
        view.Product.Id, view.Product.Sku, view.Product.Name, view.Product.Price,
        Sorted(view.Product.Attributes), view.AvailableQuantity, view.Product.CreatedAt);

    /// <summary>Attributes in name order, so the same product always reads the same.</summary>
    public static IReadOnlyDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> attributes) =>
        new SortedDictionary<string, string>(attributes.ToDictionary(), StringComparer.Ordinal);
}
