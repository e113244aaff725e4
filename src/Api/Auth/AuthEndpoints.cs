using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Validation;

namespace Shop.Api.Auth;

public sealed record TokenRequest(string? UserId, IReadOnlyList<string>? Permissions) : IValidatable
{
    public const int MaxUserIdLength = 128;

    public void Validate()
    {
        var userId = Require.Text(UserId, "user_id", MaxUserIdLength);
        if (userId.Any(char.IsControl))
        {
            throw new ValidationException("user_id", "user_id must not contain control characters.");
        }

        foreach (var permission in Permissions ?? [])
        {
            Require.OneOf(permission, "permissions", Auth.Permissions.All);
        }
    }
}

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public static class AuthEndpoints
{
    /// <summary>Maps <c>POST /api/auth/token</c> only when development tokens are on; otherwise the route is a 404.</summary>
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IConfiguration>().GetSection("Shop:Auth").Get<ShopAuthOptions>();
        if (options?.DevelopmentTokens.Enabled != true)
        {
            return app;
        }

        var group = app.MapGroup("/api/auth").WithTags("Auth").WithValidation();
        group.MapPost("/token", IssueToken)
            .WithSummary("Issue a development token")
            .WithDescription("Signs a token for any user and permissions. Exists only while development tokens are enabled in configuration (the embedded default run and local clusters); otherwise this path is 404.")
            .AllowAnonymous();
        return app;
    }

    private static Ok<TokenResponse> IssueToken(TokenRequest request, DevelopmentTokenIssuer issuer)
    {
        var (token, lifetime) = issuer.Issue(request.UserId!.Trim(), request.Permissions ?? []);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)lifetime.TotalSeconds));
    }
}
