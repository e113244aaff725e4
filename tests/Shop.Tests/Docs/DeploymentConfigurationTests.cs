using System.Text.RegularExpressions;
using Shop.Silo;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Shop.Tests.Docs;

/// <summary>docker-compose.yml and scripts/cluster.sh describe the same services with the same configuration.</summary>
public sealed partial class DeploymentConfigurationTests
{
    private static readonly string[] Services = ["postgres", "redis", "silo1", "silo2", "api"];

    private readonly Dictionary<string, Dictionary<string, string>> compose = ComposeEnvironments();
    private readonly string cluster = RepositoryFiles.Read("scripts", "cluster.sh");

    [Fact]
    public void BothRunTheSameServices()
    {
        var composeServices = ((Dictionary<object, object>)ComposeDocument()["services"]).Keys.Cast<string>();

        Assert.Equal(Services.Order(), composeServices.Order());
        foreach (var service in Services)
        {
            Assert.Matches($@"\b{service}\b", cluster);
        }

        Assert.Contains("start silo1 Silo Shop.Silo", cluster, StringComparison.Ordinal);
        Assert.Contains("start silo2 Silo Shop.Silo", cluster, StringComparison.Ordinal);
        Assert.Contains("start api Api Shop.Api", cluster, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("silo1", "SILO1_ENV")]
    [InlineData("silo2", "SILO2_ENV")]
    [InlineData("api", "API_ENV")]
    public void EachShopServiceGetsTheSameConfigurationKeys(string service, string clusterArray)
    {
        var local = Merge(ClusterArray("SHOP_ENV"), ClusterArray(clusterArray));
        var container = compose[service];

        // Where the two differ on purpose: an address of one's own on a shared machine, and who issues tokens.
        string[] localOnly = ["Shop__AdvertisedIP"];
        string[] containerOnly = ["Shop__Auth__Authority"];
        Assert.Equal(container.Keys.Except(containerOnly).Order(), local.Keys.Except(localOnly).Order());

        foreach (var key in new[] { "Shop__Storage", "Shop__Clustering", "Shop__ClusterId", "Shop__ServiceId", "Shop__Hosting", "Shop__Auth__Audience" }.Where(container.ContainsKey))
        {
            Assert.Equal(Resolve(container[key]), local[key]);
        }
    }

    [Fact]
    public void DevelopmentTokensAreOffInComposeAndOnInTheLocalCluster()
    {
        Assert.Equal("false", compose["api"]["Shop__Auth__DevelopmentTokens__Enabled"]);
        Assert.Equal("true", ClusterArray("API_ENV")["Shop__Auth__DevelopmentTokens__Enabled"]);
    }

    [Fact]
    public void RedisKeepsAnAppendOnlyFileInBoth()
    {
        var redis = (Dictionary<object, object>)((Dictionary<object, object>)ComposeDocument()["services"])["redis"];
        var command = string.Join(' ', ((List<object>)redis["command"]).Cast<string>());

        Assert.Contains("--appendonly yes", command, StringComparison.Ordinal);
        Assert.Matches(@"redis-server [^\n]*--appendonly yes", cluster);
    }

    [Fact]
    public void EveryShopSettingIsOneTheSiloReads()
    {
        var known = typeof(ShopHostingOptions).GetProperties().Select(p => $"Shop__{p.Name}").ToHashSet();

        var settings = compose.Values.SelectMany(e => e.Keys)
            .Concat(ClusterArray("SHOP_ENV").Keys).Concat(ClusterArray("SILO1_ENV").Keys)
            .Where(k => k.StartsWith("Shop__", StringComparison.Ordinal) && k.Count(c => c == '_') == 2 && k != "Shop__Hosting")
            .Distinct();

        Assert.All(settings, key => Assert.Contains(key, known));
    }

    private static Dictionary<object, object> ComposeDocument()
    {
        using var reader = new StringReader(RepositoryFiles.Read("docker-compose.yml"));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<string, Dictionary<string, string>> ComposeEnvironments()
    {
        var services = (Dictionary<object, object>)ComposeDocument()["services"];
        return services.ToDictionary(
            s => (string)s.Key,
            s => ((Dictionary<object, object>)s.Value).TryGetValue("environment", out var environment)
                ? ((Dictionary<object, object>)environment).ToDictionary(e => (string)e.Key, e => (string)e.Value)
                : []);
    }

    /// <summary>The KEY=VALUE elements of a bash array <c>NAME=( ... )</c> in cluster.sh.</summary>
    private Dictionary<string, string> ClusterArray(string name)
    {
        var body = Regex.Match(cluster, $@"^{name}=\((?<body>[^)]*)\)", RegexOptions.Multiline).Groups["body"].Value;
        Assert.False(string.IsNullOrWhiteSpace(body), $"{name} not found in scripts/cluster.sh");
        return Element().Matches(body)
            .Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value)
            .Select(e => e.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> first, Dictionary<string, string> second) =>
        first.Concat(second).ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Compose's <c>${VAR:-default}</c> with VAR unset.</summary>
    private static string Resolve(string value) => Default().Replace(value, m => m.Groups["default"].Value);

    [GeneratedRegex("\"(?<quoted>[^\"]*)\"|(?<bare>[^\\s\"]+)")]
    private static partial Regex Element();

    [GeneratedRegex(@"\$\{[A-Z_]+:-(?<default>[^}]*)\}")]
    private static partial Regex Default();
}
