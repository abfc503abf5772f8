using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Realtime.Grains.Events;

/// <summary>Ready-made middleware for subscribers.</summary>
public static partial class SubscriberMiddlewares
{
    /// <summary>The phases around the handler: <paramref name="onBefore"/> may skip it, <paramref name="onError"/> may suppress what it threw.</summary>
    public static SubscriberMiddleware Hooks(
        Func<RealtimeEventContext, ValueTask<bool>>? onBefore = null,
        Func<RealtimeEventContext, ValueTask>? onAfter = null,
        Func<RealtimeEventContext, Exception, ValueTask<bool>>? onError = null)
        => new Delegating(async (context, next) =>
        {
            if (onBefore is not null && !await onBefore(context))
            {
                return;
            }

            try
            {
                await next();
            }
            catch (Exception exception) when (onError is not null)
            {
                if (await onError(context, exception))
                {
                    return;
                }

                throw;
            }

            if (onAfter is not null)
            {
                await onAfter(context);
            }
        });

    /// <summary>Catches whatever the rest throws and hands it to <paramref name="handle"/>: the error goes no further.</summary>
    public static SubscriberMiddleware ErrorHandler(Func<RealtimeEventContext, Exception, ValueTask> handle)
        => new Delegating(async (context, next) =>
        {
            try
            {
                await next();
            }
            catch (Exception exception)
            {
                await handle(context, exception);
            }
        });

    /// <summary>
    /// At most <paramref name="count"/> events per <paramref name="window"/> (per silo, by the realtime
    /// clock, see <see cref="RealtimeClock"/>); the rest are skipped and logged.
    /// </summary>
    public static SubscriberMiddleware RateLimit(int count, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var gate = new Lock();
        var windowStart = long.MinValue;
        var used = 0;
        return new Delegating(async (context, next) =>
        {
            bool allowed;
            var clock = context.Services.GetKeyedService<TimeProvider>(RealtimeClock.Key) ?? TimeProvider.System;
            lock (gate)
            {
                var now = clock.GetTimestamp();
                if (windowStart == long.MinValue || clock.GetElapsedTime(windowStart, now) >= window)
                {
                    windowStart = now;
                    used = 0;
                }

                allowed = ++used <= count;
            }

            if (allowed)
            {
                await next();
            }
            else
            {
                LogRateLimited(context.Logger, context.Subscriber, context.Event.Id, context.Channel, count, window);
            }
        });
    }

    /// <summary>
    /// Tries again when the rest throws: up to <paramref name="attempts"/> in all, waiting
    /// <paramref name="initialDelay"/>, then that times <paramref name="backoffFactor"/> each time.
    /// </summary>
    public static SubscriberMiddleware Retry(int attempts, TimeSpan initialDelay, double backoffFactor = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffFactor, 1);
        return new Delegating(async (context, next) =>
        {
            var delay = initialDelay;
            for (var attempt = 1; ; attempt++)
            {
                context.Attempt = attempt;
                try
                {
                    await next();
                    return;
                }
                catch (Exception exception) when (attempt < attempts && exception is not OperationCanceledException)
                {
                    LogRetrying(context.Logger, exception, context.Subscriber, attempt, attempts, delay);
                    await Task.Delay(delay, context.CancellationToken);
                    delay = TimeSpan.FromTicks((long)(delay.Ticks * backoffFactor));
                }
            }
        });
    }

    /// <summary>Checks the event: <paramref name="validate"/> returns why it is invalid (or null), and an invalid event is an error.</summary>
    public static SubscriberMiddleware Validate(Func<RealtimeEventContext, string?> validate)
        => new Delegating((context, next) => validate(context) is { } problem
            ? throw new EventValidationException($"Event {context.Event.Id} on {context.Channel} is not valid for {context.Subscriber}: {problem}")
            : next());

    /// <summary>Checks the typed payload; see <see cref="Validate(Func{RealtimeEventContext, string?})"/>.</summary>
    public static SubscriberMiddleware Validate<T>(Func<T?, string?> validate)
        => Validate(context =>
        {
            T? payload;
            try
            {
                payload = context.PayloadAs<T>();
            }
            catch (System.Text.Json.JsonException exception)
            {
                return $"the payload is not a {typeof(T).Name}: {exception.Message}";
            }

            return validate(payload);
        });

    /// <summary>Skips the handler for events <paramref name="predicate"/> rejects.</summary>
    public static SubscriberMiddleware Filter(Func<RealtimeEventContext, bool> predicate)
        => new Delegating((context, next) => predicate(context) ? next() : Task.CompletedTask);

    /// <summary>Logs each event handled, with how long it took, at <paramref name="level"/>.</summary>
    public static SubscriberMiddleware Logging(LogLevel level = LogLevel.Information)
        => new Delegating(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            LogHandling(context.Logger, level, context.Subscriber, context.Event.Id, context.Channel);
            await next();
            LogHandled(context.Logger, level, context.Subscriber, context.Event.Id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });

    /// <summary>Measures how long the rest took and reports it, whether it succeeded or not.</summary>
    public static SubscriberMiddleware Timing(Action<RealtimeEventContext, TimeSpan> report)
        => new Delegating(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next();
            }
            finally
            {
                report(context, Stopwatch.GetElapsedTime(started));
            }
        });

    /// <summary>Several middleware as one, the first outermost.</summary>
    public static SubscriberMiddleware Compose(params SubscriberMiddleware[] middleware)
        => new Delegating((context, next) => Pipeline(middleware, context, next));

    /// <summary>Runs <paramref name="middleware"/> around <paramref name="last"/>.</summary>
    internal static Task Pipeline(IReadOnlyList<SubscriberMiddleware> middleware, RealtimeEventContext context, Func<Task> last)
    {
        Func<Task> next = last;
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            var current = middleware[i];
            var inner = next;
            next = () => current.InvokeAsync(context, inner);
        }

        return next();
    }

    [LoggerMessage(EventId = 1830, Level = LogLevel.Information, Message = "Subscriber {Subscriber} skipped event {EventId} on {Channel}: more than {Count} per {Window}.")]
    private static partial void LogRateLimited(ILogger logger, string subscriber, string eventId, string channel, int count, TimeSpan window);

    [LoggerMessage(EventId = 1831, Level = LogLevel.Information, Message = "Subscriber {Subscriber}: attempt {Attempt} of {Attempts} failed; trying again in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string subscriber, int attempt, int attempts, TimeSpan delay);

    [LoggerMessage(EventId = 1832, Message = "Subscriber {Subscriber} handles event {EventId} on {Channel}.")]
    private static partial void LogHandling(ILogger logger, LogLevel level, string subscriber, string eventId, string channel);

    [LoggerMessage(EventId = 1833, Message = "Subscriber {Subscriber} handled event {EventId} in {Elapsed} ms.")]
    private static partial void LogHandled(ILogger logger, LogLevel level, string subscriber, string eventId, double elapsed);

    private sealed class Delegating(Func<RealtimeEventContext, Func<Task>, Task> invoke) : SubscriberMiddleware
    {
        public override Task InvokeAsync(RealtimeEventContext context, Func<Task> next) => invoke(context, next);
    }
}

/// <summary>An event failed a subscriber's validation.</summary>
public sealed class EventValidationException : Exception
{
    /// <summary>The event is not valid.</summary>
    public EventValidationException()
    {
    }

    /// <summary>The event is not valid: <paramref name="message"/> says why.</summary>
    public EventValidationException(string message) : base(message)
    {
    }

    /// <summary>The event is not valid, found by <paramref name="innerException"/>.</summary>
    public EventValidationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
