namespace Realtime.Client;

/// <summary>Decides whether and when a <see cref="RealtimeClient"/> tries to connect again after a connection was lost.</summary>
public interface IRealtimeRetryPolicy
{
    /// <summary>The delay before the next attempt, or null to stop trying (the client is then closed for good).</summary>
    TimeSpan? NextRetryDelay(RealtimeRetryContext context);
}

/// <summary>What a retry policy knows: how many attempts failed in a row, since when, and why the last one ended.</summary>
/// <param name="PreviousRetryCount">Attempts made since the connection was lost (0 before the first).</param>
/// <param name="ElapsedTime">Time since the connection was lost.</param>
/// <param name="RetryReason">Why the last connection or attempt ended, when it failed with an exception.</param>
/// <param name="CloseCode">The close code the server sent on the lost connection, when it sent one.</param>
public sealed record RealtimeRetryContext(int PreviousRetryCount, TimeSpan ElapsedTime, Exception? RetryReason, int? CloseCode);

/// <summary>Exponential backoff with jitter: the delay doubles from the first to the longest, then stays; optionally a limit on attempts.</summary>
public sealed class ExponentialRetryPolicy(TimeSpan firstDelay, TimeSpan maxDelay, int? maxAttempts = null) : IRealtimeRetryPolicy
{
    /// <inheritdoc />
    public TimeSpan? NextRetryDelay(RealtimeRetryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (maxAttempts is { } max && context.PreviousRetryCount >= max)
        {
            return null;
        }

        var exponential = firstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(context.PreviousRetryCount, 16));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }
}

/// <summary>How a <see cref="RealtimeClient"/> ended for good: the server's close code and reason, and the failure, when there were any.</summary>
public sealed record RealtimeClosedInfo(int? CloseCode, string? Reason, Exception? Exception);
