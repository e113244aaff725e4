namespace Shop.Grains;

/// <summary>Something a silo depends on that can be down: its database, say. Registered by the silo's host.</summary>
public interface IHealthProbe
{
    string Name { get; }

    Task CheckAsync(CancellationToken cancellationToken);
}

public static class HealthProbes
{
    /// <summary>Runs every probe (3 s in all); the first that fails names the report.</summary>
    public static async Task<HealthReport> CheckAllAsync(IEnumerable<IHealthProbe> probes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        foreach (var probe in probes)
        {
            try
            {
                await probe.CheckAsync(timeout.Token);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                return new HealthReport(false, $"{probe.Name}: {exception.Message}");
            }
        }

        return new HealthReport(true, "silo and storage answer");
    }
}

[StatelessWorker]
public sealed class HealthGrain(IEnumerable<IHealthProbe> probes) : Grain, IHealthGrain
{
    public Task<HealthReport> CheckAsync() => HealthProbes.CheckAllAsync(probes, CancellationToken.None);
}
