namespace Shop;

[GenerateSerializer, Immutable, Alias("Shop.NewAddress")]
public sealed record NewAddress(
    string FullName,
    string Line1,
    string? Line2,
    string City,
    string PostalCode,
    string Country,
    string? Phone);

[GenerateSerializer, Immutable, Alias("Shop.AddressDetails")]
public sealed record AddressDetails(
    long Id,
    string FullName,
    string Line1,
    string? Line2,
    string City,
    string PostalCode,
    string Country,
    string? Phone,
    DateTime CreatedAt);
