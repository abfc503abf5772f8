using Microsoft.Extensions.Options;
using Realtime.Api;

namespace TeamBoard;

/// <summary>How often the clock pushes. Section <c>TeamBoard:Clock</c>.</summary>
public sealed class ClockOptions
{
    /// <summary>The time between two ticks. Default 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>An application service that pushes from outside any handler: the time, to <c>announce:clock</c>.</summary>
internal sealed partial class Clock(IRealtime realtime, IOptions<ClockOptions> options, ILogger<Clock> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await realtime.SendToRoomAsync("announce:clock", RealtimePush.Create("clock", "tick", new { at = DateTimeOffset.UtcNow }));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The silo may still be starting, or be stopping: the next tick tries again.
                LogTickFailed(exception);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "A clock tick could not be pushed.")]
    private partial void LogTickFailed(Exception exception);
}
