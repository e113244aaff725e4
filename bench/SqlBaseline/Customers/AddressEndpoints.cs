using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shop.SqlBaseline.Auth;
using Shop.SqlBaseline.Catalog;
using Shop.SqlBaseline.Http;

namespace Shop.SqlBaseline.Customers;

public sealed record CreateAddressRequest(string? FullName, string? Line1, string? Line2, string? City, string? PostalCode, string? Country, string? Phone);

public sealed record AddressResponse(long Id, string FullName, string Line1, string? Line2, string City, string PostalCode, string Country, string? Phone, DateTime CreatedAt);

public static class AddressEndpoints
{
    private const string Insert = """
        INSERT INTO addresses (user_id, full_name, line1, line2, city, postal_code, country, phone, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        RETURNING id
        """;

    public static IEndpointRouteBuilder MapAddresses(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/addresses", Create).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Created<AddressResponse>, ValidationProblem>> Create(
        CreateAddressRequest request, ClaimsPrincipal user, NpgsqlDataSource database, TimeProvider time, CancellationToken cancellation)
    {
        foreach (var (field, value) in new[] { ("full_name", request.FullName), ("line1", request.Line1), ("city", request.City), ("postal_code", request.PostalCode) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 200)
            {
                return Problems.Invalid(field, $"{field} is required (at most 200 characters).");
            }
        }

        if (request.Country is not { Length: 2 } country || !country.All(char.IsAsciiLetter))
        {
            return Problems.Invalid("country", "country must be an ISO 3166-1 alpha-2 code.");
        }

        var address = new AddressResponse(0, request.FullName!, request.Line1!, request.Line2, request.City!, request.PostalCode!,
            country.ToUpperInvariant(), request.Phone, ProductEndpoints.Truncated(time.GetUtcNow().UtcDateTime));
        await using var command = database.CreateCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user.UserId() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = address.FullName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = address.Line1 });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)address.Line2 ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = address.City });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = address.PostalCode });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = address.Country });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)address.Phone ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = address.CreatedAt });
        var id = (long)(await command.ExecuteScalarAsync(cancellation))!;
        return TypedResults.Created((string?)null, address with { Id = id });
    }
}
