using Realtime.Gateway.Hosting;
using Realtime.Hosting;

namespace Realtime.GatewayHost;

/// <summary>
/// How the gateway process is put together; tests build the same application. With no
/// <c>ConnectionStrings:Redis</c> it co-hosts a silo with localhost clustering, memory storage and
/// memory streams (the embedded default).
/// </summary>
public static class GatewayApp
{
    /// <summary>Builds the gateway application; <paramref name="configure"/> may add services (handlers, test settings) before it is built.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var realtime = builder.Configuration.GetSection("Realtime");
        var orleans = builder.Configuration.GetSection("Orleans");

        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(
                siloPort: orleans.GetValue("SiloPort", 11111),
                gatewayPort: orleans.GetValue("GatewayPort", 30000),
                serviceId: orleans.GetValue("ServiceId", "realtime")!,
                clusterId: orleans.GetValue("ClusterId", "realtime-dev")!)
            .AddRealtimeInMemoryProviders()
            .AddRealtime(realtime));

        configure?.Invoke(builder);
        builder.Services.AddRealtimeGateway(realtime);

        var app = builder.Build();
        app.MapRealtime("/ws");
        app.MapRealtimeDemo("/");
        return app;
    }
}
