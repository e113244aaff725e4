using System.Net;

namespace Shop.Tests.Api;

/// <summary>The API as production runs it: tokens come from an identity provider, none are issued locally.</summary>
public sealed class ProductionAuthFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Shop:Auth:DevelopmentTokens:Enabled"] = "false",
        ["Shop:Auth:Authority"] = "https://login.example.com/",
    };
}

public sealed class DevelopmentTokensOffTests(ProductionAuthFixture fixture) : IClassFixture<ProductionAuthFixture>
{
    [Fact]
    public async Task TheTokenEndpointIs404WhenDevelopmentTokensAreOff()
    {
        using var client = fixture.CreateClient();

        await (await client.PostJsonAsync("/api/auth/token", new { user_id = "u1", permissions = new[] { "orders:read" } }))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/cart")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/products")).StatusCode);
    }
}
