using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Api.Auth;

public sealed class DevelopmentTokenIssuer(IOptions<ShopAuthOptions> options, TimeProvider time)
{
    public static SymmetricSecurityKey KeyFrom(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    public (string Token, TimeSpan Lifetime) Issue(string userId, IEnumerable<string> permissions)
    {
        var settings = options.Value;
        var development = settings.DevelopmentTokens;
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", userId) };
        claims.AddRange(permissions.Distinct(StringComparer.Ordinal).Select(p => new Claim(Permissions.ClaimType, p)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = development.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + development.Lifetime,
            SigningCredentials = new SigningCredentials(KeyFrom(development.SigningKey!), SecurityAlgorithms.HmacSha256),
        });
        return (token, development.Lifetime);
    }
}
