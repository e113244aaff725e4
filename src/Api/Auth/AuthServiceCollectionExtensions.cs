using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Shop.Api.Auth;

public static partial class AuthServiceCollectionExtensions
{
    /// <summary>
    /// JWT bearer authentication (<c>sub</c> is the user, <c>permissions</c> the permissions) and one
    /// authorization policy per permission. Tokens come from the configured authority, or, when
    /// development tokens are on, are validated against the development signing key.
    /// </summary>
    public static IServiceCollection AddShopAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Shop:Auth");
        services.Configure<ShopAuthOptions>(section);
        var options = section.Get<ShopAuthOptions>() ?? new ShopAuthOptions();
        var development = options.DevelopmentTokens;
        if (development.Enabled && (development.SigningKey is null || development.SigningKey.Length < 32))
        {
            throw new InvalidOperationException("Shop:Auth:DevelopmentTokens:SigningKey must be at least 32 characters when development tokens are enabled.");
        }

        if (!development.Enabled && string.IsNullOrWhiteSpace(options.Authority))
        {
            throw new InvalidOperationException("Set Shop:Auth:Authority (the identity provider) or enable Shop:Auth:DevelopmentTokens.");
        }

        services.AddSingleton<DevelopmentTokenIssuer>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TimeProvider>((jwt, time) =>
        {
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(new ValidatedTokenCache(time, options.RememberValidTokensFor));
            // Keep the token's own claim names: "sub" and "permissions", not .NET's long URIs.
            jwt.MapInboundClaims = false;
            jwt.Audience = options.Audience;
            jwt.TokenValidationParameters.ValidAudience = options.Audience;
            jwt.TokenValidationParameters.NameClaimType = "sub";
            jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            if (development.Enabled)
            {
                jwt.TokenValidationParameters.ValidIssuer = development.Issuer;
                jwt.TokenValidationParameters.IssuerSigningKey = DevelopmentTokenIssuer.KeyFrom(development.SigningKey!);
            }
            else
            {
                jwt.Authority = options.Authority;
            }
        });

        var authorization = services.AddAuthorizationBuilder();
        foreach (var permission in Permissions.All)
        {
            authorization.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().RequireClaim(Permissions.ClaimType, permission));
        }

        return services;
    }

    public static void LogAuthMode(this WebApplication app)
    {
        var options = app.Configuration.GetSection("Shop:Auth").Get<ShopAuthOptions>() ?? new ShopAuthOptions();
        if (options.DevelopmentTokens.Enabled)
        {
            LogDevelopmentTokensOn(app.Logger);
        }
        else
        {
            LogDevelopmentTokensOff(app.Logger, options.Authority);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development tokens are ON: POST /api/auth/token issues tokens for any user and permission. Never enable this in production.")]
    private static partial void LogDevelopmentTokensOn(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Development tokens are off; bearer tokens are validated against the authority {Authority}")]
    private static partial void LogDevelopmentTokensOff(ILogger logger, string? authority);
}
