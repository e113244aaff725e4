namespace Shop.Api.Auth;

/// <summary>Section <c>Shop:Auth</c>.</summary>
public sealed class ShopAuthOptions
{
    /// <summary>The identity provider that issues tokens in production (its OpenID metadata is read from here).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "shop-api";

    /// <summary>
    /// How long a token found valid is accepted again without a new check (never past its expiry); zero
    /// checks every request. Longer windows cover buyers who filled their carts minutes before a sale
    /// opens, at the price of a withdrawn signing key being honoured that long; five minutes measured no
    /// better than one on the hot benchmark (docs/benchmarks-log.md), so the default stays at one.
    /// </summary>
    public TimeSpan RememberValidTokensFor { get; set; } = TimeSpan.FromMinutes(1);

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
