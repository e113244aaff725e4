using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Auth;
using Shop.Api.Validation;

namespace Shop.Api.Addresses;

public static class AddressEndpoints
{
    public static IEndpointRouteBuilder MapAddresses(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/addresses").WithTags("Addresses").WithValidation().RequireAuthorization()
            .WithDescription("The caller's own address book. Addresses are immutable once saved; ids are unique across users, and another user's address is 404.");
        group.MapPost("/", Create)
            .WithSummary("Save an address")
            .WithDescription("country is an ISO 3166-1 alpha-2 code (case-insensitive, stored upper-case). At most 100 addresses per user.");
        group.MapGet("/", List).WithSummary("List my addresses");
        return app;
    }

    private static async Task<Created<AddressResponse>> Create(CreateAddressRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var address = AddressResponse.From(await grains.GetGrain<IAddressBookGrain>(user.UserId()).AddAsync(request.ToNewAddress()));
        // Addresses have no endpoint of their own (they are listed and used by id), hence no Location.
        return TypedResults.Created((string?)null, address);
    }

    private static async Task<Ok<AddressListResponse>> List(ClaimsPrincipal user, IGrainFactory grains)
    {
        var addresses = await grains.GetGrain<IAddressBookGrain>(user.UserId()).ListAsync();
        return TypedResults.Ok(new AddressListResponse([.. addresses.Select(AddressResponse.From)]));
    }
}
