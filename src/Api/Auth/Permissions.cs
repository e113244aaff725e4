using System.Security.Claims;

namespace Shop.Api.Auth;

/// <summary>The contract's permissions, carried in the token's <c>permissions</c> claim. Each is also a policy name.</summary>
public static class Permissions
{
    public const string ClaimType = "permissions";

    public const string OrdersRead = "orders:read";
    public const string OrdersUpdate = "orders:update";
    public const string ProductsWrite = "products:write";
    public const string InventoryRead = "inventory:read";
    public const string InventoryWrite = "inventory:write";
    public const string AuditRead = "audit:read";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        OrdersRead, OrdersUpdate, ProductsWrite, InventoryRead, InventoryWrite, AuditRead,
    };

    /// <summary>The caller's user id: the token's <c>sub</c> claim.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? throw new InvalidOperationException("An authenticated caller always has a sub claim.");

    public static bool Has(this ClaimsPrincipal user, string permission) => user.HasClaim(ClaimType, permission);
}
