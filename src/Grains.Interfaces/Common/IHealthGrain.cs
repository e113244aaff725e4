namespace Shop;

[GenerateSerializer, Immutable, Alias("Shop.HealthReport")]
public sealed record HealthReport(bool Healthy, string Description);

/// <summary>Readiness as a silo sees it: the silo answers, and so does its storage.</summary>
[Alias("Shop.IHealthGrain")]
public interface IHealthGrain : IGrainWithIntegerKey
{
    Task<HealthReport> CheckAsync();
}
