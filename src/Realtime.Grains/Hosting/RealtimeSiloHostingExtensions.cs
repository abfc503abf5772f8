using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using Realtime.Delivery;
using StackExchange.Redis;

namespace Realtime.Hosting;

/// <summary>
/// The standard silo set-up the shipped hosts use, from configuration: with
/// <c>ConnectionStrings:Redis</c>, Redis clustering and Redis grain storage (realtime state and the
/// streams' pub-sub state); without it, localhost clustering and memory storage. Failure detection
/// is tuned to notice a dead silo in about a second.
/// </summary>
public static class RealtimeSiloHostingExtensions
{
    /// <summary>
    /// How often an Orleans client (a gateway, an application service) re-reads the list of silo
    /// gateways: a client routes each grain's calls through one silo gateway, so a dead one must
    /// leave the list quickly.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long a grain call may take before its caller gives up: above every handler's time limit.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(15);

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
        var orleans = configuration.GetSection("Orleans");
        var siloPort = orleans.GetValue("SiloPort", 11111);
        var gatewayPort = orleans.GetValue("GatewayPort", 30000);
        var clusterId = orleans.GetValue("ClusterId", "realtime")!;
        var serviceId = orleans.GetValue("ServiceId", "realtime")!;
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId)
                .AddRealtimeInMemoryProviders();
        }
        else
        {
            var advertised = orleans.GetValue<string>("AdvertisedIP");
            if (string.IsNullOrWhiteSpace(advertised))
            {
                silo.ConfigureEndpoints(siloPort, gatewayPort);
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Parse(advertised), siloPort, gatewayPort);
            }

            silo.UseRedisClustering(options => options.ConfigurationOptions = RedisOptions(redis))
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = serviceId;
                })
                .AddRealtimeRedisProviders(redis);
        }

        silo.Configure<ClusterMembershipOptions>(ConfigureFailureDetection);
        silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = ResponseTimeout);
        RealtimeModules.Load(silo, configuration);
        return silo.AddRealtime(configuration.GetSection("Realtime"));
    }

    /// <summary>
    /// Redis grain storage for the realtime grains and for the streams' pub-sub state (so
    /// subscriptions outlive a silo), and memory streams polled every <paramref name="pollPeriod"/>.
    /// </summary>
    public static ISiloBuilder AddRealtimeRedisProviders(this ISiloBuilder silo, string redisConnectionString, TimeSpan? pollPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var redis = RedisOptions(redisConnectionString);
        foreach (var name in (string[])[RealtimeStorage.Name, RealtimeStreams.PubSubStorageName])
        {
            silo.AddRedisGrainStorage(name, (OptionsBuilder<RedisStorageOptions> options) => options.Configure<Serializer>((options, serializer) =>
            {
                options.ConfigurationOptions = redis;
                options.DeleteStateOnClear = true;
                options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        }

        return silo.AddRealtimeMemoryStreams(pollPeriod);
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

    /// <summary>
    /// Redis options that fail fast while Redis is away (commands fail at once instead of queueing)
    /// and reconnect by themselves. The password is never logged by the providers.
    /// </summary>
    public static ConfigurationOptions RedisOptions(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.SyncTimeout = 2000;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
