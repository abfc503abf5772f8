using Microsoft.Extensions.Options;

namespace Realtime.Grains.Streaming;

/// <summary>
/// The push-based stream provider's knobs (<c>Realtime:Streams</c>). Every silo and client of one
/// cluster must use the same <see cref="QueueCount"/>: it decides which queue a stream lives on.
/// </summary>
public sealed class RealtimeQueueOptions
{
    /// <summary>Queues the streams are spread over; each is read by one silo at a time. Default 8.</summary>
    public int QueueCount { get; set; } = 8;

    /// <summary>Items one queue holds before a produce is refused with <see cref="RealtimeQueueFullException"/>. Default 16,384.</summary>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>Items the pulling agent's cache holds per queue before it stops reading (back pressure). Default 4,096.</summary>
    public int CacheSize { get; set; } = 4_096;

    /// <summary>How long an idle read waits for an item before it returns empty (so the agent's housekeeping runs). Default 1 s.</summary>
    public TimeSpan ReadWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most items one read hands the pulling agent. Default 256.</summary>
    public int MaxReadBatch { get; set; } = 256;
}

/// <summary>Refuses options that cannot work.</summary>
internal sealed class RealtimeQueueOptionsValidator : IValidateOptions<RealtimeQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, RealtimeQueueOptions options)
    {
        var failures = new List<string>();
        if (options.QueueCount is < 1 or > 1024)
        {
            failures.Add($"Realtime:Streams:QueueCount must be 1-1024 (was {options.QueueCount}).");
        }

        if (options.QueueCapacity < 16)
        {
            failures.Add($"Realtime:Streams:QueueCapacity must be at least 16 (was {options.QueueCapacity}).");
        }

        if (options.CacheSize < 16)
        {
            failures.Add($"Realtime:Streams:CacheSize must be at least 16 (was {options.CacheSize}).");
        }

        if (options.ReadWait <= TimeSpan.Zero || options.ReadWait > TimeSpan.FromSeconds(30))
        {
            failures.Add($"Realtime:Streams:ReadWait must be above zero and at most 30 s (was {options.ReadWait}).");
        }

        if (options.MaxReadBatch < 1)
        {
            failures.Add($"Realtime:Streams:MaxReadBatch must be at least 1 (was {options.MaxReadBatch}).");
        }

        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(failures);
    }
}
