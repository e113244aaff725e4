using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shop.Diagnostics;

namespace Shop.Silo.Telemetry;

/// <summary>
/// OpenTelemetry for every Shop process, the API and the silos alike: Shop's meter, Orleans' meter and
/// spans, Npgsql's, ASP.NET Core's and the runtime's; a Prometheus scrape endpoint, OTLP when an
/// endpoint is configured, the console when asked.
/// </summary>
public static class ShopTelemetryExtensions
{
    /// <summary>The meters exported: Shop's own, Orleans' (transactions, storage, messaging, catalog) and Npgsql's.</summary>
    public static readonly string[] Meters = [ShopMetrics.MeterName, "Microsoft.Orleans", "Npgsql"];

    /// <summary>The span sources: Orleans' grain calls (application and runtime) and Npgsql's commands.</summary>
    public static readonly string[] TraceSources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Npgsql"];

    public static IHostApplicationBuilder AddShopTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var options = builder.Configuration.GetSection("Shop:Telemetry").Get<ShopTelemetryOptions>() ?? new ShopTelemetryOptions();
        var otlp = options.OtlpEndpoint is { Length: > 0 } endpoint ? endpoint : builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var exportsOtlp = !string.IsNullOrWhiteSpace(otlp);

        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ShopMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
                if (exportsOtlp)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp!));
                }

                if (options.Console)
                {
                    metrics.AddConsoleExporter();
                }
            });

        if (options.Traces ?? (exportsOtlp || options.Console))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(TraceSources).AddAspNetCoreInstrumentation(o => o.Filter = IsTraced);
                if (exportsOtlp)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp!));
                }

                if (options.Console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        }

        return builder;
    }

    /// <summary><c>/metrics</c> in Prometheus' text format (open: scrape it from inside the network only).</summary>
    public static IEndpointConventionBuilder MapShopMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint("/metrics");

    // Scrapes and health probes every few seconds would drown the traces of real requests.
    private static bool IsTraced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/metrics") && !context.Request.Path.StartsWithSegments("/health");
}
