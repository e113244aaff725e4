using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.Grains;

namespace Shop.Silo.Web;

/// <summary>A silo is ready when it is an active member of the cluster and what it depends on answers.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle membership, IEnumerable<IHealthProbe> probes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (membership.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"The silo is {membership.CurrentStatus}, not an active member of the cluster.");
        }

        var report = await HealthProbes.CheckAllAsync(probes, cancellationToken);
        return report.Healthy ? HealthCheckResult.Healthy(report.Description) : HealthCheckResult.Unhealthy(report.Description);
    }
}
