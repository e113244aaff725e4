namespace Shop.Silo.Web;

/// <summary>
/// Section <c>Shop:Dashboard</c>: the Orleans Dashboard on a standalone silo's HTTP port, behind HTTP
/// Basic authentication. Without a password it is off: it shows every grain type, method and silo.
/// </summary>
public sealed class ShopDashboardOptions
{
    public string Username { get; set; } = "admin";

    public string? Password { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Password);
}
