using System.Security.Claims;

namespace Shop.SqlBaseline.Auth;

/// <summary>The contract's permissions (the token's <c>permissions</c> claim); each is also a policy name.</summary>
public static class Permissions
{
    public const string ClaimType = "permissions";

    public const string ProductsWrite = "products:write";
    public const string InventoryRead = "inventory:read";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "orders:read", "orders:update", ProductsWrite, InventoryRead, "inventory:write", "audit:read",
    };

    /// <summary>The caller: the token's <c>sub</c>.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? throw new InvalidOperationException("An authenticated caller always has a sub claim.");
}
