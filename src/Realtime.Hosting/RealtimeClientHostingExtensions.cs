using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Realtime.Api;
using Realtime.Grains;

namespace Realtime.Hosting;

/// <summary>
/// The client side of the cluster, for a gateway in its own process and for an application service
/// that pushes through <see cref="IRealtime"/>: the same <see cref="RealtimeClusterOptions"/> the silos
/// read, so the cluster and service ids always agree.
/// </summary>
public static class RealtimeClientHostingExtensions
{
    /// <summary>
    /// Makes <paramref name="builder"/> an Orleans client of the realtime cluster and registers
    /// <see cref="IRealtime"/>: Redis clustering with <c>ConnectionStrings:Redis</c>, else the silo on
    /// this machine (<c>Orleans:GatewayPort</c>); <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c>
    /// as the silos have them. The host keeps trying to connect, once a second, until the cluster is up.
    /// </summary>
    public static IHostApplicationBuilder AddRealtimeClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseOrleansClient(client => client.UseRealtimeCluster(builder.Configuration));
        builder.Services.TryAddSingleton<IRealtime>(services => new RealtimeApi(services.GetRequiredService<IClusterClient>()));
        return builder;
    }

    /// <summary>
    /// Clustering, ids, timeouts, connection retry and the realtime stream provider for an Orleans
    /// client, from <paramref name="configuration"/> (see <see cref="RealtimeClusterOptions"/>).
    /// </summary>
    public static IClientBuilder UseRealtimeCluster(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cluster = RealtimeClusterOptions.From(configuration);
        if (cluster.UsesRedis)
        {
            client.UseRedisClustering(options => options.ConfigurationOptions = RealtimeClusterOptions.RedisOptions(cluster.Redis!))
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }

        if (Telemetry.RealtimeTelemetry.TracingEnabled(configuration))
        {
            client.AddActivityPropagation();
        }

        return client
            .Configure<ClientMessagingOptions>(options => options.ResponseTimeout = RealtimeClusterOptions.ResponseTimeout)
            .Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = RealtimeClusterOptions.GatewayListRefreshPeriod)
            .UseConnectionRetryFilter(RetryUntilTheClusterIsUp)
            .AddRealtimeStreams(configuration.GetSection("Realtime:Streams"));
    }

    /// <summary>A client may start before the silos: it keeps trying, once a second, until stopped.</summary>
    private static async Task<bool> RetryUntilTheClusterIsUp(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }
}
