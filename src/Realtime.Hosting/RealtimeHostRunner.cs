using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Realtime.Hosting;

/// <summary>
/// Runs a shipped host so that its failures look like what they are: a bad setting prints one line
/// naming the setting and the rule; for a silo, an unreachable Redis is waited for (with back-off,
/// for <c>Orleans:RedisWaitTime</c>) and then reported in one line; both exit with code 1, no stack trace.
/// </summary>
public static partial class RealtimeHostRunner
{
    /// <summary>
    /// Builds the host with <paramref name="create"/> and runs it until it stops; returns the process's
    /// exit code. <paramref name="waitForRedis"/>: a silo's start waits for Redis (a gateway's does not:
    /// it listens at once and tells on <c>/health/ready</c> what it waits for).
    /// </summary>
    public static async Task<int> RunAsync(Func<WebApplication> create, bool waitForRedis = false)
    {
        ArgumentNullException.ThrowIfNull(create);
        WebApplication app;
        try
        {
            app = create();
        }
        catch (Exception exception) when (Explain(exception) is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            return 1;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Realtime.Hosting");
        try
        {
            RealtimeSettingsCheck.Warn(app.Configuration, app.Services, logger);
            if (waitForRedis && !await WaitForRedisAsync(app.Configuration, logger, app.Lifetime.ApplicationStopping))
            {
                await app.DisposeAsync();
                return 1;
            }

            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (Explain(exception) is { } line)
        {
            LogFailed(logger, line);
            return 1;
        }
    }

    /// <summary>One line for a failure that is the configuration's or the environment's, not a bug; null for anything else.</summary>
    public static string? Explain(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case OptionsValidationException invalid:
                    return "Invalid setting: " + string.Join(" ", invalid.Failures);
                case InvalidOperationException conversion when conversion.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    return "Invalid setting: " + conversion.Message;
                case RedisConnectionException redis:
                    return "Redis cannot be reached: " + FirstSentence(redis.Message);
            }
        }

        return null;
    }

    private static async Task<bool> WaitForRedisAsync(Microsoft.Extensions.Configuration.IConfiguration configuration, ILogger logger, CancellationToken stopping)
    {
        var cluster = RealtimeClusterOptions.From(configuration);
        if (!cluster.UsesRedis)
        {
            return true;
        }

        var options = RealtimeClusterOptions.RedisOptions(cluster.Redis!);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 2000;
        var deadline = DateTime.UtcNow + cluster.RedisWaitTime;
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
                if (attempt > 1)
                {
                    LogRedisReached(logger, cluster.RedisEndpoints);
                }

                return true;
            }
            catch (RedisConnectionException exception)
            {
                if (DateTime.UtcNow + delay > deadline || stopping.IsCancellationRequested)
                {
                    LogRedisGaveUp(logger, cluster.RedisEndpoints, cluster.RedisWaitTime.TotalSeconds, FirstSentence(exception.Message));
                    return false;
                }

                LogRedisWaiting(logger, cluster.RedisEndpoints, attempt, delay.TotalSeconds, FirstSentence(exception.Message));
            }

            await Task.Delay(delay, stopping).ContinueWith(static _ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>The client's messages go on with advice about its own options, which is not the operator's problem.</summary>
    private static string FirstSentence(string message) => message.IndexOf(". ", StringComparison.Ordinal) is var end and > 0 ? message[..(end + 1)] : message;

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "Waiting for Redis at {Endpoints} (attempt {Attempt}, next in {Delay} s): {Reason}")]
    private static partial void LogRedisWaiting(ILogger logger, string endpoints, int attempt, double delay, string reason);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Redis at {Endpoints} answers.")]
    private static partial void LogRedisReached(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Critical, Message = "Redis at {Endpoints} did not answer within {Seconds} s (Orleans:RedisWaitTime); exiting. Last error: {Reason}")]
    private static partial void LogRedisGaveUp(ILogger logger, string endpoints, double seconds, string reason);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Critical, Message = "{Failure}")]
    private static partial void LogFailed(ILogger logger, string failure);
}
