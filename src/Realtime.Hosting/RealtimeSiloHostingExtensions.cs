using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using Realtime.Delivery;
using Realtime.Grains;

namespace Realtime.Hosting;

/// <summary>
/// The standard silo set-up the shipped hosts use, from configuration (<see cref="RealtimeClusterOptions"/>):
/// with <c>ConnectionStrings:Redis</c>, Redis clustering and Redis grain storage (realtime state and the
/// streams' pub-sub state); without it, localhost clustering and memory storage. Failure detection
/// is tuned to notice a dead silo in about a second.
/// </summary>
public static class RealtimeSiloHostingExtensions
{
    /// <summary>
    /// Clustering, endpoints, cluster ids, failure detection, providers and the realtime grains, from
    /// <paramref name="configuration"/>: <c>ConnectionStrings:Redis</c>, <c>Orleans:SiloPort</c> (11111),
    /// <c>Orleans:GatewayPort</c> (30000), <c>Orleans:AdvertisedIP</c> (this machine's address; 127.0.0.1 without Redis),
    /// <c>Orleans:ClusterId</c> (realtime), <c>Orleans:ServiceId</c> (realtime), the <c>Realtime</c> section, and
    /// the application modules named in <c>Realtime:Modules</c> (see <see cref="IRealtimeModule"/>).
    /// </summary>
    public static ISiloBuilder UseRealtimeHosting(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var cluster = RealtimeClusterOptions.From(configuration);
        if (!cluster.UsesRedis)
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId)
                .AddRealtimeInMemoryProviders();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(cluster.AdvertisedIP))
            {
                silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort);
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedIP), cluster.SiloPort, cluster.GatewayPort);
            }

            silo.UseRedisClustering(options => options.ConfigurationOptions = RealtimeClusterOptions.RedisOptions(cluster.Redis!))
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                })
                .AddRealtimeRedisProviders(cluster.Redis!);
        }

        silo.Configure<ClusterMembershipOptions>(ConfigureFailureDetection);
        silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = RealtimeClusterOptions.ResponseTimeout);
        // Grain calls carry the caller's trace context, so a publish's spans link across hops.
        if (Telemetry.RealtimeTelemetry.TracingEnabled(configuration))
        {
            silo.AddActivityPropagation();
        }

        Telemetry.RealtimeDashboard.AddRealtimeDashboard(silo, configuration);
        RealtimeModules.Load(silo.Services, configuration);
        return silo.AddRealtime(configuration.GetSection("Realtime"));
    }

    /// <summary>
    /// Redis grain storage for the realtime grains and for the streams' pub-sub state (so
    /// subscriptions outlive a silo), and the stream provider (<c>Realtime:Streams</c>).
    /// </summary>
    public static ISiloBuilder AddRealtimeRedisProviders(this ISiloBuilder silo, string redisConnectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var redis = RealtimeClusterOptions.RedisOptions(redisConnectionString);
        foreach (var name in (string[])[RealtimeStorage.Name, RealtimeStreams.PubSubStorageName])
        {
            silo.AddRedisGrainStorage(name, (OptionsBuilder<RedisStorageOptions> options) => options.Configure<Serializer>((options, serializer) =>
            {
                options.ConfigurationOptions = redis;
                options.DeleteStateOnClear = true;
                options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        }

        return silo.AddRealtimeStreams();
    }

    /// <summary>
    /// Failure detection that declares a dead silo in about a second: probes time out after 1 s, two
    /// missed probes make a suspicion, one vote is enough, the membership table is re-read every 2 s.
    /// </summary>
    public static void ConfigureFailureDetection(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
