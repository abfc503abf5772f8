using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Realtime.Hosting;
using Realtime.Hosting.Telemetry;

namespace Realtime.GatewayHost;

/// <summary>Once the gateway takes connections, says in one line how it runs and where everything is.</summary>
internal sealed partial class StartupBanner(IConfiguration configuration, IServer server, IHostApplicationLifetime lifetime, IHostEnvironment environment, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var http = (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000").TrimEnd('/');
            var ws = "ws" + http[4..];
            var paths = configuration.GetSection("Realtime:Gateway:Paths").Get<string[]>() is { Length: > 0 } configured ? configured : ["/ws"];
            var dashboard = RealtimeDashboard.Enabled(configuration) ? $", dashboard {http}/dashboard" : "";
            LogReady(
                Mode(configuration),
                environment.EnvironmentName,
                string.Join(" ", paths.Select(p => ws + p)),
                $"demo {http}/, health {http}/health, metrics {http}/metrics{dashboard}");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Mode(IConfiguration configuration)
    {
        var cluster = RealtimeClusterOptions.From(configuration);
        if (!cluster.UsesRedis)
        {
            return $"embedded: an in-memory silo in this process (silo port {cluster.SiloPort}, Orleans gateway port {cluster.GatewayPort})";
        }

        return $"a client of cluster '{cluster.ClusterId}' on Redis at {cluster.RedisEndpoints}";
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Realtime gateway ready, {Mode}, environment {Environment}. WebSocket {WebSockets}; {Links}.")]
    private partial void LogReady(string mode, string environment, string webSockets, string links);
}
