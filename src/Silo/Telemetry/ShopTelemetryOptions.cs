namespace Shop.Silo.Telemetry;

/// <summary>Section <c>Shop:Telemetry</c>: where the API's and the silos' metrics and traces go.</summary>
public sealed class ShopTelemetryOptions
{
    /// <summary>
    /// The OTLP (gRPC) endpoint of a collector, such as <c>http://otel-collector:4317</c>. Unset: the
    /// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable; neither: no OTLP export.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Metrics and traces written to the console as well (for development).</summary>
    public bool Console { get; set; }

    /// <summary>
    /// Whether traces are recorded. Default: when they go somewhere (OTLP or the console). Recording
    /// spans for every grain call and SQL statement costs CPU on the hot path, so not for nobody.
    /// </summary>
    public bool? Traces { get; set; }
}
