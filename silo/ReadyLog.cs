using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Realtime.SiloHost;

/// <summary>Says, once the silo and its HTTP listener run, that it is ready and where (scripts and tests wait for this line).</summary>
internal sealed partial class ReadyLog(IConfiguration configuration, IServer server, IHostApplicationLifetime lifetime, ILogger<ReadyLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => LogReady(
            configuration.GetValue("Orleans:SiloPort", 11111),
            configuration.GetValue("Orleans:GatewayPort", 30000),
            string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []),
            Mode()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Realtime silo ready (silo port {SiloPort}, gateway port {GatewayPort}, metrics and health on {HttpAddresses}), {Mode}.")]
    private partial void LogReady(int siloPort, int gatewayPort, string httpAddresses, string mode);

    private string Mode()
    {
        var cluster = Realtime.Hosting.RealtimeClusterOptions.From(configuration);
        return cluster.UsesRedis
            ? $"cluster '{cluster.ClusterId}' on Redis at {cluster.RedisEndpoints}"
            : "alone, in memory (no ConnectionStrings:Redis)";
    }
}
