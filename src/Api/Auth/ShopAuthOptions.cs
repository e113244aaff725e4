namespace Shop.Api.Auth;

/// <summary>Section <c>Shop:Auth</c>.</summary>
public sealed class ShopAuthOptions
{
    /// <summary>The identity provider that issues tokens in production (its OpenID metadata is read from here).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "shop-api";

    public DevelopmentTokenOptions DevelopmentTokens { get; set; } = new();
}

/// <summary>
/// Locally signed tokens from <c>POST /api/auth/token</c>, for development and local clusters only.
/// When on, tokens are validated against <see cref="SigningKey"/> instead of an authority.
/// </summary>
public sealed class DevelopmentTokenOptions
{
    public bool Enabled { get; set; }

    /// <summary>An HMAC-SHA256 key of at least 32 bytes.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "shop-development";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}
