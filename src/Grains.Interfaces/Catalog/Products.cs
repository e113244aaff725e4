using System.Collections.Immutable;

namespace Shop;

[GenerateSerializer, Immutable, Alias("Shop.NewProduct")]
public sealed record NewProduct(
    string Sku,
    string Name,
    decimal Price,
    ImmutableDictionary<string, string> Attributes,
    int InitialStock);

/// <summary>A partial update: a null field is left as it is.</summary>
[GenerateSerializer, Immutable, Alias("Shop.ProductChanges")]
public sealed record ProductChanges(
    string? Name,
    decimal? Price,
    ImmutableDictionary<string, string>? Attributes);

[GenerateSerializer, Immutable, Alias("Shop.ProductDetails")]
public sealed record ProductDetails(
    long Id,
    string Sku,
    string Name,
    decimal Price,
    ImmutableDictionary<string, string> Attributes,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>A product with its stock as the catalog shows it.</summary>
[GenerateSerializer, Immutable, Alias("Shop.ProductView")]
public sealed record ProductView(ProductDetails Product, int AvailableQuantity);
