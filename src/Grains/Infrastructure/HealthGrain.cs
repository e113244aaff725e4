namespace Shop.Grains;

/// <summary>Something a silo depends on that can be down: its database, say. Registered by the silo's host.</summary>
public interface IHealthProbe
{
    string Name { get; }

    Task CheckAsync(CancellationToken cancellationToken);
}

[StatelessWorker]
public sealed class HealthGrain(IEnumerable<IHealthProbe> probes) : Grain, IHealthGrain
{
    public async Task<HealthReport> CheckAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
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
