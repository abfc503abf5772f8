using Orleans.Configuration;
using Realtime.Delivery;
using Realtime.Gateway.HttpApi;
using Realtime.Gateway.Hosting;
using Realtime.Hosting;

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
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            builder.UseOrleans(silo => silo.UseRealtimeHosting(configuration));
        }
        else
        {
            builder.UseOrleansClient(client => client
                .UseRedisClustering(options => options.ConfigurationOptions = RealtimeSiloHostingExtensions.RedisOptions(redis))
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = configuration.GetValue("Orleans:ClusterId", "realtime")!;
                    options.ServiceId = configuration.GetValue("Orleans:ServiceId", "realtime")!;
                })
                .Configure<ClientMessagingOptions>(options => options.ResponseTimeout = RealtimeSiloHostingExtensions.ResponseTimeout)
                .Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = RealtimeSiloHostingExtensions.GatewayListRefreshPeriod)
                .UseConnectionRetryFilter(RetryUntilTheClusterIsUp)
                .AddMemoryStreams(RealtimeStreams.ProviderName));
        }

        configure?.Invoke(builder);
        builder.Services.AddRealtimeGateway(configuration.GetSection("Realtime"));

        var app = builder.Build();
        app.MapRealtimePaths();
        app.MapRealtimeHealth("/health");
        app.MapRealtimeApi("/api");
        app.MapRealtimeClientScript();
        app.MapRealtimeDemo("/");
        return app;
    }

    /// <summary>A gateway may start before the silos: it keeps trying, once a second, until stopped.</summary>
    private static async Task<bool> RetryUntilTheClusterIsUp(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }
}
