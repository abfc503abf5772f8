using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Handlers;

namespace Realtime.Hosting;

/// <summary>Builds the handler table when the silo starts, so a bad registration fails the start, and lists it in the log.</summary>
internal sealed partial class HandlerStartup(HandlerRegistry registry, ILogger<HandlerStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var handler in registry.All)
        {
            LogHandler(handler.Registration.Name);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Handler {Handler}")]
    private partial void LogHandler(string handler);
}
