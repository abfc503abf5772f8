using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Realtime.Hosting;

/// <summary>
/// Where the cluster is and what it is called, read the same way by silos, gateways and application
/// services: <c>ConnectionStrings:Redis</c> and the <c>Orleans</c> section. Two processes are in one
/// cluster when they read the same values.
/// </summary>
public sealed class RealtimeClusterOptions
{
    /// <summary>How long a grain call may take before its caller gives up: above every handler's time limit.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often an Orleans client re-reads the list of silo gateways: a client routes each grain's
    /// calls through one silo gateway, so a dead one must leave the list quickly.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary><c>ConnectionStrings:Redis</c>: Redis clustering and storage; empty means one machine (localhost clustering, memory storage).</summary>
    public string? Redis { get; set; }

    /// <summary><c>Orleans:ClusterId</c>, default <c>realtime</c>.</summary>
    public string ClusterId { get; set; } = "realtime";

    /// <summary><c>Orleans:ServiceId</c>, default <c>realtime</c>.</summary>
    public string ServiceId { get; set; } = "realtime";

    /// <summary><c>Orleans:SiloPort</c>, default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary><c>Orleans:GatewayPort</c>, default 30000: where silos take Orleans clients (and where a client looks on localhost).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary><c>Orleans:AdvertisedIP</c>: the address a silo tells the others; default this machine's (127.0.0.1 without Redis).</summary>
    public string? AdvertisedIP { get; set; }

    /// <summary><c>Orleans:RedisWaitTime</c>, default one minute: how long a silo waits for Redis at start before it gives up (exit code 1).</summary>
    public TimeSpan RedisWaitTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether the cluster is on Redis.</summary>
    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Where Redis is (host:port, comma-separated), for logs: never the password.</summary>
    public string RedisEndpoints => UsesRedis ? string.Join(",", ConfigurationOptions.Parse(Redis!).EndPoints.Select(e => e.ToString())) : "";

    /// <summary>Reads the options from <paramref name="configuration"/>.</summary>
    public static RealtimeClusterOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new RealtimeClusterOptions { Redis = configuration.GetConnectionString("Redis") };
        configuration.GetSection("Orleans").Bind(options);
        if (string.IsNullOrWhiteSpace(options.ClusterId) || string.IsNullOrWhiteSpace(options.ServiceId))
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException("Orleans", typeof(RealtimeClusterOptions), ["Orleans:ClusterId and Orleans:ServiceId must not be empty."]);
        }

        return options;
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

        // Completions on the process's thread pool, not the client's own pool of ten threads: on a
        // small machine those threads' wake-ups cost the silo more than the Redis work itself.
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
