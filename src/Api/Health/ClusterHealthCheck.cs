using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Api.Health;

/// <summary>Ready when a silo answers through this process's cluster connection and reports its storage healthy.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var report = await grains.GetGrain<IHealthGrain>(0).CheckAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return report.Healthy ? HealthCheckResult.Healthy(report.Description) : HealthCheckResult.Unhealthy(report.Description);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", exception);
        }
    }
}
