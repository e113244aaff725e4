using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.SqlBaseline.Http;

namespace Shop.SqlBaseline.Auth;

public sealed record TokenRequest(string? UserId, IReadOnlyList<string>? Permissions);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public static class TokenEndpoints
{
    private static readonly JsonWebTokenHandler Handler = new();

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", Issue).AllowAnonymous();
        return app;
    }

    private static Results<Ok<TokenResponse>, ValidationProblem> Issue(TokenRequest request, IOptions<BaselineAuthOptions> options, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > 128)
        {
            return Problems.Invalid("user_id", "user_id is required (at most 128 characters).");
        }

        var permissions = request.Permissions ?? [];
        if (permissions.FirstOrDefault(p => !Permissions.All.Contains(p)) is { } unknown)
        {
            return Problems.Invalid("permissions", $"'{unknown}' is not a permission.");
        }

        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", request.UserId.Trim()) };
        claims.AddRange(permissions.Distinct(StringComparer.Ordinal).Select(p => new Claim(Permissions.ClaimType, p)));
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.Lifetime,
            SigningCredentials = new SigningCredentials(AuthServiceCollectionExtensions.SigningKey(settings), SecurityAlgorithms.HmacSha256),
        });
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)settings.Lifetime.TotalSeconds));
    }
}
