using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Shop.SqlBaseline.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>JWT bearer validation of the development tokens (<c>sub</c> is the user) and one policy per permission.</summary>
    public static IServiceCollection AddBaselineAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Baseline:Auth");
        var options = section.Get<BaselineAuthOptions>() ?? new BaselineAuthOptions();
        if (options.SigningKey.Length < 32)
        {
            throw new InvalidOperationException("Baseline:Auth:SigningKey must be at least 32 characters.");
        }

        services.Configure<BaselineAuthOptions>(section);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = SigningKey(options),
                NameClaimType = "sub",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        var authorization = services.AddAuthorizationBuilder();
        foreach (var permission in Permissions.All)
        {
            authorization.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().RequireClaim(Permissions.ClaimType, permission));
        }

        return services;
    }

    public static SymmetricSecurityKey SigningKey(BaselineAuthOptions options) => new(Encoding.UTF8.GetBytes(options.SigningKey));
}
