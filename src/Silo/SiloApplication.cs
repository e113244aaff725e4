using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;
using Shop.Silo.Telemetry;
using Shop.Silo.Web;

namespace Shop.Silo;

/// <summary>
/// A standalone silo process: the silo, and a small HTTP server beside it on <c>Shop:HttpPort</c> for
/// operators: <c>/metrics</c> (Prometheus), <c>/health/live</c>, <c>/health/ready</c> (active in the
/// cluster, PostgreSQL and Redis answer) and, with a password configured, the Orleans Dashboard at
/// <c>/dashboard</c> behind Basic authentication.
/// </summary>
public static partial class SiloApplication
{
    private const string ReadyTag = "ready";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        var hosting = ShopHostingOptions.From(configuration);
        var dashboard = configuration.GetSection("Shop:Dashboard").Get<ShopDashboardOptions>() ?? new ShopDashboardOptions();

        builder.WebHost.UseUrls(hosting.HttpPort == 0 ? "http://127.0.0.1:0" : $"http://+:{hosting.HttpPort}");
        builder.UseOrleans(silo =>
        {
            silo.UseShopClustering(configuration).AddShop(configuration);
            if (dashboard.Enabled)
            {
                silo.AddDashboard();
            }
        });
        builder.AddShopTelemetry("shop-silo");
        builder.Services.Configure<ShopDashboardOptions>(configuration.GetSection("Shop:Dashboard"));
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag]);
        builder.Services.AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapShopMetrics();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Silo");
        if (dashboard.Enabled)
        {
            app.MapOrleansDashboard("/dashboard").RequireAuthorization();
            LogDashboard(logger, dashboard.Username);
        }
        else
        {
            LogNoDashboard(logger);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans Dashboard at /dashboard, Basic authentication as {Username}")]
    private static partial void LogDashboard(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans Dashboard off: set Shop:Dashboard:Password to serve it at /dashboard")]
    private static partial void LogNoDashboard(ILogger logger);
}
