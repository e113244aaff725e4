using Shop.Api.Validation;

namespace Shop.Api.Addresses;

public sealed record CreateAddressRequest(
    string? FullName,
    string? Line1,
    string? Line2,
    string? City,
    string? PostalCode,
    string? Country,
    string? Phone) : IValidatable
{
    public NewAddress ToNewAddress() => new(
        Require.Present(FullName, "full_name"),
        Require.Present(Line1, "line1"),
        Line2,
        Require.Present(City, "city"),
        Require.Present(PostalCode, "postal_code"),
        Require.Present(Country, "country"),
        Phone);

    public void Validate() => AddressRules.Validate(ToNewAddress());
}

public sealed record AddressResponse(
    long Id,
    string FullName,
    string Line1,
    string? Line2,
    string City,
    string PostalCode,
    string Country,
    string? Phone,
    DateTime CreatedAt)
{
    public static AddressResponse From(AddressDetails a) =>
        new(a.Id, a.FullName, a.Line1, a.Line2, a.City, a.PostalCode, a.Country, a.Phone, a.CreatedAt);
}

public sealed record AddressListResponse(IReadOnlyList<AddressResponse> Items);
