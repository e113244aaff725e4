using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Shop.Tests.Api;

/// <summary>
/// The API over an in-process test server with its embedded silo (in-memory storage) on free ports:
/// what <c>dotnet run --project src/Api</c> serves, without a socket for HTTP.
/// </summary>
public class ApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public Task InitializeAsync()
    {
        _ = Server; // start the host (and its silo) once, up front
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>A client with a development token for <paramref name="userId"/> and the given permissions.</summary>
    public async Task<HttpClient> ClientForAsync(string userId, params string[] permissions)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { user_id = userId, permissions });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenBody>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.access_token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Shop:SiloPort", Docs.ShopProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Shop:GatewayPort", Docs.ShopProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

#pragma warning disable IDE1006 // the JSON shape of the token response
    private sealed record TokenBody(string access_token);
#pragma warning restore IDE1006
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "Api";
}
