using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Realtime.Grains;
using Realtime.Grains.Handlers;

namespace Realtime.Testing;

/// <summary>
/// An in-process Orleans cluster (in-memory transport) with the realtime grains on every silo and a
/// client that can subscribe to gateway streams like a gateway does.
/// </summary>
public static class RealtimeTestCluster
{
    public static async Task<InProcessTestCluster> StartAsync(
        short silos = 2,
        IDictionary<string, string?>? settings = null,
        Action<RealtimeHandlerBuilder>? handlers = null,
        LogCapture? logs = null,
        Action<IServiceCollection>? siloServices = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureHost(host =>
        {
            host.Configuration.AddInMemoryCollection([new(OpenRooms.Key, OpenRooms.Value)]);
            if (settings is not null)
            {
                host.Configuration.AddInMemoryCollection(settings);
            }

            if (logs is not null)
            {
                host.Logging.ClearProviders();
                host.Logging.AddProvider(logs);
            }
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            if (handlers is not null)
            {
                host.Services.AddRealtimeHandlers(handlers);
            }

            siloServices?.Invoke(host.Services);
        });
        builder.ConfigureSilo((_, silo) => silo
            .AddRealtimeInMemoryProviders()
            .AddRealtime(silo.Configuration.GetSection("Realtime")));
        builder.ConfigureClient(client => client.AddRealtimeStreams());
        var cluster = builder.Build();
        await cluster.DeployAsync().Within("the test cluster to start", TimeSpan.FromSeconds(60));
        return cluster;
    }
}
