using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Realtime.SiloHost;

/// <summary>Says, once the silo runs, that it is ready and where (scripts and tests wait for this line).</summary>
internal sealed partial class ReadyLog(IConfiguration configuration, ILogger<ReadyLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogReady(configuration.GetValue("Orleans:SiloPort", 11111), configuration.GetValue("Orleans:GatewayPort", 30000));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Realtime silo ready (silo port {SiloPort}, gateway port {GatewayPort}).")]
    private partial void LogReady(int siloPort, int gatewayPort);
}
