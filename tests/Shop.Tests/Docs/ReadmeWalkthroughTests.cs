using System.Diagnostics;
using System.Globalization;

namespace Shop.Tests.Docs;

public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task TheReadmeWalkthroughWorksAsWrittenAgainstTheEmbeddedRun()
    {
        var readme = RepositoryFiles.Read("README.md");
        var block = readme.Split("<!-- walkthrough:start -->")[1].Split("<!-- walkthrough:end -->")[0];
        var script = block.Split("```bash")[1].Split("```")[0];
        Assert.Contains("BASE=http://localhost:5080", script, StringComparison.Ordinal);
        Assert.StartsWith("dotnet run --project src/Api", readme.Split("```bash")[1].Trim(), StringComparison.Ordinal);

        // The same run as the README's first command, on a free port so as not to meet another process.
        var port = ShopProcess.FreePort();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        await using var api = ShopProcess.Start("Api", "Shop.Api", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = url,
            ["Urls"] = url,
            ["Shop__SiloPort"] = ShopProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Shop__GatewayPort"] = ShopProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        });
        await api.WaitUntilHealthyAsync($"{url}/health/ready", TimeSpan.FromSeconds(60));

        var output = await RunBashAsync(script.Replace("http://localhost:5080", url, StringComparison.Ordinal));

        Assert.Matches(@"product \d+", output);
        Assert.Contains("\"subtotal\":150.00", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"pending\"", output, StringComparison.Ordinal);
        Assert.Contains("\"stock_quantity\":95,\"reserved_quantity\":0,\"available_quantity\":95", output, StringComparison.Ordinal);
        Assert.Contains("{\"items\":[],\"total_items\":0,\"subtotal\":0.00}", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"cancelled\"", output, StringComparison.Ordinal);
        Assert.Contains("\"stock_quantity\":100,\"reserved_quantity\":0,\"available_quantity\":100", output, StringComparison.Ordinal);
        Assert.Contains("Only pending or processing orders can be cancelled.", output, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"STOCK_RESTORED\"", output, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"ORDER_FULFILLED\"", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bash.WaitForExitAsync(timeout.Token);
        Assert.True(bash.ExitCode == 0, $"The walk-through failed ({bash.ExitCode}):\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
