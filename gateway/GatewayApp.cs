using Realtime.Gateway.HttpApi;
using Realtime.Gateway.Hosting;
using Realtime.Hosting;
using Realtime.Hosting.Telemetry;

namespace Realtime.GatewayHost;

/// <summary>
/// How the gateway process is put together; tests build the same application. With
/// <c>ConnectionStrings:Redis</c> it is an Orleans client of the silos on that Redis; without it, it
/// co-hosts a silo with localhost clustering, memory storage and memory streams (the embedded default).
/// </summary>
public static class GatewayApp
{
    /// <summary>Builds the gateway application; <paramref name="configure"/> may add services (handlers, test settings) before it is built.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json sits next to the program, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        if (RealtimeClusterOptions.From(configuration).UsesRedis)
        {
            builder.UseOrleansClient(client => client.UseRealtimeCluster(configuration).AddRealtimeModules(configuration).AddRealtimeDashboard(configuration));
        }
        else
        {
            builder.UseOrleans(silo => silo.UseRealtimeHosting(configuration));
        }

        // A start that fails is told in one line by RealtimeHostRunner, not with the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.AddRealtimeTelemetry("realtime-gateway");
        configure?.Invoke(builder);
        builder.Services.AddRealtimeGateway(configuration.GetSection("Realtime"));
        builder.Services.AddHostedService<StartupBanner>();

        // Kestrel listens from the first second, answering /health/ready with what the gateway waits
        // for, while the cluster (or the embedded silo) starts beside it.
        builder.Services.StartBesideTheSilo();

        var app = builder.Build();
        app.MapRealtimePaths();
        app.MapRealtimeHealth("/health");
        app.MapRealtimeMetrics("/metrics");
        app.MapRealtimeDashboard("/dashboard", RealtimeHttpApiEndpoints.RequireApiCredentials);
        app.MapRealtimeApi("/api");
        app.MapRealtimeClientScript();
        app.MapRealtimeDemo("/");
        app.MapRealtimeModules();
        return app;
    }
}
