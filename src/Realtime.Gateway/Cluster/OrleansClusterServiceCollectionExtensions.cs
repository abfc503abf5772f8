using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Realtime.Api;

namespace Realtime.Gateway.Cluster;

/// <summary>Binds the gateway's cluster seam, and the server API it serves over HTTP, to Orleans.</summary>
internal static class OrleansClusterServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IGatewayCluster"/> as <see cref="OrleansGatewayCluster"/> and <see cref="IRealtime"/>
    /// on the cluster client, unless something else was registered first.
    /// </summary>
    public static IServiceCollection AddOrleansGatewayCluster(this IServiceCollection services)
    {
        services.TryAddSingleton<IGatewayCluster, OrleansGatewayCluster>();
        services.TryAddSingleton<IRealtime>(sp => new RealtimeApi(sp.GetRequiredService<IGrainFactory>()));
        return services;
    }
}
