using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Gateway.Auth;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Delivery;
using Realtime.Gateway.Diagnostics;
using Realtime.Gateway.HttpApi;
using Realtime.Gateway.Dispatch;

namespace Realtime.Gateway.Hosting;

/// <summary>The gateway's entry point on the service collection.</summary>
public static class RealtimeGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the WebSocket gateway. It reaches the cluster through <see cref="IGatewayCluster"/>: by
    /// default an Orleans cluster client (a co-hosted silo or <c>UseOrleansClient</c>) registered
    /// before it, with the stream provider <see cref="Realtime.Delivery.RealtimeStreams.ProviderName"/>;
    /// an <see cref="IGatewayCluster"/> registered before this call replaces it. Options bind from
    /// <paramref name="configuration"/> (the <c>Realtime</c> section: <c>Gateway</c>, <c>Auth</c>) when given.
    /// </summary>
    public static IServiceCollection AddRealtimeGateway(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<RealtimeGatewayOptions, RealtimeGatewayOptionsValidator>(configuration?.GetSection("Gateway"));
        services.AddValidatedOptions<RealtimeAuthOptions, RealtimeAuthOptionsValidator>(configuration?.GetSection("Auth"));
        services.AddValidatedOptions<RealtimeHttpApiOptions, RealtimeHttpApiOptionsValidator>(configuration?.GetSection("Api"));
        services.TryAddSingleton<HttpApiAuthorization>();
        services.AddOpenApi();
        services.AddAuthentication().AddJwtBearer(JwtBearerSetup.Scheme);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>());

        // ASP.NET Core's request-line log prints the query string, and with it `?token=`.
        services.Configure<LoggerFilterOptions>(filters => filters.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None));
        services.AddOrleansGatewayCluster();
        services.AddRealtimeClock();
        services.TryAddSingleton<ConnectionAuthenticator>();
        services.TryAddSingleton<GatewayIdentity>();
        services.TryAddSingleton<GatewayState>();
        services.TryAddSingleton<ConnectionTable>();
        services.TryAddSingleton<LocalRooms>();
        services.TryAddSingleton<GatewayStreamConsumer>();
        services.TryAddSingleton<ServerRequests>();
        services.TryAddSingleton<SystemActionHandler>();
        services.TryAddSingleton<FrameDispatcher>();
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<ConnectionAdmission>();
        services.TryAddSingleton<ConnectionHandler>();
        services.AddHostedService<GatewayService>();
        services.AddHealthChecks().AddCheck<GatewayHealthCheck>("realtime");
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, WebSocketsStartupFilter>());
        return services;
    }
    /// <summary>Puts the WebSocket middleware first in the pipeline; the gateway sends its own heartbeats.</summary>
    private sealed class WebSocketsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            next(app);
        };
    }
}
