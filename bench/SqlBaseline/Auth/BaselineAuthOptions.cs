namespace Shop.SqlBaseline.Auth;

/// <summary>Section <c>Baseline:Auth</c>: locally signed development tokens (HMAC-SHA256), like Shop's.</summary>
public sealed class BaselineAuthOptions
{
    public string Issuer { get; set; } = "sql-baseline-development";

    public string Audience { get; set; } = "shop-api";

    /// <summary>At least 32 characters.</summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}
